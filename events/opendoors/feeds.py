"""iCalendar output: one booking's .ics attachment and a week's programme feed.

Times are written in Europe/Brussels with its VTIMEZONE; UIDs are stable
(a booking's uuid, a slot's pk) so calendars update entries instead of
duplicating them; SEQUENCE comes from the booking and rises on each change.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from bassins.i18n import localized

from .models import Booking, BookingStatus, OpenDoorWeek, Slot

BRUSSELS = ZoneInfo("Europe/Brussels")
PRODID = "-//Maillage//Semaines Portes Ouvertes//FR"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Brussels")
    return calendar


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
    calendar = _calendar(localized(week, "name", language))
    event = Event()
    event.add("uid", f"opendoors-booking-{booking.uid}@maillage")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", booking.sequence)
    event.add("summary", f"{localized(week, 'name', language)} — {registration.organisation_name}")
    event.add("location", _location(registration))
    event.add("description", registration.discover)
    event.add("status", "CANCELLED" if booking.status == BookingStatus.CANCELLED else "CONFIRMED")
    event.add("url", f"{settings.SITE_URL}/{language}/portes-ouvertes/{week.slug}/")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def programme_ics(week: OpenDoorWeek, slots: Iterable[Slot], language: str) -> bytes:
    """Every approved slot of the week, one VEVENT each (UID = the slot)."""
    calendar = _calendar(localized(week, "name", language))
    now = timezone.now()
    for slot in slots:
        registration = slot.registration
        start, end = _slot_times(slot)
        event = Event()
        event.add("uid", f"opendoors-slot-{slot.pk}@maillage")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", f"{registration.organisation_name} ({slot.get_format_display()})")
        event.add("location", _location(registration))
        event.add("description", registration.discover)
        event.add(
            "url",
            f"{settings.SITE_URL}/{language}/portes-ouvertes/{week.slug}/reserver/{slot.pk}/",
        )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
