"""Wagtail admin views: the moderation queue and the dates of a series."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.windows import in_bounds

from . import services
from .forms import MoveOccurrenceForm, RejectForm
from .models import Event, EventStatus
from .permissions import EVENT_SCOPE


def _require(request, perm: str):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _scoped_event(request, pk: int) -> Event:
    event = get_object_or_404(Event, pk=pk)
    if not EVENT_SCOPE.allows(request.user, event):
        raise PermissionDenied
    return event


def moderation_queue(request):
    _require(request, "events.moderate_event")
    pending = (
        EVENT_SCOPE.filter(Event.objects.filter(status=EventStatus.PENDING), request.user)
        .select_related("kind")
        .prefetch_related("bassins")
        .order_by("created_at")
    )
    return render(
        request,
        "events/admin/moderation.html",
        {"events": pending, "reject_form": RejectForm(), "header_title": _("Propositions")},
    )


@require_POST
def approve(request, pk: int):
    _require(request, "events.moderate_event")
    event = _scoped_event(request, pk)
    try:
        services.approve_proposal(event, request.user)
    except ValueError:
        messages.error(request, _("Cette proposition a déjà été traitée."))
    else:
        messages.success(request, _("« %(title)s » est publié.") % {"title": event.title_fr})
    return redirect("events_moderation")


@require_POST
def reject(request, pk: int):
    _require(request, "events.moderate_event")
    event = _scoped_event(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif du refus."))
        return redirect("events_moderation")
    try:
        services.reject_proposal(event, form.cleaned_data["reason"], request.user)
    except ValueError:
        messages.error(request, _("Cette proposition a déjà été traitée."))
    else:
        messages.success(request, _("« %(title)s » est refusé.") % {"title": event.title_fr})
    return redirect("events_moderation")


def occurrences(request, pk: int):
    """Dates of a series: cancel, move or restore one date."""
    _require(request, "events.change_event")
    event = _scoped_event(request, pk)
    since = timezone.now() - datetime.timedelta(days=31)
    rows = event.occurrences.filter(end__gte=since).order_by("start")[:200]
    move_form = MoveOccurrenceForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            rid = datetime.datetime.fromisoformat(request.POST.get("recurrence_id", ""))
            if timezone.is_naive(rid) or not in_bounds(rid):
                raise ValueError  # out of bounds: year 1 at +05:00 is before UTC's year 1
        except ValueError:
            messages.error(request, _("Date inconnue."))
            return redirect("events_occurrences", pk=pk)
        if not event.occurrences.filter(recurrence_id=rid).exists():
            messages.error(request, _("Date inconnue."))
            return redirect("events_occurrences", pk=pk)
        if action == "cancel":
            services.cancel_occurrence(
                event,
                rid,
                request.POST.get("note_fr", "")[:300],
                request.POST.get("note_nl", "")[:300],
            )
            messages.success(request, _("Date annulée."))
        elif action == "restore":
            services.restore_occurrence(event, rid)
            messages.success(request, _("Date rétablie."))
        elif action == "move":
            move_form = MoveOccurrenceForm(request.POST)
            if move_form.is_valid():
                data = move_form.cleaned_data
                services.move_occurrence(
                    event,
                    rid,
                    data["start"],
                    data["end"],
                    venue_name=data["venue_name"],
                    note_fr=data["note_fr"],
                    note_nl=data["note_nl"],
                )
                messages.success(request, _("Date déplacée."))
            else:
                reasons = [str(m) for errors in move_form.errors.values() for m in errors]
                messages.error(request, " ".join([_("Nouvelle date invalide."), *reasons]))
        else:
            messages.error(request, _("Action inconnue."))
        return redirect("events_occurrences", pk=pk)
    return render(
        request,
        "events/admin/occurrences.html",
        {
            "event": event,
            "rows": rows,
            "move_form": move_form,
            "header_title": _("Dates de la série"),
        },
    )
