"""The bassin's Semaine Portes Ouvertes on its hub page (registered from
``OpenDoorsConfig.ready()``)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from bassins import hub

from .models import OpenDoorWeek, RegistrationStatus


def week_state(week: OpenDoorWeek, today: datetime.date) -> str:
    """Where a week stands today, for people: "past", "running", "booking",
    "registration" (organisations may register) or "announced"."""
    if week.end_date < today:
        return "past"
    if week.booking_open_on(today):
        return "running" if week.start_date <= today else "booking"
    if week.start_date <= today:
        return "running"
    if week.registration_open_on(today):
        return "registration"
    return "announced"


def hub_context(bassin, request) -> dict | None:
    """The bassin's current or next week, else its latest past one (one query)."""
    today = timezone.localdate()
    weeks = list(
        OpenDoorWeek.objects.filter(bassin=bassin, is_published=True)
        .annotate(
            approved_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.APPROVED)
            )
        )
        .order_by("start_date")
    )
    coming = [week for week in weeks if week.end_date >= today]
    week = coming[0] if coming else (weeks[-1] if weeks else None)
    if week is None:
        return {"week": None, "bassin": bassin}
    return {"week": week, "state": week_state(week, today), "bassin": bassin}


def register() -> None:
    hub.register_section(
        "opendoors", order=30, template="opendoors/hub_section.html", context=hub_context
    )
