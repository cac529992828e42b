"""The agenda index (events.agenda_index) answers exactly what the SQL reads of
events.queries answer, on random filter combinations; it is rebuilt when the agenda
changes and never used inside a transaction."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import snapshots
from events import agenda_index, presentation, queries, version, warmup
from events.agenda_index import AgendaIndex
from events.models import Audience, EventStatus, Occurrence, OccurrenceStatus

from .factories import local, make_event

BASSINS = ["nord", "nord-est", "centre-ouest", "sud", "sud-est"]
KINDS = ["formation", "cab", "car", "concertation", "autre"]
THEMES = ["tabac", "alcool", "acces-aux-soins"]
BASE = local(2026, 12, 1, 0, 0)


@pytest.fixture
def varied_agenda(agenda_reference):
    """About fifty dates covering every filter: bassins and region-wide, kinds, themes,
    audiences, spoken languages, series, a multi-day event, cancelled and moved dates,
    a Dutch-only title, an unpublished event."""
    for index in range(24):
        make_event(
            f"Atelier {index} {'tabac' if index % 5 == 0 else 'santé'}",
            title_nl=f"Workshop {index} {'schulden' if index % 4 == 0 else 'gezondheid'}",
            kind=KINDS[index % len(KINDS)],
            bassins=[] if index % 6 == 0 else BASSINS[index % 5 : index % 5 + 1 + index % 2],
            themes=THEMES[: index % 4],
            audience=[Audience.PROFESSIONALS, Audience.RESIDENTS, Audience.EVERYONE][index % 3],
            languages=["fr", "nl", "fr,nl", "en"][index % 4],
            venue_name="Maison médicale du Nord" if index % 7 == 0 else "",
            start=BASE + datetime.timedelta(days=index * 2, hours=9 + index % 8),
            rule="RRULE:FREQ=WEEKLY;COUNT=4" if index % 4 == 1 else None,
        )
    make_event(
        "Exposition longue",
        kind="autre",
        bassins=["sud"],
        start=BASE - datetime.timedelta(days=10),
        end=BASE + datetime.timedelta(days=40),
    )
    make_event("Brouillon", kind="cab", start=BASE, status=EventStatus.DRAFT)
    dates = list(Occurrence.objects.order_by("start"))
    Occurrence.objects.filter(pk__in=[o.pk for o in dates[3::7]]).update(
        status=OccurrenceStatus.CANCELLED
    )
    Occurrence.objects.filter(pk__in=[o.pk for o in dates[5::11]]).update(
        status=OccurrenceStatus.MOVED
    )
    # Dates whose end precedes their start (no form saves one; the index must still
    # answer as the SQL does) and a date of no length.
    Occurrence.objects.filter(pk__in=[o.pk for o in dates[8::13]]).update(
        end=F("start") - datetime.timedelta(hours=2)
    )
    Occurrence.objects.filter(pk=dates[10].pk).update(end=F("start"))


def subset(values):
    return st.lists(st.sampled_from(values), max_size=3, unique=True)


filter_combinations = st.fixed_dictionaries(
    {
        "bassins": subset(BASSINS),
        "kinds": subset(KINDS),
        "themes": subset(THEMES),
        "audience": st.sampled_from(["", *Audience.values]),
        "language": st.sampled_from(["", "fr", "nl", "en"]),
        "text": st.sampled_from(["", "tabac", "SCHULDEN", "maison médicale", "zzz", "3"]),
        "include_cancelled": st.booleans(),
    }
)
windows = st.tuples(st.integers(-20, 60), st.integers(1, 90))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(filters=filter_combinations, window=windows, page=st.integers(0, 3))
def test_index_answers_as_sql(varied_agenda, filters, window, page):
    index = AgendaIndex(version=1)
    start = BASE + datetime.timedelta(days=window[0])
    end = start + datetime.timedelta(days=window[1])
    expected = queries.sql_upcoming_occurrences(start, end, **filters)
    assert index.occurrence_ids(start, end, **filters) == [o.occurrence_id for o in expected]
    assert index.count(start, end, **filters) == len(expected)
    offset, limit = page * 5, 5
    paged = queries.sql_upcoming_occurrences(start, end, offset=offset, limit=limit, **filters)
    assert index.occurrence_ids(start, end, offset=offset, limit=limit, **filters) == [
        o.occurrence_id for o in paged
    ]
    by_day = queries.occurrences_by_day(start, end, shown_per_day=2, **filters)
    assert index.days(start, end, 2, **filters) == {
        day: (dates.count, [o.occurrence_id for o in dates.shown]) for day, dates in by_day.items()
    }
    facets = {"bassin": BASSINS, "kind": KINDS, "theme": THEMES}
    filters.pop("include_cancelled")
    assert index.facet_counts(start, end, facets, **filters) == queries.sql_facet_counts(
        start, end, facets, **filters
    )


def test_views_are_the_sql_views_and_built_once(varied_agenda):
    index = AgendaIndex(version=1)
    start, end = BASE, BASE + datetime.timedelta(days=30)
    ids = index.occurrence_ids(start, end)
    expected = queries.sql_upcoming_occurrences(start, end)
    for lang in ("fr", "nl"):
        with CaptureQueriesContext(connection) as first:
            views = index.views(ids, lang)
        assert len(first.captured_queries) == 2
        assert views == [
            queries.occurrence_view(Occurrence.objects.get(pk=o.occurrence_id), lang)
            for o in expected
        ]
        with CaptureQueriesContext(connection) as again:
            assert index.views(ids, lang) == views
        assert again.captured_queries == []


def test_building_costs_six_queries_whatever_the_size(varied_agenda):
    with CaptureQueriesContext(connection) as few:
        AgendaIndex(version=1)
    make_event("Encore", kind="cab", bassins=["nord"], themes=["tabac"], start=BASE)
    with CaptureQueriesContext(connection) as more:
        bigger = AgendaIndex(version=2)
    assert len(few.captured_queries) == len(more.captured_queries) == 6
    assert bigger.size == AgendaIndex(version=3).size


def test_not_used_inside_a_transaction(varied_agenda):
    assert connection.in_atomic_block
    assert agenda_index.current_index() is None


@pytest.mark.django_db(transaction=True)
def test_used_outside_transactions_and_rebuilt_after_each_change(agenda_reference, client):
    make_event("Avant", kind="cab", bassins=["nord"], start=local(2026, 12, 3, 10, 0))
    first = agenda_index.current_index()
    assert first is not None
    assert agenda_index.current_index() is first  # same version: kept
    params = {"start": "2026-12-01", "end": "2026-12-31"}
    assert "Avant" in client.get("/fr/agenda/", params).content.decode()
    event = make_event("Après", kind="cab", bassins=["nord"], start=local(2026, 12, 4, 10, 0))
    second = agenda_index.current_index()
    assert second is not first
    page = client.get("/fr/agenda/nord/", params).content.decode()
    assert "Avant" in page and "Après" in page
    event.title_fr = "Après renommé"
    event.save()
    assert "Après renommé" in client.get("/fr/agenda/nord/", {**params, "x": 1}).content.decode()
    event.delete()
    assert "Après" not in client.get("/fr/agenda/nord/", {**params, "x": 2}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_agenda_page_costs_no_agenda_query_once_built(agenda_reference, client):
    make_event("Cours", kind="formation", bassins=["sud"], start=local(2026, 12, 3, 10, 0))
    params = {"start": "2026-12-01", "end": "2026-12-31"}
    client.get("/fr/agenda/", params)  # builds the index and the rows' views
    with CaptureQueriesContext(connection) as queries_made:
        html = client.get("/fr/agenda/", {**params, "kind": "formation"}).content.decode()
    assert "Cours" in html
    agenda_tables = [q["sql"] for q in queries_made.captured_queries if "events_occ" in q["sql"]]
    assert agenda_tables == []


@pytest.mark.django_db(transaction=True)
def test_the_warm_up_prepares_the_coming_dates_in_both_languages_for_the_first_visit(
    agenda_reference, client
):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    make_event(
        "Permanence",
        kind="cab",
        bassins=["nord"],
        start=local(soon.year, soon.month, soon.day, 10, 0),
        rule="RRULE:FREQ=WEEKLY;COUNT=3",
    )
    index = agenda_index.current_index()
    assert warmup.warm(index, days=30) == 3 * 2  # three dates, two languages
    start, end = warmup.coming_window(30)
    for lang in ("fr", "nl"):
        for view in index.views(index.occurrence_ids(start, end), lang):
            rows = [key for key in view.fragments if key != presentation.JSON_KEY]
            assert {key[-1] for key in rows} == {lang} and len(rows) == len(warmup.ROWS)
            assert presentation.JSON_KEY in view.fragments
    with CaptureQueriesContext(connection) as queries_made:
        html = client.get("/nl/agenda/noord/", {"kind": "cab"}).content.decode()
    assert html.count('data-testid="event-row"') == 3
    assert [q["sql"] for q in queries_made.captured_queries if "events_occ" in q["sql"]] == []


@pytest.mark.django_db(transaction=True)
def test_the_warm_up_also_prepares_this_months_past_days_for_the_month_view(
    agenda_reference, client
):
    today = timezone.localdate()
    first = today.replace(day=1)
    make_event("Début du mois", kind="cab", start=local(first.year, first.month, 1, 10, 0))
    make_event("Le mois passé", kind="cab", start=local(*_month_before(first), 10, 0))
    index = agenda_index.current_index()
    assert warmup.warm(index, days=30) == 1 * 2  # this month's first day, not the last month
    with CaptureQueriesContext(connection) as queries_made:
        html = client.get("/fr/agenda/mois/", {"kind": "cab"}).content.decode()
    assert "Début du mois" in html
    assert [q["sql"] for q in queries_made.captured_queries if "events_occ" in q["sql"]] == []


def _month_before(first: datetime.date) -> tuple[int, int, int]:
    last_month = first - datetime.timedelta(days=1)
    return last_month.year, last_month.month, last_month.day


@pytest.mark.django_db(transaction=True)
def test_the_warm_up_stops_once_a_newer_index_replaces_its_own(agenda_reference):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    make_event("Avant", kind="cab", start=local(soon.year, soon.month, soon.day, 10, 0))
    built = []
    agenda_index.index_built.connect(
        lambda sender, index, **kw: built.append(index), weak=False, dispatch_uid="test"
    )
    try:
        old = agenda_index.current_index()
        make_event("Après", kind="cab", start=local(soon.year, soon.month, soon.day, 11, 0))
        new = agenda_index.current_index()
    finally:
        agenda_index.index_built.disconnect(dispatch_uid="test")
    assert built[-2:] == [old, new]
    assert warmup.warm(old, days=30) == 0
    assert warmup.warm(new, days=30) == 2 * 2


def test_a_request_reads_the_agenda_version_once_and_sees_its_own_changes_at_once():
    reads = []
    real_get = snapshots.cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    version.bump_agenda_version()
    with mock.patch.object(snapshots, "cache", mock.Mock(wraps=snapshots.cache, get=counting_get)):
        version.start_request()
        try:
            first = version.feed_version()
            assert version.feed_version() == version.feed_version() == first
            assert reads.count(version.VERSION_KEY) == 1
            version.bump_agenda_version()
            assert version.feed_version() != first
            assert reads.count(version.VERSION_KEY) == 2
        finally:
            version.end_request()
        version.feed_version()
        version.feed_version()
        assert reads.count(version.VERSION_KEY) == 4  # outside a request: every call reads
