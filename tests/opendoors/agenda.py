"""Builders for registrations to agenda dates ("Inscription sur Maillage")."""

from __future__ import annotations

import datetime

import icalendar
from django.utils import timezone

from events.models import Event, Occurrence, RegistrationMode, RegistrationScope
from events.opendoors import services
from tests.events.factories import make_event


def registration_event(capacity: int = 2, *, days_ahead: int = 3, **fields) -> Event:
    """A published event taking registrations on Maillage, ``days_ahead`` from now at 10:00
    Brussels; ``rule`` makes it a series."""
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=days_ahead)
    return make_event(
        fields.pop("title", "Formation premiers secours"),
        start=start,
        registration=RegistrationMode.INTERNAL,
        capacity=capacity,
        **fields,
    )


def first_date(event: Event) -> Occurrence:
    return event.occurrences.order_by("start").first()


def person(n: int) -> dict:
    """The n-th participant's details, as the booking services take them."""
    return {
        "name": f"Participant {n}",
        "email": f"participant{n}@example.org",
        "organisation": "CPAS de Schaerbeek",
        "profession": "Assistant·e social·e",
    }


def register(occurrence: Occurrence, n: int, language: str = "fr", request: bool = False):
    book = services.request_occurrence_booking if request else services.book_occurrence
    return book(occurrence.pk, **person(n), language=language)


def series_event(capacity: int = 2, *, dates: int = 3, **fields) -> Event:
    """A published weekly series of ``dates`` dates registered for as a whole series
    ("pour toute la série"), its first date ``days_ahead`` (default 3) from now."""
    return registration_event(
        capacity,
        rule=f"RRULE:FREQ=WEEKLY;COUNT={dates}",
        registration_scope=RegistrationScope.SERIES,
        **fields,
    )


def register_series(event: Event, n: int, language: str = "fr", request: bool = False):
    book = services.request_series_booking if request else services.book_series
    return book(event.pk, **person(n), language=language)


def form_post(token: str, **overrides) -> dict:
    """A registration form's POST (one date or a whole series), ``overrides`` applied."""
    return {
        "submission_token": token,
        "name": "Dominique Formation",
        "email": "dominique@example.org",
        "organisation": "Maison médicale",
        "profession": "Infirmière",
        "consent": "on",
        **overrides,
    }


def ics_of(message) -> icalendar.Calendar:
    """The .ics attached to a confirmation e-mail, parsed."""
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    return icalendar.Calendar.from_ical(attachment[1])
