"""Operations that change open-door state: register, moderate, book, cancel, erase.

One booking engine for three kinds of occasion: open-door visit slots, the dates
(``events.Occurrence``) of agenda events that take registrations on Maillage, and whole
series (``events.Event`` registered for once, one pool of places).
The capacity rule lives in ``book_slot``/``book_occurrence``/``book_series`` and
``cancel_booking``: they take a row lock on the slot, the occurrence or the event
(``SELECT ... FOR UPDATE``) before
counting its bookings, so on PostgreSQL at READ COMMITTED two requests for the last
place are serialised and the second one sees the first one's booking (the way pretix
locks quotas).
E-mails are sent after the transaction has committed, by the request that made
the change, so each one goes out exactly once.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from bassins.queries import spoken_languages
from bassins.rights import team_groups
from core.i18n import localized
from core.mail import normalise_email, send_transactional
from core.signing import make_token
from events.models import Event, Occurrence, OccurrenceStatus
from events.services import upsert_external_event

from . import calendars
from .models import (
    ACTIVE_STATUSES,
    AppreciationResponse,
    Booking,
    BookingStatus,
    OpenDoorWeek,
    Registration,
    RegistrationStatus,
    Slot,
)
from .queries import occurrence_takes_registrations, series_dates, series_takes_registrations

logger = logging.getLogger(__name__)

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

TOKEN_BOOKING = "opendoors-booking"
TOKEN_CONFIRM = "opendoors-registration-confirm"
TOKEN_EDIT = "opendoors-registration-edit"
TOKEN_HOST = "opendoors-host"
TOKEN_ORGANISER = "agenda-organiser"


class SlotNotBookable(Exception):
    """The slot is not approved, or the week's booking window is closed; or the agenda
    date or series does not take registrations (see
    ``queries.occurrence_takes_registrations``, ``queries.series_takes_registrations``)."""


class RegistrationLocked(Exception):
    """The booking window has opened: organisations can no longer edit."""


# --- signed links -------------------------------------------------------------------


def booking_token(booking: Booking) -> str:
    return make_token(TOKEN_BOOKING, {"b": booking.pk, "u": booking.uid.hex[:12]})


def registration_token(registration: Registration, purpose: str) -> str:
    return make_token(purpose, {"r": registration.pk})


def _url(language: str, name: str, token: str) -> str:
    with translation.override(language):  # /nl/opendeurdagen/reservatie/...
        return f"{settings.SITE_URL}{reverse(f'opendoors:{name}', args=[token])}"


def booking_manage_url(booking: Booking) -> str:
    return _url(booking.language, "manage_booking", booking_token(booking))


def host_url(registration: Registration) -> str:
    return _url(registration.language, "host", registration_token(registration, TOKEN_HOST))


def organiser_url(event, language: str = "fr") -> str:
    """The signed link to an agenda event's registrations (list and CSV) for its organiser."""
    return _url(language, "organiser", make_token(TOKEN_ORGANISER, {"e": event.pk}))


def edit_url(registration: Registration) -> str:
    return _url(registration.language, "edit", registration_token(registration, TOKEN_EDIT))


# --- registration and moderation ---------------------------------------------------


def _send_registration_mail(registration: Registration, template: str, **extra) -> None:
    context = {
        "registration": registration,
        "week": registration.week,
        "edit_url": edit_url(registration),
        "host_url": host_url(registration),
        **extra,
    }
    send_transactional(
        f"opendoors/email/{template}",
        context,
        [registration.contact_email],
        registration.language,
    )


def _replace_slots(registration: Registration, slots: list[dict]) -> None:
    if Booking.objects.filter(slot__registration=registration).exists():
        raise RegistrationLocked("slots already have bookings")
    registration.slots.all().delete()
    Slot.objects.bulk_create(Slot(registration=registration, **slot) for slot in slots)


def submit_registration(
    week: OpenDoorWeek, data: dict, slots: list[dict], themes=(), language: str = "fr"
) -> Registration:
    """Save a registration with its slots (all or nothing) and e-mail the confirmation link."""
    data = dict(data)
    languages = spoken_languages(data.pop("languages", ()))
    with transaction.atomic():
        registration = Registration.objects.create(week=week, language=language, **data)
        registration.themes.set(themes)
        registration.languages.set(languages)
        _replace_slots(registration, slots)
    confirm_url = _url(language, "confirm", registration_token(registration, TOKEN_CONFIRM))
    _send_registration_mail(registration, "registration_confirm", confirm_url=confirm_url)
    return registration


def team_emails(week: OpenDoorWeek) -> list[str]:
    """Who moderates the week: its team, else the bassin's team group, else the bassin's
    helpdesk address (so a new registration never waits unseen)."""
    users = get_user_model().objects.filter(is_active=True)
    if week.team_id is not None:
        users = users.filter(groups=week.team_id)
    else:
        users = users.filter(groups__in=team_groups(week.bassin))
    emails = sorted({u.email for u in users if u.email})
    if not emails and week.bassin.helpdesk_email:
        emails = [week.bassin.helpdesk_email]
    return emails


def confirm_registration_email(registration: Registration) -> bool:
    """The organisation clicked the link: the registration enters the moderation queue."""
    updated = Registration.objects.filter(
        pk=registration.pk, status=RegistrationStatus.UNCONFIRMED
    ).update(status=RegistrationStatus.SUBMITTED, email_confirmed_at=timezone.now())
    if updated:
        registration.refresh_from_db()
        recipients = team_emails(registration.week)
        send_transactional(
            "opendoors/email/team_new_registration",
            {"registration": registration, "week": registration.week},
            recipients,
            "fr",
            cap=False,
        )
    return bool(updated)


def update_registration(
    registration: Registration, data: dict, slots: list[dict], themes=(), today=None
) -> Registration:
    """Edit through the signed link; back to the moderation queue afterwards."""
    today = today or timezone.localdate()
    if not registration.week.editable_by_organisations_on(today):
        raise RegistrationLocked("the booking window has opened")
    data = dict(data)
    languages = spoken_languages(data.pop("languages", ()))
    with transaction.atomic():
        for name, value in data.items():
            setattr(registration, name, value)
        registration.languages.set(languages)
        back_to_queue = registration.status != RegistrationStatus.UNCONFIRMED
        if back_to_queue:
            registration.status = RegistrationStatus.SUBMITTED
        registration.save()
        registration.themes.set(themes)
        _replace_slots(registration, slots)
    recipients = team_emails(registration.week) if back_to_queue else []
    send_transactional(
        "opendoors/email/team_new_registration",
        {"registration": registration, "week": registration.week, "edited": True},
        recipients,
        "fr",
        cap=False,
    )
    return registration


def _moderate(registration: Registration, status: str, user, message: str, template: str):
    registration.status = status
    registration.moderation_message = message
    registration.moderated_by = user
    registration.save(update_fields=["status", "moderation_message", "moderated_by", "updated_at"])
    _send_registration_mail(registration, template, message=message)
    return registration


def approve_registration(registration: Registration, user=None, message: str = ""):
    return _moderate(
        registration, RegistrationStatus.APPROVED, user, message, "registration_approved"
    )


def request_changes(registration: Registration, user, message: str):
    return _moderate(
        registration, RegistrationStatus.CHANGES_REQUESTED, user, message, "registration_changes"
    )


def reject_registration(registration: Registration, user, reason: str):
    return _moderate(
        registration, RegistrationStatus.REJECTED, user, reason, "registration_rejected"
    )


# --- booking -----------------------------------------------------------------------


@dataclass
class BookingResult:
    booking: Booking
    created: bool

    @property
    def waitlisted(self) -> bool:
        return self.booking.status == BookingStatus.WAITLISTED


@dataclass
class CancelResult:
    booking: Booking
    cancelled: bool
    promoted: list[Booking] = field(default_factory=list)


def overlapping_bookings(booking: Booking) -> list[Booking]:
    """The person's other active bookings whose time overlaps this one.

    Told to the address owner in the booking e-mail only, never on the page: whoever
    submits the form may not own the address.
    """
    slot = booking.slot
    return list(
        Booking.objects.select_related("slot__registration")
        .filter(
            email=booking.email,
            status__in=ACTIVE_STATUSES,
            slot__date=slot.date,
            slot__start_time__lt=slot.end_time,
            slot__end_time__gt=slot.start_time,
        )
        .exclude(pk=booking.pk)
    )


def _place(occasion: dict, capacity: int, email: str, person: dict) -> BookingResult:
    """Book ``email`` on the occasion (``{"slot": slot}``, ``{"occurrence": occ}`` or
    ``{"event": event}``),
    confirmed while fewer than ``capacity`` are, else waiting. The caller holds the
    occasion's row lock inside a transaction."""
    active = Booking.objects.filter(**occasion, status__in=ACTIVE_STATUSES)
    existing = active.filter(email=email).first()
    if existing is not None:
        return BookingResult(existing, created=False)
    confirmed = active.filter(status=BookingStatus.CONFIRMED).count()
    status = BookingStatus.CONFIRMED if confirmed < capacity else BookingStatus.WAITLISTED
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                **occasion,
                status=status,
                name=person["name"].strip(),
                email=email,
                organisation=person["organisation"].strip(),
                profession=person["profession"].strip(),
                phone=person.get("phone", "").strip(),
                language=person.get("language", "fr"),
                consent_at=timezone.now(),
            )
    except IntegrityError:
        # The same person's other click won the race for the unique constraint.
        existing = Booking.objects.filter(
            **occasion, email=email, status__in=ACTIVE_STATUSES
        ).first()
        if existing is None:
            raise
        return BookingResult(existing, created=False)
    return BookingResult(booking, created=True)


def _mail_new_booking(result: BookingResult) -> BookingResult:
    if result.created:
        send_booking_email(
            result.booking, "booking_waitlisted" if result.waitlisted else "booking_confirmed"
        )
    return result


def book_slot(
    slot_id: int,
    *,
    name: str,
    email: str,
    organisation: str,
    profession: str,
    phone: str = "",
    language: str = "fr",
) -> BookingResult:
    """Book a place, or a waiting-list position when the slot is full.

    Check and insert run in one transaction holding the slot's row lock. The same
    e-mail on the same slot returns the existing booking (``created=False``), which
    also makes a double-clicked submit harmless.
    """
    email = normalise_email(email)
    today = timezone.localdate()
    person = _person(name, organisation, profession, phone, language)
    with transaction.atomic():
        slot = (
            Slot.objects.select_related("registration__week")
            .select_for_update(of=("self",))
            .get(pk=slot_id)
        )
        week = slot.registration.week
        if slot.registration.status != RegistrationStatus.APPROVED or not week.booking_open_on(
            today
        ):
            raise SlotNotBookable(slot_id)
        result = _place({"slot": slot}, slot.capacity, email, person)
    return _mail_new_booking(result)


def book_occurrence(
    occurrence_id: int,
    *,
    name: str,
    email: str,
    organisation: str,
    profession: str,
    phone: str = "",
    language: str = "fr",
) -> BookingResult:
    """Register for one date of an agenda event ("Inscription sur Maillage"): the same
    rule as ``book_slot`` (occurrence row lock, count, decide), with the event's
    capacity. Raises ``SlotNotBookable`` when the date does not take registrations
    (other mode, unpublished, cancelled, or already begun)."""
    person = _person(name, organisation, profession, phone, language)
    with transaction.atomic():
        occurrence = (
            Occurrence.objects.select_related("event")
            .select_for_update(of=("self",))
            .get(pk=occurrence_id)
        )
        if not occurrence_takes_registrations(occurrence, timezone.now()):
            raise SlotNotBookable(occurrence_id)
        result = _place(
            {"occurrence": occurrence}, occurrence.event.capacity, normalise_email(email), person
        )
    return _mail_new_booking(result)


def book_series(
    event_id: int,
    *,
    name: str,
    email: str,
    organisation: str,
    profession: str,
    phone: str = "",
    language: str = "fr",
) -> BookingResult:
    """Register once for every date of a series whose registration is "pour toute la
    série": the same rule as ``book_occurrence`` with the event's row lock and one pool
    of ``Event.capacity`` places. Raises ``SlotNotBookable`` when the series does not
    take registrations (other mode or scope, unpublished, or no date to come)."""
    person = _person(name, organisation, profession, phone, language)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        if not series_takes_registrations(event, timezone.now()):
            raise SlotNotBookable(event_id)
        result = _place({"event": event}, event.capacity, normalise_email(email), person)
    return _mail_new_booking(result)


def _person(name: str, organisation: str, profession: str, phone: str, language: str) -> dict:
    """What a booking keeps of the person besides the address."""
    return {
        "name": name,
        "organisation": organisation,
        "profession": profession,
        "phone": phone,
        "language": language,
    }


def _resend_when_known(result: BookingResult) -> BookingResult:
    if not result.created:
        resend_booking_email(result.booking)
    return result


def request_booking(slot_id: int, **person) -> BookingResult:
    """What the public booking form does: book (``book_slot``), or, when the address
    already holds this visit, e-mail that booking to the address again.

    The caller shows the same page in every case: whoever submits the form may not own
    the address, so only the e-mail may tell whether it was booked, waiting or already
    there."""
    return _resend_when_known(book_slot(slot_id, **person))


def request_occurrence_booking(occurrence_id: int, **person) -> BookingResult:
    """``request_booking`` for one date of an agenda event (``book_occurrence``)."""
    return _resend_when_known(book_occurrence(occurrence_id, **person))


def request_series_booking(event_id: int, **person) -> BookingResult:
    """``request_booking`` for a whole series (``book_series``)."""
    return _resend_when_known(book_series(event_id, **person))


Occasion = Slot | Occurrence | Event


def _occasion_capacity(occasion: Occasion) -> tuple[dict, int]:
    if isinstance(occasion, Slot):
        return {"slot": occasion}, occasion.capacity
    if isinstance(occasion, Event):
        return {"event": occasion}, occasion.capacity or 0
    return {"occurrence": occasion}, occasion.event.capacity or 0


def _promote_waiting(occasion: Occasion) -> list[Booking]:
    """Fill free places with the first waiting people. Caller holds the occasion's lock."""
    promoted = []
    lookup, capacity = _occasion_capacity(occasion)
    confirmed = Booking.objects.filter(**lookup, status=BookingStatus.CONFIRMED).count()
    free = capacity - confirmed
    if free <= 0:
        return promoted
    waiting = list(
        Booking.objects.select_for_update()
        .filter(**lookup, status=BookingStatus.WAITLISTED)
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for booking in waiting:
        booking.status = BookingStatus.CONFIRMED
        booking.promoted_at = now
        booking.sequence += 1
        booking.save(update_fields=["status", "promoted_at", "sequence"])
        promoted.append(booking)
    return promoted


def _lock_occasion(
    slot_id: int | None, occurrence_id: int | None, event_id: int | None = None
) -> Occasion:
    if slot_id is not None:
        return Slot.objects.select_for_update().get(pk=slot_id)
    if event_id is not None:
        return Event.objects.select_for_update().get(pk=event_id)
    return (
        Occurrence.objects.select_related("event")
        .select_for_update(of=("self",))
        .get(pk=occurrence_id)
    )


def cancel_booking(booking_id: int, *, notify: bool = True) -> CancelResult:
    """Cancel once; a freed place goes to the first waiting person (e-mailed once).

    A second cancel of the same booking (double submit, second tab) finds it
    already cancelled under the same lock and changes nothing.
    """
    with transaction.atomic():
        slot_id, occurrence_id, event_id = Booking.objects.values_list(
            "slot_id", "occurrence_id", "event_id"
        ).get(pk=booking_id)
        occasion = _lock_occasion(slot_id, occurrence_id, event_id)
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status == BookingStatus.CANCELLED:
            return CancelResult(booking, cancelled=False)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.sequence += 1
        booking.save(update_fields=["status", "cancelled_at", "sequence"])
        promoted = _promote_waiting(occasion)
    if notify:
        if booking.email:
            send_booking_email(booking, "booking_cancelled")
        for person in promoted:
            send_booking_email(person, "booking_promoted")
    return CancelResult(booking, cancelled=True, promoted=promoted)


DATE_CANCELLED = ":date-cancelled"


def cancel_bookings_of_cancelled_dates(occurrence_ids: list[int]) -> int:
    """The organiser (or a partner's calendar) cancelled these agenda dates: their active
    registrations are cancelled (nobody is promoted: there is no date any more) and each
    person is told, with the .ics that removes the date. People registered for the whole
    series keep their registration and are told which date is off, with the series'
    updated .ics. Returns the bookings cancelled."""
    cancelled = []
    _tell_series_of_cancelled_dates(occurrence_ids)
    # Only the dates someone is registered for are locked (a partner dropping a series
    # cancels thousands of dates, most without anyone).
    booked = Booking.objects.filter(
        occurrence_id__in=occurrence_ids, status__in=ACTIVE_STATUSES
    ).values_list("occurrence_id", flat=True)
    with transaction.atomic():
        for occurrence_id in sorted(set(booked)):
            _lock_occasion(None, occurrence_id)
            bookings = Booking.objects.select_for_update().filter(
                occurrence_id=occurrence_id,
                status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED],
            )
            for booking in bookings:
                booking.status = BookingStatus.CANCELLED
                booking.cancelled_at = timezone.now()
                booking.sequence += 1
                booking.save(update_fields=["status", "cancelled_at", "sequence"])
                cancelled.append(booking)
    for booking in cancelled:
        send_booking_email(booking, "booking_cancelled", occasion=DATE_CANCELLED)
    return len(cancelled)


def tell_registrants_of_moved_dates(occurrence_ids: list[int]) -> int:
    """These agenda dates have new times: each person registered for one of them (or
    for its whole series) gets a new version of the registration (SEQUENCE) and an
    e-mail with the updated .ics, once per move. Past and cancelled dates are left
    alone. Returns the e-mails queued."""
    moved_dates = Occurrence.objects.filter(pk__in=occurrence_ids, end__gt=timezone.now()).exclude(
        status=OccurrenceStatus.CANCELLED
    )
    # Only the dates someone is registered for (a partner moving a whole series moves
    # thousands of dates, most without anyone).
    booked = Booking.objects.filter(
        Q(occurrence_id__in=occurrence_ids)
        | Q(event_id__in=moved_dates.values("event_id").distinct()),
        status__in=ACTIVE_STATUSES,
    ).values_list("occurrence_id", "event_id")
    dates, series = set(), set()
    for occurrence_id, event_id in booked:
        dates.add(occurrence_id)
        series.add(event_id)
    sent = 0
    held = moved_dates.filter(Q(pk__in=dates - {None}) | Q(event_id__in=series - {None}))
    for occurrence in held.order_by("pk"):
        with transaction.atomic():
            _lock_occasion(None, occurrence.pk)
            told = _new_versions(
                Booking.objects.filter(
                    Q(occurrence_id=occurrence.pk) | Q(event_id=occurrence.event_id),
                    status__in=ACTIVE_STATUSES,
                )
            )
        for booking in told:
            template = "series_date_moved" if booking.event_id else "booking_date_moved"
            sent += send_booking_email(booking, template, occasion=f":moved:{occurrence.pk}")
    return sent


def _new_versions(bookings) -> list[Booking]:
    """Lock ``bookings`` and raise each one's SEQUENCE (its .ics replaces the one the
    person has); the caller holds the occasion's lock, inside a transaction."""
    told = list(bookings.select_for_update())
    for booking in told:
        booking.sequence += 1
        booking.save(update_fields=["sequence"])
    return told


def _tell_series_of_cancelled_dates(occurrence_ids: list[int]) -> None:
    """A new version (SEQUENCE) of each confirmed series registration that covers a
    cancelled date, e-mailed once per date."""
    series_booked = Booking.objects.filter(
        event_id__isnull=False, status=BookingStatus.CONFIRMED
    ).values("event_id")
    cancelled_dates = Occurrence.objects.filter(
        pk__in=occurrence_ids,
        status=OccurrenceStatus.CANCELLED,
        start__gt=timezone.now(),
        event_id__in=series_booked,
    ).values_list("pk", "event_id")
    for occurrence_id, event_id in sorted(cancelled_dates):
        with transaction.atomic():
            _lock_occasion(None, None, event_id)
            told = _new_versions(
                Booking.objects.filter(event_id=event_id, status=BookingStatus.CONFIRMED)
            )
        for booking in told:
            send_booking_email(
                booking, "series_date_cancelled", occasion=f"{DATE_CANCELLED}:{occurrence_id}"
            )


def set_capacity(slot: Slot, capacity: int) -> list[Booking]:
    """Change a slot's capacity (admin); raising it promotes waiting people."""
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        slot.capacity = capacity
        slot.save(update_fields=["capacity"])
        promoted = _promote_waiting(slot)
    for person in promoted:
        send_booking_email(person, "booking_promoted")
    return promoted


def promote_after_capacity_change(event_id: int) -> list[Booking]:
    """After an event's capacity was raised (admin save), give the freed places of its
    coming dates (or of the series) to the waiting people, each under its own lock."""
    promoted: list[Booking] = []
    if Booking.objects.filter(event_id=event_id, status=BookingStatus.WAITLISTED).exists():
        with transaction.atomic():
            promoted += _promote_waiting(_lock_occasion(None, None, event_id))
    occurrence_ids = (
        Booking.objects.filter(
            occurrence__event_id=event_id,
            occurrence__start__gt=timezone.now(),
            status=BookingStatus.WAITLISTED,
        )
        .values_list("occurrence_id", flat=True)
        .distinct()
    )
    for occurrence_id in sorted(set(occurrence_ids)):
        with transaction.atomic():
            promoted += _promote_waiting(_lock_occasion(None, occurrence_id))
    for person in promoted:
        send_booking_email(person, "booking_promoted")
    return promoted


def _agenda_context(booking: Booking) -> tuple[dict, str]:
    """The e-mail context of a registration for an agenda date or series, and the name
    of its .ics attachment."""
    if booking.event_id is not None:
        event = booking.event
        dates = [
            {
                "starts": timezone.localtime(occurrence.start, BRUSSELS),
                "ends": timezone.localtime(occurrence.end, BRUSSELS),
                "cancelled": occurrence.status == OccurrenceStatus.CANCELLED,
            }
            for occurrence in series_dates(event)
        ]
        coming = [d for d in dates if not d["cancelled"] and d["ends"] > timezone.now()]
        first = (coming or dates or [{"starts": None, "ends": None}])[0]
        return {
            "event": event,
            "series": True,
            "dates": dates,
            "title": localized(event, "title", booking.language),
            "starts": first["starts"],
            "ends": first["ends"],
            "place": calendars.event_location(event),
        }, "serie.ics"
    occurrence = booking.occurrence
    return {
        "occurrence": occurrence,
        "event": occurrence.event,
        "title": localized(occurrence.event, "title", booking.language),
        "starts": timezone.localtime(occurrence.start, BRUSSELS),
        "ends": timezone.localtime(occurrence.end, BRUSSELS),
        "place": calendars.occurrence_location(occurrence),
    }, "inscription.ics"


# E-mails that warn of the person's other bookings at the same time.
OVERLAP_WARNED = {"booking_confirmed", "booking_waitlisted", "booking_promoted"}


def send_booking_email(booking: Booking, template: str, *, occasion: str = "") -> int:
    """Queue one booking e-mail in the booker's language, with the .ics attached.

    Once per booking, template, version of the booking (``sequence``) and ``occasion``.
    A visit slot's e-mails are ``opendoors/email/<template>``, an agenda date's or
    series' ``events/email/<template>`` (a series': every date listed, ``serie.ics``)."""
    booking = Booking.objects.select_related(
        "slot__registration__week__bassin", "occurrence__event", "event"
    ).get(pk=booking.pk)
    if not booking.email:
        return 0
    context = {
        "booking": booking,
        "manage_url": booking_manage_url(booking),
        "date_cancelled": occasion == DATE_CANCELLED,
    }
    if booking.slot_id is not None:
        slot = booking.slot
        context |= {
            "slot": slot,
            "registration": slot.registration,
            "week": slot.registration.week,
            "overlaps": overlapping_bookings(booking) if template in OVERLAP_WARNED else [],
        }
        folder, filename = "opendoors", "visite.ics"
        ics = calendars.booking_ics
    else:
        agenda, filename = _agenda_context(booking)
        context |= agenda
        folder = "events"
        ics = (
            calendars.series_booking_ics
            if booking.event_id is not None
            else calendars.occurrence_booking_ics
        )
    attachments = []
    if booking.status != BookingStatus.WAITLISTED:
        attachments.append((filename, ics(booking, booking.language), "text/calendar"))
    return send_transactional(
        f"{folder}/email/{template}",
        context,
        [booking.email],
        booking.language,
        key=f"opendoors.{template}:{booking.pk}:{booking.sequence}{occasion}",
        attachments=attachments,
    )


def resend_booking_email(booking: Booking) -> int:
    """Someone booked again with an address that already holds this visit. The page
    must not tell them so (it would reveal another person's booking): the address's
    owner gets the booking's e-mail again instead, at most once a day."""
    template = (
        "booking_waitlisted" if booking.status == BookingStatus.WAITLISTED else "booking_confirmed"
    )
    return send_booking_email(booking, template, occasion=f":again:{timezone.localdate()}")


# --- privacy -----------------------------------------------------------------------

ERASED_FIELDS = {"name": "", "email": "", "organisation": "", "profession": "", "phone": ""}


def erase_booking(booking: Booking, notify: bool = True) -> Booking:
    """The visitor deletes their data: cancel if still active, then blank personal fields."""
    if booking.status in ACTIVE_STATUSES:
        cancel_booking(booking.pk, notify=notify)
    Booking.objects.filter(pk=booking.pk).update(erased_at=timezone.now(), **ERASED_FIELDS)
    booking.refresh_from_db()
    return booking


def erase_expired_visitor_data(today: datetime.date | None = None) -> int:
    """Blank visitors' personal data N months after their week, and participants' data
    N months after their agenda date, or after the last date of the series they registered
    for (N = ``OPENDOORS_VISITOR_RETENTION_MONTHS``)."""
    today = today or timezone.localdate()
    retention = relativedelta(months=settings.OPENDOORS_VISITOR_RETENTION_MONTHS)
    expired_weeks = [
        week.pk
        for week in OpenDoorWeek.objects.only("pk", "end_date")
        if week.end_date + retention < today
    ]
    erased = Booking.objects.filter(
        slot__registration__week__in=expired_weeks, erased_at__isnull=True
    ).update(erased_at=timezone.now(), **ERASED_FIELDS)
    cutoff = datetime.datetime.combine(today - retention, datetime.time(0), tzinfo=BRUSSELS)
    erased += Booking.objects.filter(occurrence__end__lt=cutoff, erased_at__isnull=True).update(
        erased_at=timezone.now(), **ERASED_FIELDS
    )
    series_dates_of = Occurrence.objects.filter(event=OuterRef("event_id"))
    erased += (
        Booking.objects.filter(event__isnull=False, erased_at__isnull=True)
        .filter(Exists(series_dates_of), ~Exists(series_dates_of.filter(end__gte=cutoff)))
        .update(erased_at=timezone.now(), **ERASED_FIELDS)
    )
    return erased


# --- scheduled mail ----------------------------------------------------------------


def _claim(booking: Booking, field_name: str) -> bool:
    """Mark a booking as mailed; True only for the one caller that set the mark."""
    return bool(
        Booking.objects.filter(pk=booking.pk, **{f"{field_name}__isnull": True}).update(
            **{field_name: timezone.now()}
        )
    )


def _series_reminders_due(day_start: datetime.datetime, day_end: datetime.datetime):
    """Confirmed series registrations whose first date to come since they were confirmed
    (registered or promoted) is the day from ``day_start`` to ``day_end``."""
    live_dates = Occurrence.objects.filter(event=OuterRef("event_id")).exclude(
        status=OccurrenceStatus.CANCELLED
    )
    return (
        Booking.objects.filter(
            event__isnull=False, status=BookingStatus.CONFIRMED, reminder_sent_at__isnull=True
        )
        .annotate(confirmed_since=Coalesce("promoted_at", "created_at"))
        .filter(Exists(live_dates.filter(start__gte=day_start, start__lt=day_end)))
        .exclude(
            Exists(live_dates.filter(start__gte=OuterRef("confirmed_since"), start__lt=day_start))
        )
        .exclude(email="")
    )


def send_reminders(today: datetime.date | None = None) -> int:
    """Remind confirmed visitors the day before their visit, participants the day
    before their agenda date, and participants of a series the day before its first date
    to come (once each)."""
    today = today or timezone.localdate()
    sent = 0
    bookings = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        slot__date=today + datetime.timedelta(days=1),
        reminder_sent_at__isnull=True,
    ).exclude(email="")
    tomorrow = today + datetime.timedelta(days=1)
    day_start = datetime.datetime.combine(tomorrow, datetime.time(0), tzinfo=BRUSSELS)
    day_end = datetime.datetime.combine(
        tomorrow + datetime.timedelta(days=1), datetime.time(0), tzinfo=BRUSSELS
    )
    registrations = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            occurrence__start__gte=day_start,
            occurrence__start__lt=day_end,
            reminder_sent_at__isnull=True,
        )
        .exclude(occurrence__status=OccurrenceStatus.CANCELLED)
        .exclude(email="")
    )
    series = _series_reminders_due(day_start, day_end)
    for booking in [*bookings, *registrations, *series]:
        if _claim(booking, "reminder_sent_at"):
            sent += send_booking_email(booking, "booking_reminder")
    return sent


def appreciation_url(booking: Booking) -> str:
    return _url(booking.language, "appreciation", booking_token(booking))


def send_appreciation_requests(today: datetime.date | None = None) -> int:
    """After the week, ask each visitor who came for an appreciation (once each)."""
    today = today or timezone.localdate()
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            appreciation_sent_at__isnull=True,
            slot__registration__week__end_date__lt=today,
            slot__registration__week__end_date__gte=today - datetime.timedelta(days=30),
        )
        .exclude(email="")
        .select_related("slot__registration__week")
    )
    sent = 0
    for booking in bookings:
        if not _claim(booking, "appreciation_sent_at"):
            continue
        week = booking.slot.registration.week
        sent += send_transactional(
            "opendoors/email/appreciation",
            {"booking": booking, "week": week, "form_url": appreciation_url(booking)},
            [booking.email],
            booking.language,
            key=f"opendoors.appreciation:{booking.pk}",
        )
    return sent


def record_appreciation(booking: Booking, data: dict):
    """One answer per booking; a second submit updates it instead of adding one."""
    answer, _created = AppreciationResponse.objects.update_or_create(
        booking=booking, defaults={"week": booking.slot.registration.week, **data}
    )
    return answer


# --- the agenda --------------------------------------------------------------------


def sync_week_to_agenda(week: OpenDoorWeek):
    """Put the week on the shared agenda as an all-day Semaine Portes Ouvertes event.

    Calls ``events.services.upsert_external_event`` keyed on ``("opendoors",
    "week-<pk>")`` (idempotent; the agenda raises the event's SEQUENCE only when
    something changed). An unpublished week becomes a draft event, so it leaves
    the agenda. Returns the Event.
    """
    return upsert_external_event(
        "opendoors",
        f"week-{week.pk}",
        kind_slug="portes-ouvertes",
        title_fr=f"Semaine Portes Ouvertes : {week.name_fr}",
        title_nl=f"Opendeurweek: {week.name_nl}",
        description_fr=week.description_fr,
        description_nl=week.description_nl,
        bassins=[week.bassin],
        start=week.start_date,
        end=week.end_date,
        all_day=True,
        url=f"{settings.SITE_URL}/fr/portes-ouvertes/{week.slug}/",
        status="published" if week.is_published else "draft",
        is_demo=week.is_demo,
    )
