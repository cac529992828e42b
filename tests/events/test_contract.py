"""The contract other apps rely on: models, upcoming_occurrences, upsert_external_event."""

import datetime

import pytest

from events import services
from events.models import Event, EventKind, Occurrence
from events.queries import OccurrenceView, upcoming_occurrences

from .factories import BRUSSELS, local, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds(reference_data):
    return EventKind.objects.all()


def test_reference_kinds_are_loaded(kinds):
    slugs = set(kinds.values_list("slug", flat=True))
    assert {
        "portes-ouvertes",
        "rendez-vous-prevention",
        "concertation",
        "cab",
        "car",
        "formation",
        "autre",
    } <= slugs


def test_reference_regional_events_cite_brief(kinds):
    car = Event.objects.get(source="reference", source_key="car-4-2025")
    assert car.start == local(2025, 7, 1, 9, 0)
    assert car.end == local(2025, 7, 1, 13, 0)
    assert car.is_regional
    atelier = Event.objects.get(source_key="atelier-changement-2025-03-12")
    assert (atelier.start_time, atelier.end_time) == (datetime.time(13), datetime.time(16))


def test_reference_load_is_idempotent(kinds):
    from events.reference import load

    assert load(log=lambda m: None) == 0


def test_upsert_external_event_is_idempotent_and_bumps_sequence(kinds):
    args = dict(
        kind_slug="portes-ouvertes",
        title_fr="Backstage",
        title_nl="Backstage",
        bassins=["nord-est"],
        start=datetime.date(2025, 5, 12),
        end=datetime.date(2025, 5, 16),
        all_day=True,
        url="https://example.org/po",
    )
    event = services.upsert_external_event("contract-test", "week-1", **args)
    assert event.sequence == 0
    assert event.is_published and not event.is_regional
    again = services.upsert_external_event("contract-test", "week-1", **args)
    assert again.pk == event.pk and again.sequence == 0
    assert Event.objects.filter(source="contract-test").count() == 1
    changed = services.upsert_external_event(
        "contract-test", "week-1", **(args | {"title_nl": "X"})
    )
    assert changed.sequence == 1
    moved = services.upsert_external_event(
        "contract-test", "week-1", **(args | {"bassins": ["sud"]})
    )
    assert moved.sequence == 2
    assert [b.slug for b in moved.bassins.all()] == ["sud"]
    occurrences = upcoming_occurrences(
        local(2025, 5, 1, 0, 0), local(2025, 6, 1, 0, 0), bassins=["sud"]
    )
    assert len(occurrences) == 1
    view = occurrences[0]
    assert isinstance(view, OccurrenceView)
    assert view.all_day
    assert view.start == local(2025, 5, 12, 0, 0)
    assert view.end == local(2025, 5, 17, 0, 0)
    assert view.bassin_slugs == ("sud",)
    assert view.kind_slug == "portes-ouvertes"


def test_upsert_external_event_with_aware_times(kinds):
    event = services.upsert_external_event(
        "opendoors",
        "slot-1",
        kind_slug="portes-ouvertes",
        title_fr="Visite",
        title_nl="Bezoek",
        bassins=[],
        start=datetime.datetime(2025, 11, 3, 8, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2025, 11, 3, 11, 0, tzinfo=datetime.UTC),
        venue_name="Maison médicale",
    )
    assert (event.start_time, event.end_time) == (datetime.time(9), datetime.time(12))
    occ = Occurrence.objects.get(event=event)
    assert occ.start == datetime.datetime(2025, 11, 3, 8, 0, tzinfo=datetime.UTC)


def test_monthly_series_keeps_wall_clock_across_dst(kinds):
    event = make_event(
        start=local(2026, 2, 10, 10, 0),
        rule="RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=10",
        bassins=["nord"],
    )
    views = upcoming_occurrences(local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0))
    assert len(views) == 10
    assert {v.start.astimezone(BRUSSELS).hour for v in views} == {10}
    assert all(v.uid == views[0].uid for v in views)
    assert event.sequence == 0


def test_window_and_bassin_filters(kinds):
    make_event("Nord", bassins=["nord"], start=local(2026, 3, 10, 10, 0))
    make_event("Sud", bassins=["sud"], start=local(2026, 3, 11, 10, 0))
    make_event("Région", bassins=[], start=local(2026, 3, 12, 10, 0))
    window = (local(2026, 3, 1, 0, 0), local(2026, 4, 1, 0, 0))
    titles = [v.title for v in upcoming_occurrences(*window, bassins=["nord"])]
    assert titles == ["Nord", "Région"]
    assert len(upcoming_occurrences(*window)) == 3
    assert upcoming_occurrences(local(2026, 3, 10, 12, 0), local(2026, 3, 11, 0, 0)) == []


def test_upcoming_occurrences_query_count_is_constant(kinds, django_assert_max_num_queries):
    window = (local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0))
    make_event("A", bassins=["nord"], rule="RRULE:FREQ=WEEKLY;COUNT=5")
    with django_assert_max_num_queries(2):
        assert len(upcoming_occurrences(*window, themes=["tabac"], kinds=["cab"])) == 0
    with django_assert_max_num_queries(2):
        few = upcoming_occurrences(*window)
    for index in range(20):
        make_event(f"E{index}", bassins=["sud", "nord"], rule="RRULE:FREQ=WEEKLY;COUNT=5")
    with django_assert_max_num_queries(2):
        many = upcoming_occurrences(*window)
    assert len(many) == len(few) + 100


def test_demo_data_is_idempotent_and_marked(agenda_reference):
    from events import demo

    today = datetime.date(2026, 11, 26)
    assert demo.load(today, log=lambda m: None) > 0
    assert demo.load(today, log=lambda m: None) == 0
    assert not Event.objects.filter(source="demo", is_demo=False).exists()
    series = Event.objects.filter(source="demo", kind__slug="rendez-vous-prevention")
    assert series.count() == 25
    assert Occurrence.objects.filter(event__is_demo=True, status="cancelled").count() == 1
    assert Occurrence.objects.filter(event__is_demo=True, status="moved").count() == 1


def test_recurring_rendezvous_carry_their_theme_so_the_theme_filter_finds_them(
    agenda_reference, client
):
    from events import demo

    today = datetime.date(2026, 11, 26)
    demo.load(today, log=lambda m: None)
    window = (local(2026, 11, 26, 0, 0), local(2027, 1, 26, 0, 0))
    themed = upcoming_occurrences(*window, themes=["prevention-promotion-sante"])
    rendezvous = [o for o in themed if o.kind_slug == "rendez-vous-prevention"]
    all_rendezvous = upcoming_occurrences(*window, kinds=["rendez-vous-prevention"])
    assert len(all_rendezvous) > 25
    assert len(rendezvous) == len(all_rendezvous)
    page = client.get(
        "/fr/agenda/nord/",
        {"theme": "prevention-promotion-sante", "start": "2026-11-26", "end": "2027-01-25"},
    )
    assert page.status_code == 200
    assert page.content.decode().count("Rendez-vous de la Prévention Santé –") >= 5
