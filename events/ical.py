"""The one iCalendar (RFC 5545) builder of the project: calendars, time zone and UIDs.

The agenda feeds and event downloads (``events.feeds``) and the open-door booking
attachments and programmes (``events.opendoors.calendars``) all start from
``new_calendar``: same PRODID, METHOD:PUBLISH, the Europe/Brussels VTIMEZONE. Text goes
in through ``add_text``, which removes control characters (and line breaks outside
DESCRIPTION) whatever reached the database, so no calendar breaks on a poisoned row.

UIDs are the identity of an entry in every calendar that imported it: changing one
duplicates the entry there. The three forms below were published with different
domains and are kept as they are (``tests/events/test_ical.py`` holds them).
"""

from __future__ import annotations

import datetime
import functools

import icalendar
from django.conf import settings

from core.text import printable, single_line

PRODID = "-//Maillage//Agenda des bassins d'aide et de soins//FR"
TZID = "Europe/Brussels"


def event_uid(event_uuid) -> str:
    """An agenda event (shared by all occurrences of a series)."""
    return f"event-{event_uuid}@maillage.brussels"


def booking_uid(booking_uuid) -> str:
    """An open-door booking (the visitor's attachment)."""
    return f"opendoors-booking-{booking_uuid}@maillage"


def slot_uid(slot_pk: int) -> str:
    """An open-door slot (a week's programme)."""
    return f"opendoors-slot-{slot_pk}@maillage"


@functools.cache
def vtimezone() -> icalendar.Timezone:
    return icalendar.Timezone.from_tzid(
        TZID, first_date=datetime.date(2015, 1, 1), last_date=datetime.date(2040, 1, 1)
    )


def new_calendar(name: str, *, refresh: datetime.timedelta | None = None) -> icalendar.Calendar:
    """An empty calendar named ``name`` with the Brussels VTIMEZONE.

    ``refresh`` (subscribed feeds) adds REFRESH-INTERVAL and X-PUBLISHED-TTL.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    add_text(cal, "x-wr-calname", name)
    add_text(cal, "name", name)
    cal.add("x-wr-timezone", TZID)
    if refresh is not None:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(refresh).to_ical().decode())
    cal.add_component(vtimezone())
    return cal


def feed_refresh() -> datetime.timedelta:
    """How often subscribed clients should poll: the feed cache lifetime, 15 min at least."""
    return datetime.timedelta(seconds=max(settings.FEED_CACHE_SECONDS, 900))


def add_text(component, name: str, value, parameters: dict | None = None) -> None:
    """Add a text property: DESCRIPTION keeps its line breaks, every other value (and
    every parameter) is put on one line; control characters are removed."""
    clean = printable if name.lower() == "description" else single_line
    value = [clean(item) for item in value] if isinstance(value, list) else clean(value)
    if parameters:
        parameters = {key: single_line(param) for key, param in parameters.items()}
    component.add(name, value, parameters=parameters)
