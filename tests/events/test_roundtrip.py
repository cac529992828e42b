"""Feeds parsed back by three libraries equal what /api/events and the agenda page list.

The scenario covers the traps: DST on the last Sunday of March and of October, an
EXDATE stored at 00:00 (django-recurrence's widget), an RDATE, a moved occurrence, a
cancelled one, an all-day event and a multi-day event crossing the October change.
"""

import datetime
import re
import zoneinfo

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone, translation
from ical.calendar_stream import IcsCalendarStream

from events import services

from .factories import body, make_event

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def scenario(agenda_reference, settings):
    settings.EVENTS_HORIZON_DAYS = 900
    year = timezone.localdate().year + 1
    march, october = last_sunday(year, 3), last_sunday(year, 10)

    def at(day, hour, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)

    weekly = make_event(
        "Rendez-vous hebdo",
        bassins=["nord"],
        start=at(march - datetime.timedelta(days=14), 10),
        # EXDATE at 00:00 as the admin widget stores it; RDATE on a Saturday.
        rule=(
            "RRULE:FREQ=WEEKLY;COUNT=6\n"
            f"EXDATE:{(march + datetime.timedelta(days=7)):%Y%m%d}T000000\n"
            f"RDATE:{(march - datetime.timedelta(days=1)):%Y%m%d}T000000"
        ),
    )
    autumn = make_event(
        "Concertation santé mentale",
        kind="concertation",
        bassins=["nord", "sud"],
        start=at(october - datetime.timedelta(days=21), 14),
        end=at(october - datetime.timedelta(days=21), 16, 30),
        rule="RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=5",
    )
    rid = lambda day, hour: at(day, hour).astimezone(datetime.UTC)  # noqa: E731
    services.cancel_occurrence(autumn, rid(october - datetime.timedelta(days=14), 14), "Grève")
    services.move_occurrence(
        autumn,
        rid(october, 14),
        start=at(october + datetime.timedelta(days=1), 9),
        venue_name="Maison de quartier Helmet",
    )
    services.change_occurrence(
        autumn, rid(october + datetime.timedelta(days=7), 14), title_fr="Concertation spéciale"
    )
    make_event(
        "Journée portes ouvertes",
        kind="portes-ouvertes",
        bassins=["sud"],
        start=datetime.datetime.combine(october - datetime.timedelta(days=3), datetime.time(0)),
        end=datetime.datetime.combine(october - datetime.timedelta(days=2), datetime.time(0)),
        all_day=True,
    )
    make_event(
        "Week-end de formation",
        kind="formation",
        bassins=[],
        start=at(october - datetime.timedelta(days=1), 18),
        end=at(october + datetime.timedelta(days=1), 12),
    )
    make_event(
        "Semaine de prévention",
        kind="autre",
        bassins=["nord"],
        start=datetime.datetime.combine(march - datetime.timedelta(days=2), datetime.time(0)),
        end=datetime.datetime.combine(march + datetime.timedelta(days=2), datetime.time(0)),
        all_day=True,
    )
    return {"year": year, "march": march, "october": october, "weekly": weekly, "autumn": autumn}


def as_utc(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC)
    return datetime.datetime.combine(value, datetime.time(0), tzinfo=BRUSSELS).astimezone(
        datetime.UTC
    )


def api_keys(client, params):
    response = client.get("/api/events", params)
    assert response.status_code == 200, response.content
    return {
        (
            o["uid"],
            as_utc(datetime.datetime.fromisoformat(o["recurrence_id"])),
            as_utc(datetime.datetime.fromisoformat(o["start"])),
            as_utc(datetime.datetime.fromisoformat(o["end"])),
            o["status"],
        )
        for o in response.json()["occurrences"]
    }


def feed_keys(ics: bytes, start, end):
    cal = icalendar.Calendar.from_ical(ics)
    keys = set()
    for component in recurring_ical_events.of(cal).between(start, end):
        rid = component.get("RECURRENCE-ID")
        rid = as_utc(rid.dt) if rid else as_utc(component["DTSTART"].dt)
        keys.add(
            (
                str(component["UID"]),
                rid,
                as_utc(component["DTSTART"].dt),
                as_utc(component["DTEND"].dt),
                str(component.get("STATUS", "CONFIRMED")).lower(),
            )
        )
    return keys


def page_keys(html: str):
    keys = set()
    pattern = (
        r'data-uid="([^"]+)" data-recurrence-id="([^"]+)" data-start="([^"]+)" '
        r'data-end="([^"]+)" data-status="([^"]+)"'
    )
    for uid, rid, start, end, status in re.findall(pattern, html):
        keys.add(
            (
                uid,
                as_utc(datetime.datetime.fromisoformat(rid)),
                as_utc(datetime.datetime.fromisoformat(start)),
                as_utc(datetime.datetime.fromisoformat(end)),
                status,
            )
        )
    return keys


def check_parsers(ics: bytes):
    cal = icalendar.Calendar.from_ical(ics)
    assert cal.get_missing_tzids() == set()
    for component in cal.walk():
        assert not component.errors, (component.name, component.errors)
    for event in cal.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            value = event[name].dt
            if isinstance(value, datetime.datetime):
                assert event[name].params.get("TZID") == "Europe/Brussels"
        assert "<" not in str(event.get("DESCRIPTION", ""))
    IcsCalendarStream.calendar_from_ics(ics.decode())  # the stricter parser
    return cal


@pytest.mark.parametrize("lang", ["fr", "nl"])
@pytest.mark.parametrize("bassin", [None, "nord", "sud"])
def test_feed_equals_api_and_agenda_page(client, scenario, lang, bassin):
    year = scenario["year"]
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    params = {"start": first.isoformat(), "end": last.isoformat(), "lang": lang}
    feed_url = f"/feeds/{bassin}.ics" if bassin else "/feeds/agenda.ics"
    if bassin:
        params["bassin"] = bassin
    ics = body(client.get(feed_url, {"lang": lang}))
    check_parsers(ics)
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=BRUSSELS)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time(0), tzinfo=BRUSSELS
    )
    from_feed = feed_keys(ics, start, end)
    # iCal has no "moved" status: a moved occurrence is an override whose DTSTART
    # differs from its RECURRENCE-ID; compare it as confirmed.
    from_api = {k[:4] + (k[4].replace("moved", "confirmed"),) for k in api_keys(client, params)}
    assert from_feed == from_api
    with translation.override(lang):
        page_url = reverse("events:bassin_agenda", args=[bassin]) if bassin else f"/{lang}/agenda/"
    html = client.get(page_url, {"start": first.isoformat(), "end": last.isoformat()})
    assert html.status_code == 200
    from_page = page_keys(html.content.decode())
    assert {k[:4] + (k[4].replace("moved", "confirmed"),) for k in from_page} == from_api
    assert len(from_api) >= (7 if bassin == "sud" else 12)


def test_dst_wall_clock_and_exceptions(client, scenario):
    year, march, october = scenario["year"], scenario["march"], scenario["october"]
    data = client.get(
        "/api/events", {"start": f"{year}-01-01", "end": f"{year}-12-31", "bassin": "nord"}
    ).json()["occurrences"]
    weekly = [o for o in data if o["title"] == "Rendez-vous hebdo"]
    starts = [datetime.datetime.fromisoformat(o["start"]) for o in weekly]
    # 6 weekly + 1 RDATE - 1 EXDATE (stored at 00:00 but still excludes the day).
    assert len(weekly) == 6
    assert {s.hour for s in starts} == {10}
    assert {s.utcoffset() for s in starts} == {
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    }
    assert march + datetime.timedelta(days=7) not in {s.date() for s in starts}
    assert march - datetime.timedelta(days=1) in {s.date() for s in starts}
    autumn = {o["start"][:10]: o for o in data if o["event_id"] == scenario["autumn"].pk}
    assert autumn[str(october - datetime.timedelta(days=14))]["status"] == "cancelled"
    moved = autumn[str(october + datetime.timedelta(days=1))]
    assert moved["status"] == "moved" and moved["start"][11:16] == "09:00"
    assert moved["venue"]["name"] == "Maison de quartier Helmet"
    assert autumn[str(october + datetime.timedelta(days=7))]["title"] == "Concertation spéciale"
    assert [o["start"][11:16] for o in autumn.values() if o["status"] == "confirmed"] == [
        "14:00"
    ] * 3


def test_feed_rrule_exdate_and_overrides(client, scenario):
    cal = check_parsers(body(client.get("/feeds/nord.ics")))
    masters = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    assert len(masters) == 2
    weekly = next(e for e in masters if str(e["SUMMARY"]) == "Rendez-vous hebdo")
    exdate = weekly["EXDATE"]
    exdates = exdate if isinstance(exdate, list) else [exdate]
    assert exdates[0].params["TZID"] == "Europe/Brussels"
    assert exdates[0].dts[0].dt.hour == 10
    assert weekly["RDATE"].params["TZID"] == "Europe/Brussels"
    overrides = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert {str(e["STATUS"]) for e in overrides} == {"CANCELLED", "CONFIRMED"}
    assert all(e["RECURRENCE-ID"].params["TZID"] == "Europe/Brussels" for e in overrides)
    assert str(cal["X-WR-CALNAME"]) == "Maillage – Agenda du bassin Nord"
    assert str(cal["X-PUBLISHED-TTL"]).startswith("PT")
    assert "REFRESH-INTERVAL" in cal
    autumn_master = next(e for e in masters if e is not weekly)
    assert int(autumn_master["SEQUENCE"]) == 3  # cancel, move, change


def test_feed_in_dutch(client, scenario):
    cal = check_parsers(body(client.get("/feeds/nord.ics", {"lang": "nl"})))
    assert str(cal["X-WR-CALNAME"]) == "Maillage – Agenda van zorgzone Noord"
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Rendez-vous hebdo NL" in summaries
    assert all("/nl/agenda/" in str(e["URL"]) for e in cal.walk("VEVENT"))


def test_event_ics_download(client, scenario):
    event = scenario["autumn"]
    response = client.get(f"/fr/agenda/evenement/{event.pk}/ics/")
    assert response["Content-Type"].startswith("text/calendar")
    cal = check_parsers(response.content)
    assert len(cal.walk("VEVENT")) == 1 + 3
    occ = event.occurrences.order_by("start").first()
    one = client.get(
        f"/fr/agenda/evenement/{event.pk}/ics/",
        {"occurrence": occ.recurrence_id.strftime("%Y%m%dT%H%M%SZ")},
    )
    single = check_parsers(one.content).walk("VEVENT")
    assert len(single) == 1 and "RRULE" not in single[0]
    bad = client.get(f"/fr/agenda/evenement/{event.pk}/ics/", {"occurrence": "nope"})
    assert bad.status_code == 400
