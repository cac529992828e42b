"""iCalendar documents of bookings: an open-door visit's, an agenda date's or an agenda
series' registration attachment, and a week's programme.

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
from events.models import OccurrenceStatus

from .models import Booking, BookingStatus, OpenDoorWeek, Slot
from .queries import series_dates

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


def occurrence_location(occurrence) -> str:
    """Where an agenda date takes place: its own venue when moved there, else the event's."""
    event = occurrence.event
    venue = occurrence.venue_name or event.venue_name
    address = occurrence.venue_address or event.venue_address
    postal = "" if occurrence.venue_address else event.postal_code
    return ", ".join(part for part in (venue, f"{address} {postal}".strip()) if part.strip())


def event_location(event) -> str:
    """Where a series takes place (its dates' own venues are in the .ics)."""
    venue = event.venue_name
    address = f"{event.venue_address} {event.postal_code}".strip()
    return ", ".join(part for part in (venue, address) if part.strip())


def series_booking_ics(booking: Booking, language: str) -> bytes:
    """Every date of the series registered for, one VEVENT each (UID = the booking and
    the date, so each entry follows the registration and its date: a cancelled date or
    a cancelled registration is STATUS:CANCELLED, SEQUENCE from the booking)."""
    event = booking.event
    title = localized(event, "title", language)
    calendar = new_calendar(title)
    now = timezone.now()
    url = settings.SITE_URL + event.get_absolute_url(language)
    description = localized(event, "description", language)
    registration_cancelled = booking.status == BookingStatus.CANCELLED
    for occurrence in series_dates(event).select_related("event"):
        entry = Event()
        entry.add("uid", booking_uid(f"{booking.uid}-{occurrence.pk}"))
        entry.add("dtstamp", now)
        entry.add("dtstart", occurrence.start.astimezone(BRUSSELS))
        entry.add("dtend", occurrence.end.astimezone(BRUSSELS))
        entry.add("sequence", booking.sequence)
        add_text(entry, "summary", title)
        add_text(entry, "location", occurrence_location(occurrence))
        add_text(entry, "description", description)
        cancelled = registration_cancelled or occurrence.status == OccurrenceStatus.CANCELLED
        entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        entry.add("url", url)
        calendar.add_component(entry)
    return calendar.to_ical()


def occurrence_booking_ics(booking: Booking, language: str) -> bytes:
    """The calendar entry of one registration for an agenda date (UID = the booking, so
    the entry follows the registration: confirmed, then cancelled)."""
    occurrence = booking.occurrence
    event = occurrence.event
    title = localized(event, "title", language)
    calendar = new_calendar(title)
    entry = Event()
    entry.add("uid", booking_uid(booking.uid))
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", occurrence.start.astimezone(BRUSSELS))
    entry.add("dtend", occurrence.end.astimezone(BRUSSELS))
    entry.add("sequence", booking.sequence)
    add_text(entry, "summary", title)
    add_text(entry, "location", occurrence_location(occurrence))
    add_text(entry, "description", localized(event, "description", language))
    entry.add("status", "CANCELLED" if booking.status == BookingStatus.CANCELLED else "CONFIRMED")
    entry.add("url", settings.SITE_URL + event.get_absolute_url(language))
    calendar.add_component(entry)
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
