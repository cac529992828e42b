"""The agenda's own feed, imported into an empty agenda, gives the same occurrences.

Reuses the scenario of tests/events/test_roundtrip.py (DST on both changes, EXDATE
stored at 00:00, RDATE, a moved, a cancelled and a changed occurrence, an all-day and
two multi-day events) and compares both feeds through an independent expander
(recurring-ical-events), then the JSON API (which also says "moved").
"""

import datetime

import icalendar
import pytest
import recurring_ical_events
from django.core.cache import cache

from events.calendars.services import import_calendar
from events.models import Event
from tests.events.factories import body
from tests.events.test_roundtrip import BRUSSELS, as_utc, check_parsers, scenario  # noqa: F401

from .factories import make_source

pytestmark = pytest.mark.django_db


def feed_occurrences(ics: bytes, start, end) -> set:
    cal = icalendar.Calendar.from_ical(ics)
    keys = set()
    for component in recurring_ical_events.of(cal).between(start, end):
        rid = component.get("RECURRENCE-ID")
        keys.add(
            (
                str(component["SUMMARY"]),
                as_utc(rid.dt) if rid else as_utc(component["DTSTART"].dt),
                as_utc(component["DTSTART"].dt),
                as_utc(component["DTEND"].dt),
                str(component.get("STATUS", "CONFIRMED")).lower(),
                isinstance(component["DTSTART"].dt, datetime.datetime),
            )
        )
    return keys


def api_occurrences(client, year) -> set:
    data = client.get("/api/events", {"start": f"{year}-01-01", "end": f"{year}-12-31"}).json()
    return {
        (o["title"], o["recurrence_id"], o["start"], o["end"], o["status"], o["all_day"])
        for o in data["occurrences"]
    }


def test_own_feed_imported_into_an_empty_agenda_gives_the_same_occurrences(
    client,
    scenario,  # noqa: F811 (the fixture of tests/events/test_roundtrip.py)
):
    year = scenario["year"]
    start = datetime.datetime(year, 1, 1, tzinfo=BRUSSELS)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=BRUSSELS)
    original = body(client.get("/feeds/agenda.ics"))
    expected = feed_occurrences(original, start, end)
    expected_api = api_occurrences(client, year)
    assert len(expected) == 14  # 6 weekly, 5 autumn, 3 single
    assert {k[4] for k in expected} == {"confirmed", "cancelled"}
    assert {k[5] for k in expected} == {True, False}  # timed and all-day

    Event.objects.all().delete()
    cache.clear()
    source = make_source("Maillage lui-même", bassins=())
    report = import_calendar(source, original)
    assert (report.created, report.skipped) == (5, [])

    again = body(client.get("/feeds/agenda.ics"))
    check_parsers(again)
    assert feed_occurrences(again, start, end) == expected
    assert api_occurrences(client, year) == expected_api
    assert import_calendar(source, original).unchanged == 5
