"""events.services.upsert_external_series / cancel_external_series: the write path of
calendar imports, in plain values."""

import datetime
import zoneinfo

import pytest

from events import services
from events.models import Event, EventStatus, OccurrenceStatus
from events.services import ExternalSeries, OccurrenceOverride

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def weekly(**changes) -> ExternalSeries:
    values = dict(
        key="weekly",
        kind_slug="formation",
        title_fr="Atelier hebdo",
        start=at(2027, 3, 15, 10),
        end=at(2027, 3, 15, 12),
        recurrence="RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE:20270329T100000",
        bassins=("nord",),
        themes=("sante-mentale",),
        overrides=(
            OccurrenceOverride(recurrence_id=at(2027, 3, 22, 10), cancelled=True),
            OccurrenceOverride(
                recurrence_id=at(2027, 4, 5, 10), start=at(2027, 4, 6, 14), end=at(2027, 4, 6, 16)
            ),
        ),
    )
    values.update(changes)
    return ExternalSeries(**values)


def occurrences(event):
    return [
        (o.start.astimezone(BRUSSELS).strftime("%m-%d %H:%M"), o.status)
        for o in event.occurrences.order_by("recurrence_id")
    ]


def test_new_series_is_created_with_its_exceptions(agenda_reference):
    result = services.upsert_external_series("test", [weekly()])
    event = result.events["weekly"]
    assert result.outcome == {"weekly": "created"}
    assert event.status == EventStatus.PUBLISHED and event.published_at
    assert occurrences(event) == [
        ("03-15 10:00", "confirmed"),
        ("03-22 10:00", "cancelled"),
        ("04-06 14:00", "moved"),
    ]
    assert [b.slug for b in event.bassins.all()] == ["nord"]
    assert [t.slug for t in event.themes.all()] == ["sante-mentale"]


def test_second_upsert_of_the_same_series_changes_nothing(agenda_reference):
    services.upsert_external_series("test", [weekly()])
    event = Event.objects.get(source="test")
    sequence = event.sequence
    result = services.upsert_external_series("test", [weekly()])
    assert result.outcome == {"weekly": "unchanged"}
    assert Event.objects.filter(source="test").count() == 1
    event.refresh_from_db()
    assert event.sequence == sequence


def test_a_dropped_override_returns_the_occurrence_to_the_rule(agenda_reference):
    services.upsert_external_series("test", [weekly()])
    result = services.upsert_external_series("test", [weekly(overrides=())])
    event = result.events["weekly"]
    assert result.outcome == {"weekly": "updated"}
    assert occurrences(event) == [
        ("03-15 10:00", "confirmed"),
        ("03-22 10:00", "confirmed"),
        ("04-05 10:00", "confirmed"),
    ]
    assert not event.occurrences.filter(is_exception=True).exists()
    assert event.sequence == 1


def test_a_changed_series_keeps_the_overrides_of_the_days_it_still_produces(agenda_reference):
    services.upsert_external_series("test", [weekly()])
    changed = weekly(
        title_fr="Atelier du lundi",
        overrides=(
            OccurrenceOverride(recurrence_id=at(2027, 3, 22, 10), title_fr="Atelier spécial"),
        ),
    )
    event = services.upsert_external_series("test", [changed]).events["weekly"]
    assert event.title_fr == "Atelier du lundi"
    special = event.occurrences.get(title_fr="Atelier spécial")
    assert special.status == OccurrenceStatus.CONFIRMED and special.is_exception


def test_new_events_of_a_moderated_source_wait_and_keep_the_moderators_decision(
    agenda_reference,
):
    result = services.upsert_external_series("test", [weekly()], status_if_new=EventStatus.PENDING)
    event = result.events["weekly"]
    assert event.status == EventStatus.PENDING and event.published_at is None
    services.approve_proposal(event)
    event = services.upsert_external_series(
        "test", [weekly(title_fr="Nouveau titre")], status_if_new=EventStatus.PENDING
    ).events["weekly"]
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.title_fr == "Nouveau titre"


def test_all_day_multi_day_end_is_exclusive_like_ical(agenda_reference):
    item = ExternalSeries(
        key="salon",
        kind_slug="autre",
        title_fr="Salon",
        start=datetime.date(2027, 10, 29),
        end=datetime.date(2027, 11, 1),
        all_day=True,
    )
    event = services.upsert_external_series("test", [item]).events["salon"]
    assert (event.start_date, event.end_date) == (
        datetime.date(2027, 10, 29),
        datetime.date(2027, 10, 31),
    )
    occ = event.occurrences.get()
    assert occ.all_day and occ.end - occ.start == datetime.timedelta(days=3, hours=1)


def test_a_series_the_publisher_cancelled_has_every_occurrence_cancelled(agenda_reference):
    services.upsert_external_series("test", [weekly()])
    event = services.upsert_external_series("test", [weekly(cancelled=True)]).events["weekly"]
    assert {status for _day, status in occurrences(event)} == {"cancelled"}


def test_removed_series_are_cancelled_from_now_on_and_the_past_stays(agenda_reference):
    services.upsert_external_series("test", [weekly()])
    event = Event.objects.get(source="test")
    changed = services.cancel_external_series("test", ["weekly"], after=at(2027, 3, 20))
    assert changed == 1
    assert occurrences(event) == [
        ("03-15 10:00", "confirmed"),
        ("03-22 10:00", "cancelled"),
        ("04-06 14:00", "cancelled"),
    ]
    assert services.cancel_external_series("test", ["weekly"], after=at(2027, 3, 20)) == 0


def test_unknown_bassin_is_refused_before_anything_is_written(agenda_reference):
    with pytest.raises(ValueError, match="atlantide"):
        services.upsert_external_series("test", [weekly(bassins=("atlantide",))])
    assert not Event.objects.filter(source="test").exists()


def test_only_overrides_after_the_materialised_occurrences_are_reported_unmatched(
    agenda_reference,
):
    overrides = (
        OccurrenceOverride(recurrence_id=at(2027, 3, 29, 10), cancelled=True),  # in EXDATE
        OccurrenceOverride(recurrence_id=at(2027, 12, 6, 10), cancelled=True),  # later
    )
    result = services.upsert_external_series("test", [weekly(overrides=overrides)])
    assert result.unmatched == {"weekly": 1}
