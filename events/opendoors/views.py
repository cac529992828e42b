"""Public pages of the Semaines Portes Ouvertes. Thin: parse, call a service or query, render."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.abuse import rate_limited, too_many_requests
from core.i18n import current_content_language
from core.links import link_error_response, resolve_signed_link
from core.params import request_language
from events.models import Event, EventStatus

from . import calendars, exports, queries, services
from .forms import (
    AppreciationForm,
    BookingForm,
    EventBookingForm,
    RegistrationForm,
    SeriesBookingForm,
    SlotFormSet,
)
from .models import Booking, OpenDoorWeek, Registration, RegistrationStatus, Slot

SUBMISSION_TTL = 6 * 3600


def _week(slug: str) -> OpenDoorWeek:
    return get_object_or_404(
        OpenDoorWeek.objects.select_related("bassin"), slug=slug, is_published=True
    )


def _first_submission(token: str) -> bool:
    """True the first time a displayed form's token is submitted (double-click guard)."""
    if not token:
        return True
    return cache.add(f"opendoors:submission:{token[:64]}", 1, SUBMISSION_TTL)


def _page(request, template, context, status=200):
    return render(request, f"opendoors/{template}.html", context, status=status)


def week_list(request):
    today = timezone.localdate()
    weeks = list(queries.public_weeks().order_by("-year", "start_date"))
    return _page(request, "week_list", {"weeks": weeks, "today": today})


def programme(request, slug, printable=False):
    week = _week(slug)
    slots = queries.programme_slots(week)
    programme_filter = queries.ProgrammeFilter(request.GET or None, queryset=slots, week=week)
    if programme_filter.is_bound and not programme_filter.is_valid():
        rows, status = [], 400
    else:
        rows, status = list(programme_filter.qs), 200
    for slot in rows:
        slot.remaining = queries.remaining_places(slot)
    today = timezone.localdate()
    context = {
        "week": week,
        "filter": programme_filter,
        "slots": rows,
        "booking_open": week.booking_open_on(today),
        "registration_open": week.registration_open_on(today),
        "today": today,
    }
    return _page(request, "programme_print" if printable else "programme", context, status)


def programme_ics(request, slug):
    week = _week(slug)
    language = request_language(request)
    body = calendars.programme_ics(week, queries.programme_slots(week), language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{week.slug}.ics"'
    return response


def _slot_formset(request, week, initial=None):
    data = request.POST if request.method == "POST" else None
    return SlotFormSet(data, initial=initial, prefix="slots", form_kwargs={"week": week})


def _directory_picker(request, initial: dict) -> tuple[dict, object, int]:
    """The directory search and pick of a GET registration page (``?q=`` / ``?organisation=``).

    Returns the picker's template context, the picked organisation (None: none or the
    registration's current one) and the status: 400 when the picked id is unknown or
    malformed, so a forged link shows a message instead of failing.
    """
    language = current_content_language()
    raw_query = request.GET.get("q", "")
    context = {
        "directory_query": raw_query[: queries.DIRECTORY_QUERY_MAX],
        "directory_searched": "q" in request.GET,
        "directory_matches": queries.directory_candidates(raw_query, language),
        "directory_query_min": queries.DIRECTORY_QUERY_MIN,
    }
    picked_id = request.GET.get("organisation")
    if picked_id is None:
        return context, None, 200
    picked = queries.directory_entry(picked_id[:64])
    if picked is None:
        context["directory_pick_error"] = True
        return context, None, 400
    initial.update(queries.directory_prefill(picked, language))
    return context, picked, 200


@require_http_methods(["GET", "POST"])
def register(request, slug):
    week = _week(slug)
    today = timezone.localdate()
    if not week.registration_open_on(today):
        return _page(request, "registration_closed", {"week": week}, status=403)
    if request.method == "POST":
        if rate_limited(request, "opendoors-registration"):
            return too_many_requests(request)
        form = RegistrationForm(request.POST, week=week)
        formset = _slot_formset(request, week)
        if form.is_valid() and formset.is_valid():
            if not _first_submission(form.cleaned_data["submission_token"]):
                return _page(request, "already_submitted", {"week": week}, status=409)
            registration = services.submit_registration(
                week,
                form.registration_data(),
                formset.slot_values(),
                themes=form.cleaned_data["themes"],
                language=current_content_language(),
            )
            return _page(
                request,
                "registration_done",
                {"week": week, "registration": registration, "suggestion": form.bassin_suggestion},
            )
        status, picker = 400, {}
    else:
        initial = {"submission_token": uuid.uuid4().hex}
        picker, picked, status = _directory_picker(request, initial)
        form = RegistrationForm(week=week, initial=initial, directory_entry=picked)
        formset = _slot_formset(request, week)
    return _page(
        request,
        "registration_form",
        {"week": week, "form": form, "formset": formset, **picker},
        status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_registration(request, token):
    """The link of the confirmation e-mail: GET shows a button, only its POST confirms
    (mail scanners that open links must not confirm for the organisation)."""
    payload, error = resolve_signed_link(request, services.TOKEN_CONFIRM, token)
    if error:
        return error
    registration = Registration.objects.select_related("week").filter(pk=payload.get("r")).first()
    if registration is None:
        return link_error_response(request, expired=False)
    if request.method != "POST":
        return _page(
            request,
            "registration_confirm",
            {"registration": registration, "week": registration.week},
        )
    services.confirm_registration_email(registration)
    return _page(
        request, "registration_confirmed", {"registration": registration, "week": registration.week}
    )


def _registration_initial(registration):
    return {
        "organisation_name": registration.organisation_name,
        "directory_organisation": str(registration.directory_organisation.public_id)
        if registration.directory_organisation
        else "",
        "contact_name": registration.contact_name,
        "contact_email": registration.contact_email,
        "contact_phone": registration.contact_phone,
        "street": registration.street,
        "postal_code": registration.postal_code,
        "city": registration.city,
        "discover": registration.discover,
        "languages": [language.code for language in registration.languages.all()],
        "accessibility": registration.accessibility,
        "themes": list(registration.themes.all()),
        "submission_token": uuid.uuid4().hex,
    }


@require_http_methods(["GET", "POST"])
def edit_registration(request, token):
    payload, error = resolve_signed_link(request, services.TOKEN_EDIT, token)
    if error:
        return error
    registration = (
        Registration.objects.select_related("week__bassin", "directory_organisation")
        .filter(pk=payload.get("r"))
        .first()
    )
    if registration is None:
        return link_error_response(request, expired=False)
    week = registration.week
    if not week.editable_by_organisations_on(timezone.localdate()):
        return _page(
            request, "registration_locked", {"registration": registration, "week": week}, 403
        )
    if request.method == "POST":
        if rate_limited(request, "opendoors-registration"):
            return too_many_requests(request)
        form = RegistrationForm(request.POST, week=week)
        formset = _slot_formset(request, week)
        if form.is_valid() and formset.is_valid():
            try:
                services.update_registration(
                    registration,
                    form.registration_data(),
                    formset.slot_values(),
                    themes=form.cleaned_data["themes"],
                )
            except services.RegistrationLocked:
                return _page(
                    request,
                    "registration_locked",
                    {"registration": registration, "week": week},
                    403,
                )
            return _page(
                request, "registration_updated", {"registration": registration, "week": week}
            )
        status, picker = 400, {}
    else:
        initial = _registration_initial(registration)
        picker, picked, status = _directory_picker(request, initial)
        form = RegistrationForm(
            week=week,
            initial=initial,
            directory_entry=picked or registration.directory_organisation,
        )
        formset = _slot_formset(
            request,
            week,
            initial=[
                {
                    "date": s.date,
                    "start_time": s.start_time,
                    "end_time": s.end_time,
                    "capacity": s.capacity,
                    "format": s.format,
                }
                for s in registration.slots.all()
            ],
        )
    return _page(
        request,
        "registration_form",
        {
            "week": week,
            "form": form,
            "formset": formset,
            "registration": registration,
            "editing": True,
            **picker,
        },
        status,
    )


@require_http_methods(["GET", "POST"])
def book(request, slug, slot_id):
    week = _week(slug)
    slot = (
        Slot.objects.select_related("registration__week")
        .filter(
            pk=slot_id, registration__week=week, registration__status=RegistrationStatus.APPROVED
        )
        .first()
    )
    if slot is None:
        raise Http404
    remaining = queries.remaining_places(slot)
    today = timezone.localdate()
    context = {
        "week": week,
        "slot": slot,
        "registration": slot.registration,
        "remaining": remaining,
    }
    if not week.booking_open_on(today):
        return _page(request, "booking_closed", context, status=403)
    if request.method == "POST":
        if rate_limited(request, "opendoors-booking"):
            return too_many_requests(request)
        form = BookingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_booking(
                    slot.pk, **form.person(), language=current_content_language()
                )
            except services.SlotNotBookable:
                return _page(request, "booking_closed", context, status=403)
            # The same page whatever the address already holds: whoever submits the form
            # may not own the address. The e-mail tells its owner the outcome.
            return _page(request, "booking_done", {**context, "email": data["email"]})
        status = 400
    else:
        form = BookingForm(initial={"submission_token": uuid.uuid4().hex})
        status = 200
    return _page(request, "booking_form", {**context, "form": form}, status)


def _registration_page(request, context: dict, takes_registrations: bool, form_class, book):
    """An agenda registration page (one date, or a whole series): closed (403), the
    form, or the booking made by ``book(person, language)`` and the same "done" page
    whatever the address already holds (see ``book_slot``)."""
    if not takes_registrations:
        return render(request, "events/registration_closed.html", context, status=403)
    if request.method == "POST":
        if rate_limited(request, "opendoors-booking"):
            return too_many_requests(request)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                book(form.person(), current_content_language())
            except services.SlotNotBookable:
                return render(request, "events/registration_closed.html", context, status=403)
            done = {**context, "email": form.cleaned_data["email"]}
            return render(request, "events/registration_done.html", done)
        status = 400
    else:
        form = form_class(initial={"submission_token": uuid.uuid4().hex})
        status = 200
    return render(
        request, "events/registration_form.html", {**context, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def register_for_occurrence(request, pk, occurrence_id):
    """Registration for one date of an agenda event ("Inscription sur Maillage")."""
    occurrence = queries.registration_occurrence(pk, occurrence_id)
    if occurrence is None or occurrence.event.status != EventStatus.PUBLISHED:
        raise Http404
    context = {
        "event": occurrence.event,
        "occurrence": occurrence,
        "remaining": queries.remaining_places_on(occurrence),
    }
    return _registration_page(
        request,
        context,
        queries.occurrence_takes_registrations(occurrence, timezone.now()),
        EventBookingForm,
        lambda person, language: services.request_occurrence_booking(
            occurrence.pk, **person, language=language
        ),
    )


@require_http_methods(["GET", "POST"])
def register_for_series(request, pk):
    """Registration for every date of a series at once ("pour toute la série")."""
    event = queries.registration_series(pk)
    if event is None or event.status != EventStatus.PUBLISHED or not event.registers_per_series:
        raise Http404
    now = timezone.now()
    context = {
        "event": event,
        "series": True,
        "dates": list(queries.coming_series_dates(event, now)),
        "remaining": queries.remaining_places_in_series(event),
    }
    return _registration_page(
        request,
        context,
        queries.series_takes_registrations(event, now),
        SeriesBookingForm,
        lambda person, language: services.request_series_booking(
            event.pk, **person, language=language
        ),
    )


def _booking_from_link(request, token):
    payload, error = resolve_signed_link(request, services.TOKEN_BOOKING, token)
    if error:
        return None, error
    booking = (
        Booking.objects.select_related("slot__registration__week", "occurrence__event", "event")
        .filter(pk=payload.get("b"))
        .first()
    )
    if booking is None or booking.uid.hex[:12] != payload.get("u"):
        return None, link_error_response(request, expired=False)
    return booking, None


def _manage_page(request, booking, context, status=200):
    """The page behind a booking's signed link: a visit's, or an agenda date's."""
    context = {"booking": booking, **context}
    if booking.event_id is not None:
        context |= {"series": True, "dates": list(queries.series_dates(booking.event))}
    if booking.slot_id is None:
        return render(request, "events/manage_registration.html", context, status=status)
    week = booking.slot.registration.week
    return _page(request, "manage_booking", {"slot": booking.slot, "week": week, **context}, status)


@require_http_methods(["GET", "POST"])
def manage_booking(request, token):
    booking, error = _booking_from_link(request, token)
    if error:
        return error
    done = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            result = services.cancel_booking(booking.pk)
            done = "cancelled" if result.cancelled else "already_cancelled"
        elif action == "erase":
            services.erase_booking(booking)
            done = "erased"
        else:
            return _manage_page(request, booking, {"bad_action": True}, 400)
        booking.refresh_from_db()
    return _manage_page(
        request, booking, {"done": done, "position": queries.waiting_position(booking)}
    )


def _event_from_organiser_link(request, token):
    payload, error = resolve_signed_link(request, services.TOKEN_ORGANISER, token)
    if error:
        return None, error
    event = Event.objects.filter(pk=payload.get("e")).first()
    if event is None:
        return None, link_error_response(request, expired=False)
    return event, None


def organiser_attendees(request, token):
    """The organiser's list of the people registered for each date of their event."""
    event, error = _event_from_organiser_link(request, token)
    if error:
        return error
    return render(
        request,
        "events/organiser_attendees.html",
        {"event": event, "attendees": list(queries.event_attendees(event)), "token": token},
    )


def organiser_attendees_csv(request, token):
    event, error = _event_from_organiser_link(request, token)
    if error:
        return error
    return exports.event_attendees_csv_response(
        event, queries.event_attendees(event), f"inscriptions-{event.pk}.csv"
    )


def _registration_from_host_link(request, token):
    payload, error = resolve_signed_link(request, services.TOKEN_HOST, token)
    if error:
        return None, error
    registration = Registration.objects.select_related("week").filter(pk=payload.get("r")).first()
    if registration is None:
        return None, link_error_response(request, expired=False)
    return registration, None


def host_attendees(request, token):
    registration, error = _registration_from_host_link(request, token)
    if error:
        return error
    slots = list(registration.slots.all())
    attendees = list(queries.slot_attendees([s.pk for s in slots]))
    by_slot = {s.pk: [] for s in slots}
    for booking in attendees:
        by_slot[booking.slot_id].append(booking)
    for slot in slots:
        slot.attendees = by_slot[slot.pk]
    return _page(
        request,
        "host_attendees",
        {"registration": registration, "week": registration.week, "slots": slots, "token": token},
    )


def host_attendees_csv(request, token):
    registration, error = _registration_from_host_link(request, token)
    if error:
        return error
    return exports.attendees_csv_response(
        queries.slot_attendees(registration.slots.values("pk")),
        f"participants-{registration.pk}.csv",
    )


@require_http_methods(["GET", "POST"])
def appreciation(request, token):
    booking, error = _booking_from_link(request, token)
    if error:
        return error
    if booking.slot_id is None:
        # An agenda registration's link: the appreciation form is the open doors' only.
        raise Http404
    week = booking.slot.registration.week
    if request.method == "POST":
        form = AppreciationForm(request.POST)
        if form.is_valid():
            services.record_appreciation(booking, form.cleaned_data)
            return _page(request, "appreciation_done", {"week": week})
        status = 400
    else:
        form = AppreciationForm()
        status = 200
    return _page(request, "appreciation_form", {"week": week, "form": form}, status)
