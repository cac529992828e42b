"""Wagtail admin views for bassin teams: the moderation queue, bookings and appreciations,
and the registrations for agenda events ("Inscription sur Maillage")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from events.permissions import EVENT_SCOPE

from . import exports, queries, services
from .forms import ModerationForm
from .models import Booking, BookingStatus, RegistrationStatus
from .permissions import registrations_for_user, weeks_for_user

PERMISSION = "opendoors.change_registration"
EVENT_PERMISSION = "events.change_event"


def _require_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def moderation_queue(request):
    _require_permission(request)
    registrations = registrations_for_user(request.user).prefetch_related("slots")
    status = request.GET.get("status", RegistrationStatus.SUBMITTED)
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    week_id = request.GET.get("week", "")
    if week_id.isdigit():
        registrations = registrations.filter(week_id=week_id)
    return TemplateResponse(
        request,
        "opendoors/admin/moderation_queue.html",
        {
            "registrations": registrations.order_by("week__start_date", "created_at"),
            "statuses": RegistrationStatus.choices,
            "current_status": status,
            "weeks": weeks_for_user(request.user),
            "current_week": week_id,
            "page_title": _("Modération des inscriptions"),
        },
    )


def moderate(request, pk):
    _require_permission(request)
    registration = get_object_or_404(
        registrations_for_user(request.user).prefetch_related("slots", "themes"), pk=pk
    )
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if form.is_valid():
            action, message = form.cleaned_data["action"], form.cleaned_data["message"]
            if action == "approve":
                services.approve_registration(registration, request.user, message)
                messages.success(request, _("Inscription approuvée : l'organisation est prévenue."))
            elif action == "changes":
                services.request_changes(registration, request.user, message)
                messages.success(
                    request, _("Modifications demandées : l'organisation est prévenue.")
                )
            else:
                services.reject_registration(registration, request.user, message)
                messages.success(request, _("Inscription refusée : l'organisation est prévenue."))
            return redirect("opendoors_admin:moderation_queue")
    else:
        form = ModerationForm()
    return TemplateResponse(
        request,
        "opendoors/admin/moderate.html",
        {"registration": registration, "form": form, "page_title": registration.organisation_name},
    )


def week_bookings(request, pk):
    _require_permission(request)
    week = get_object_or_404(weeks_for_user(request.user), pk=pk)
    bookings = (
        Booking.objects.filter(slot__registration__week=week)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot__registration")
        .order_by("slot__date", "slot__start_time", "slot_id", "status", "created_at")
    )
    if request.GET.get("format") == "csv":
        return exports.attendees_csv_response(bookings, f"reservations-{week.slug}.csv")
    slots = list(queries.programme_slots(week))
    return TemplateResponse(
        request,
        "opendoors/admin/week_bookings.html",
        {
            "week": week,
            "slots": slots,
            "bookings": bookings,
            "totals": queries.appreciation_totals(week),
            "comments": week.appreciations.exclude(comment="")[:50],
            "page_title": str(week),
        },
    )


def _require_event_permission(request):
    if not request.user.has_perm(EVENT_PERMISSION):
        raise PermissionDenied


def registration_events(request):
    """Events taking registrations on Maillage, those of the user's bassins only."""
    _require_event_permission(request)
    events = EVENT_SCOPE.filter(queries.registration_events(), request.user)
    return TemplateResponse(
        request,
        "events/admin/registration_events.html",
        {"events": events, "page_title": _("Inscriptions aux événements")},
    )


def event_attendees(request, pk):
    """One event's registrations, date by date (CSV with ``?format=csv``), for the teams
    of the event's bassins (region-wide events: the regional team)."""
    _require_event_permission(request)
    event = get_object_or_404(
        EVENT_SCOPE.filter(queries.registration_events(), request.user), pk=pk
    )
    attendees = queries.event_attendees(event)
    if request.GET.get("format") == "csv":
        return exports.event_attendees_csv_response(
            event, attendees, f"inscriptions-{event.pk}.csv"
        )
    return TemplateResponse(
        request,
        "events/admin/event_attendees.html",
        {
            "event": event,
            "attendees": list(attendees),
            "organiser_url": services.organiser_url(event),
            "page_title": event.title_fr,
        },
    )
