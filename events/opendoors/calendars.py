"""iCalendar documents of the open-door weeks: a booking's attachment, a week's programme.

Built with the project's one builder, ``events.ical`` (PRODID, Europe/Brussels
VTIMEZONE, UIDs): a booking's UID is its uuid and a slot's its pk, so calendars
update entries instead of duplicating them; SEQUENCE comes from the booking and rises
on each change.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Event

from core.i18n import localized
from events.ical import TZID, add_text, booking_uid, new_calendar, slot_uid

from .models import Booking, BookingStatus, OpenDoorWeek, Slot

BRUSSELS = ZoneInfo(TZID)


def _slot_times(slot: Slot):
    return (
        slot.starts_at().astimezone(BRUSSELS),
        slot.ends_at().astimezone(BRUSSELS),
    )


def _location(registration) -> str:
    return ", ".join(
        part
        for part in (registration.street, f"{registration.postal_code} {registration.city}")
        if part.strip()
    )


def booking_ics(booking: Booking, language: str) -> bytes:
    """The calendar entry for one booking; STATUS:CANCELLED once cancelled."""
    slot = booking.slot
    registration = slot.registration
    week = registration.week
    start, end = _slot_times(slot)
    calendar = new_calendar(localized(week, "name", language))
    event = Event()
    event.add("uid", booking_uid(booking.uid))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", booking.sequence)
    title = f"{localized(week, 'name', language)} — {registration.organisation_name}"
    add_text(event, "summary", title)
    add_text(event, "location", _location(registration))
    add_text(event, "description", registration.discover)
    event.add("status", "CANCELLED" if booking.status == BookingStatus.CANCELLED else "CONFIRMED")
    with translation.override(language):
        event.add("url", settings.SITE_URL + reverse("opendoors:programme", args=[week.slug]))
    calendar.add_component(event)
    return calendar.to_ical()


def programme_ics(week: OpenDoorWeek, slots: Iterable[Slot], language: str) -> bytes:
    """Every approved slot of the week, one VEVENT each (UID = the slot)."""
    calendar = new_calendar(localized(week, "name", language))
    now = timezone.now()
    for slot in slots:
        registration = slot.registration
        start, end = _slot_times(slot)
        event = Event()
        event.add("uid", slot_uid(slot.pk))
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        title = f"{registration.organisation_name} ({slot.get_format_display()})"
        add_text(event, "summary", title)
        add_text(event, "location", _location(registration))
        add_text(event, "description", registration.discover)
        with translation.override(language):
            event.add(
                "url", settings.SITE_URL + reverse("opendoors:book", args=[week.slug, slot.pk])
            )
        calendar.add_component(event)
    return calendar.to_ical()
