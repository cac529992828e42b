"""Agenda pages, feeds and API: languages, bad input, conditional GET, cache, query counts."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone

from events import services
from events.models import EventStatus

from .factories import body, local, make_event

pytestmark = pytest.mark.django_db


def soon(days=3, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return local(day.year, day.month, day.day, hour, 0)


@pytest.fixture
def events(agenda_reference):
    return [
        make_event(
            "Rendez-vous Jette",
            bassins=["nord"],
            start=soon(2),
            rule="RRULE:FREQ=WEEKLY;COUNT=4",
            themes=["tabac"],
            languages="fr,nl",
        ),
        make_event(
            "Concertation Forest",
            kind="concertation",
            bassins=["sud"],
            start=soon(5),
            audience="everyone",
        ),
        make_event("Brouillon caché", bassins=["nord"], start=soon(3), status=EventStatus.DRAFT),
    ]


def make_many(n, offset=0):
    for index in range(n):
        make_event(
            f"Série {offset + index}",
            bassins=["nord", "sud"],
            start=soon(1 + index % 20),
            rule="RRULE:FREQ=WEEKLY;COUNT=3",
            themes=["tabac"],
        )


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/fr/agenda/", "Agenda des bassins d'aide et de soins"),
        ("/nl/agenda/", "Deze week"),
        ("/fr/agenda/nord/", "Agenda du bassin Nord"),
        ("/nl/agenda/noord/", "Agenda van zorgzone Noord"),
        ("/fr/agenda/mois/", "Mois suivant"),
        ("/nl/agenda/zuid/maand/", "Volgende maand"),
    ],
)
def test_pages_in_both_languages(client, events, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_list_groups_by_day_and_hides_drafts(client, events):
    html = client.get("/fr/agenda/nord/").content.decode()
    assert html.count("Rendez-vous Jette") == 4
    assert "Brouillon caché" not in html
    assert "Concertation Forest" not in html
    assert html.count('class="agenda-day-title"') >= 4
    assert "webcal://" in html and "/feeds/nord.ics?lang=fr" in html


def test_filters_in_query_string(client, events):
    html = client.get("/fr/agenda/", {"kind": "concertation"}).content.decode()
    assert "Concertation Forest" in html and "Rendez-vous Jette" not in html
    html = client.get("/fr/agenda/", {"theme": "tabac", "language": "nl"}).content.decode()
    assert "Rendez-vous Jette" in html and "Concertation Forest" not in html
    html = client.get("/fr/agenda/", {"q": "forest"}).content.decode()
    assert "Concertation Forest" in html and "Rendez-vous Jette" not in html
    assert "feeds/agenda.ics?q=forest&amp;lang=fr" in html
    html = client.get("/fr/agenda/", {"audience": "residents"}).content.decode()
    assert "Concertation Forest" in html  # audience "everyone" matches residents too
    html = client.get("/fr/agenda/", {"bassin": ["sud", "nord"]}).content.decode()
    assert "Concertation Forest" in html and "Rendez-vous Jette" in html


def test_shortcuts_and_empty_state(client, events):
    assert client.get("/fr/agenda/", {"period": "week"}).status_code == 200
    assert client.get("/fr/agenda/", {"period": "month"}).status_code == 200
    html = client.get("/fr/agenda/", {"q": "introuvable"}).content.decode()
    assert "Aucun événement ne correspond à cette sélection." in html


@pytest.mark.parametrize(
    "url",
    [
        "/fr/agenda/?bassin=atlantide",
        "/fr/agenda/?start=2026-02-30",
        "/fr/agenda/?start=2026-01-10&end=2026-01-01",
        "/fr/agenda/?start=2026-01-01&end=2028-01-01",
        "/fr/agenda/?period=year",
        "/fr/agenda/?q=" + "x" * 500,
        "/fr/agenda/mois/?month=2026-13",
        "/nl/agenda/?kind=nope",
    ],
)
def test_bad_filters_on_pages_are_400_with_message(client, events, url):
    response = client.get(url)
    assert response.status_code == 400
    assert 'data-testid="filter-error"' in response.content.decode()


def test_unknown_bassin_page_is_404(client, events):
    assert client.get("/fr/agenda/atlantide/").status_code == 404


@pytest.mark.parametrize(
    "url,needle",
    [
        ("/api/events?start=2026-01-01", "start et end"),
        ("/api/events?start=nope&end=2026-01-01", "start"),
        ("/api/events?start=2026-01-01&end=2027-06-01", "un an"),
        ("/api/events?start=2026-01-01&end=2026-02-01&bassin=zz", "bassin"),
        ("/api/events?start=2026-01-01&end=2026-02-01&lang=de", "lang"),
        ("/feeds/agenda.ics?bassin=zz", "bassin"),
        ("/feeds/atlantide.ics", "atlantide"),
        ("/feeds/agenda.ics?lang=en", "lang"),
    ],
)
def test_bad_filters_on_machines_are_400(client, events, url, needle):
    response = client.get(url)
    assert response.status_code == 400
    assert needle in response.content.decode().lower() or needle in response.content.decode()


def test_api_lists_occurrences(client, events):
    first, last = timezone.localdate(), timezone.localdate() + datetime.timedelta(days=60)
    data = client.get("/api/events", {"start": first, "end": last, "lang": "nl"}).json()
    titles = [o["title"] for o in data["occurrences"]]
    assert titles.count("Rendez-vous Jette NL") == 4
    assert "Brouillon caché NL" not in titles
    one = data["occurrences"][0]
    assert set(one) >= {
        "uid",
        "recurrence_id",
        "title",
        "start",
        "end",
        "all_day",
        "status",
        "kind",
        "bassins",
        "venue",
        "url",
    }
    assert one["url"].startswith("http") and "/nl/agenda/activiteit/" in one["url"]


def test_feed_conditional_get_and_invalidation(client, events):
    first = client.get("/feeds/nord.ics")
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/feeds/nord.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/nord.ics", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Another selection has another ETag.
    assert client.get("/feeds/sud.ics")["ETag"] != etag
    # An edit invalidates: new ETag, new content.
    event = events[0]
    event.title_fr = "Rendez-vous Jette (nouveau lieu)"
    with_commit(lambda: services.save_event(event))
    again = client.get("/feeds/nord.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    content = body(again)
    assert b"nouveau lieu" in content
    cal = icalendar.Calendar.from_ical(content)
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    assert int(master["SEQUENCE"]) == 1


def with_commit(func):
    from django.db import transaction

    real = transaction.on_commit
    transaction.on_commit = lambda callback, using=None, robust=False: callback()
    try:
        return func()
    finally:
        transaction.on_commit = real


def test_cached_feed_is_not_rebuilt(client, events, django_assert_max_num_queries):
    client.get("/feeds/agenda.ics")
    with django_assert_max_num_queries(4):  # filter choices only; no event query
        assert client.get("/feeds/agenda.ics").status_code == 200


def test_feed_drops_old_events(client, agenda_reference, settings):
    settings.FEED_PAST_WINDOW_DAYS = 30
    make_event("Ancien", bassins=["nord"], start=soon(-60))
    make_event("Récent", bassins=["nord"], start=soon(-10))
    text = body(client.get("/feeds/agenda.ics")).decode()
    assert "Récent" in text and "Ancien" not in text


def test_rss_and_atom(client, events):
    rss = client.get("/feeds/agenda.rss")
    assert rss.status_code == 200 and b"Rendez-vous Jette" in rss.content
    atom = client.get("/feeds/agenda.atom?lang=nl")
    assert atom.status_code == 200 and b"Rendez-vous Jette NL" in atom.content
    assert b"Brouillon" not in rss.content


def test_event_page(client, events):
    event = events[0]
    rid = event.occurrences.order_by("start")[1].recurrence_id
    services.cancel_occurrence(event, rid, note_fr="Salle indisponible")
    html = client.get(f"/fr/agenda/evenement/{event.pk}/").content.decode()
    assert "Annulé" in html and "Salle indisponible" in html
    assert html.count('data-testid="occurrence"') == 4
    assert "Ajouter la série à mon agenda" in html
    assert client.get(f"/nl/agenda/activiteit/{event.pk}/").status_code == 200
    assert client.get(f"/fr/agenda/evenement/{events[2].pk}/").status_code == 404
    assert client.get("/fr/agenda/evenement/999999/").status_code == 404


def test_each_date_of_a_series_links_to_its_own_ics(client, events):
    event = events[0]
    html = client.get(f"/fr/agenda/evenement/{event.pk}/").content.decode()
    links = re.findall(r'href="([^"]+/ics/\?occurrence=[^"]+)"', html)
    assert links
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200
        assert b"BEGIN:VEVENT" in response.content


def test_osm_link(client, agenda_reference):
    event = make_event(
        "Avec adresse",
        bassins=["nord"],
        start=soon(),
        venue_name="GC Essegem",
        venue_address="Leopold I-straat 329",
        postal_code="1090",
    )
    html = client.get(f"/fr/agenda/evenement/{event.pk}/").content.decode()
    assert "openstreetmap.org/search?query=Leopold" in html


@pytest.mark.parametrize(
    "url",
    [
        "/fr/agenda/",
        "/fr/agenda/nord/",
        "/fr/agenda/mois/",
        "/feeds/agenda.ics",
        "/feeds/nord.ics",
        "/api/events?start={today}&end={later}",
    ],
)
def test_query_counts_do_not_grow(client, agenda_reference, django_assert_max_num_queries, url):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    url = url.format(today=today, later=today + datetime.timedelta(days=60))
    make_many(3)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_many(30, offset=3)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert b"S\xc3\xa9rie 32" in body(response) or "mois" in url


def test_a_month_day_shows_its_first_three_dates_and_links_to_its_whole_filtered_list(
    client, agenda_reference
):
    day = soon(40).date()
    for hour in range(9, 14):
        make_event(f"Permanence {hour}h", kind="cab", bassins=["nord"], start=soon(40, hour))
    make_event("Autre type", kind="formation", bassins=["nord"], start=soon(40, 15))
    page = client.get("/nl/agenda/noord/maand/", {"month": f"{day:%Y-%m}", "kind": "cab"})
    html = page.content.decode()
    assert html.count('data-testid="month-event"') == 3
    assert "Permanence 9h" in html and "Permanence 12h" not in html
    link = re.search(r'class="month-more" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert link == f"/nl/agenda/noord/?kind=cab&start={day}&end={day}"
    assert "+ 2 andere" in html
    listed = client.get(link).content.decode()
    assert listed.count('data-testid="event-row"') == 5 and "Autre type" not in listed


@pytest.mark.parametrize(
    "path, label",
    [
        ("/fr/agenda/evenement/{pk}/", "Prochaine date :"),
        ("/nl/agenda/activiteit/{pk}/", "Volgende datum:"),
    ],
)
def test_a_series_page_shows_its_next_date_first_not_the_series_first_date(
    client, agenda_reference, path, label
):
    today = timezone.localdate()
    started = today - datetime.timedelta(days=20)  # weekly: the next date is tomorrow
    event = make_event(
        "Rendez-vous depuis trois semaines",
        bassins=["nord"],
        start=local(started.year, started.month, started.day, 14, 0),
        rule="RRULE:FREQ=WEEKLY;COUNT=8",
    )
    html = client.get(path.format(pk=event.pk)).content.decode()
    nxt = re.search(r'data-testid="next-occurrence"><strong>([^<]*)</strong>', html).group(1)
    assert nxt.startswith(label)
    next_day = today + datetime.timedelta(days=1)
    assert f" {next_day.day} " in nxt and str(next_day.year) in nxt
    # The next date comes before the series' first date, and the list starts with it.
    assert html.index('data-testid="next-occurrence"') < html.index(
        {"fr": "Série depuis le", "nl": "Reeks sinds"}[path[1:3]]
    )
