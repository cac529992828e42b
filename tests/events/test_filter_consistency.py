"""Property-based: any filter combination gives the same occurrences on the page, in the
feed (expanded by recurring-ical-events) and in /api/events."""

import datetime
import zoneinfo

import icalendar
import pytest
import recurring_ical_events
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import services

from .factories import body, make_event
from .test_roundtrip import as_utc, page_keys

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def varied(agenda_reference, settings):
    settings.EVENTS_HORIZON_DAYS = 400
    base = timezone.localdate() + datetime.timedelta(days=1)

    def at(days, hour):
        day = base + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BRUSSELS)

    make_event(
        "Tabac Nord",
        bassins=["nord"],
        start=at(0, 10),
        themes=["tabac"],
        rule="RRULE:FREQ=WEEKLY;COUNT=5",
        audience="residents",
        languages="fr,nl",
    )
    make_event(
        "Santé mentale Sud",
        kind="concertation",
        bassins=["sud"],
        start=at(2, 14),
        themes=["sante-mentale"],
        audience="professionals",
        languages="fr",
    )
    make_event(
        "Région", kind="car", bassins=[], start=at(4, 9), audience="everyone", languages="fr,nl,en"
    )
    series = make_event(
        "Vaccination Nord-Est et Sud",
        kind="formation",
        bassins=["nord-est", "sud"],
        start=at(1, 13),
        themes=["vaccination"],
        rule="RRULE:FREQ=DAILY;INTERVAL=3;COUNT=6",
        languages="nl",
    )
    rids = list(series.occurrences.order_by("start").values_list("recurrence_id", flat=True))
    services.cancel_occurrence(series, rids[1])
    services.move_occurrence(series, rids[2], start=rids[2] + datetime.timedelta(hours=3))
    make_event(
        "Journée diabète",
        kind="autre",
        bassins=["sud-est"],
        start=at(6, 0),
        end=at(7, 0),
        all_day=True,
        themes=["diabete"],
        audience="residents",
    )
    return base


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "bassin": st.lists(
            st.sampled_from(["nord", "nord-est", "centre-ouest", "sud", "sud-est"]),
            max_size=2,
            unique=True,
        ),
        "kind": st.lists(
            st.sampled_from(
                ["rendez-vous-prevention", "concertation", "car", "formation", "autre"]
            ),
            max_size=2,
            unique=True,
        ),
        "theme": st.lists(
            st.sampled_from(["tabac", "sante-mentale", "vaccination", "diabete"]),
            max_size=2,
            unique=True,
        ),
        "audience": st.sampled_from(["professionals", "residents", "everyone"]),
        "language": st.sampled_from(["fr", "nl", "en"]),
        "q": st.sampled_from(["nord", "santé", "journée", "x"]),
    },
)


def norm(keys):
    return {k[:4] + (k[4].replace("moved", "confirmed"),) for k in keys}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(filters=FILTERS)
def test_page_feed_and_api_agree(client, varied, filters):
    first = varied
    last = first + datetime.timedelta(days=30)
    window = {"start": first.isoformat(), "end": last.isoformat()}
    api = client.get("/api/events", {**filters, **window})
    assert api.status_code == 200
    from_api = norm(
        (
            o["uid"],
            as_utc(datetime.datetime.fromisoformat(o["recurrence_id"])),
            as_utc(datetime.datetime.fromisoformat(o["start"])),
            as_utc(datetime.datetime.fromisoformat(o["end"])),
            o["status"],
        )
        for o in api.json()["occurrences"]
    )
    page = client.get("/fr/agenda/", {**filters, **window})
    assert page.status_code == 200
    assert norm(page_keys(page.content.decode())) == from_api
    feed = client.get("/feeds/agenda.ics", filters)
    assert feed.status_code == 200
    cal = icalendar.Calendar.from_ical(body(feed))
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=BRUSSELS)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time(0), tzinfo=BRUSSELS
    )
    from_feed = set()
    for c in recurring_ical_events.of(cal).between(start, end):
        rid = c.get("RECURRENCE-ID")
        from_feed.add(
            (
                str(c["UID"]),
                as_utc(rid.dt) if rid else as_utc(c["DTSTART"].dt),
                as_utc(c["DTSTART"].dt),
                as_utc(c["DTEND"].dt),
                str(c.get("STATUS", "CONFIRMED")).lower(),
            )
        )
    assert from_feed == from_api
