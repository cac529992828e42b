"""The django-recurrence traps named in the issue, and regeneration keeping exceptions."""

import datetime

import pytest
import recurrence

from events import services
from events.models import Occurrence, OccurrenceStatus

from .factories import BRUSSELS, local, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data(agenda_reference, settings):
    settings.EVENTS_HORIZON_DAYS = 2000


def starts(event):
    return [o.start.astimezone(BRUSSELS) for o in event.occurrences.order_by("start")]


def test_dtstart_serialised_in_utc_does_not_drift_across_dst():
    """django-recurrence would store DTSTART as 09:00Z: 11:00 in summer. We keep wall clock."""
    event = make_event(start=local(2027, 3, 1, 10, 0), rule="RRULE:FREQ=WEEKLY;COUNT=6")
    # The stored text carries no DTSTART at all: the event's local fields are the truth.
    assert "DTSTART" not in recurrence.serialize(event.recurrence)
    assert [s.hour for s in starts(event)] == [10] * 6
    assert {s.utcoffset().seconds // 3600 for s in starts(event)} == {1, 2}
    # What the library itself does when given an aware UTC dtstart (the trap):
    naive_lib = event.recurrence.between(
        datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC),
        datetime.datetime(2027, 4, 30, tzinfo=datetime.UTC),
        dtstart=datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC),
        inc=True,
    )
    assert {d.astimezone(BRUSSELS).hour for d in naive_lib} == {10, 11}


def test_october_change_keeps_wall_clock():
    event = make_event(start=local(2027, 10, 17, 10, 0), rule="RRULE:FREQ=WEEKLY;COUNT=3")
    assert [(s.day, s.hour) for s in starts(event)] == [(17, 10), (24, 10), (31, 10)]
    assert starts(event)[-1].utcoffset() == datetime.timedelta(hours=1)


def test_exdate_at_midnight_excludes_the_day():
    event = make_event(
        start=local(2027, 5, 4, 14, 0),
        rule="RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE:20270511T000000",
    )
    assert [s.day for s in starts(event)] == [4, 18, 25]


def test_exdate_at_exact_time_also_excludes():
    event = make_event(
        start=local(2027, 5, 4, 14, 0),
        rule="RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE:20270511T140000",
    )
    assert [s.day for s in starts(event)] == [4, 18, 25]


def test_until_at_midnight_includes_the_last_day():
    event = make_event(
        start=local(2027, 5, 4, 14, 0), rule="RRULE:FREQ=WEEKLY;UNTIL=20270518T000000"
    )
    assert [s.day for s in starts(event)] == [4, 11, 18]


def test_dtstart_is_the_first_instance_even_off_rule():
    """RFC 5545 (and every calendar client): DTSTART counts, even if the rule skips it."""
    event = make_event(start=local(2027, 6, 7, 10, 0), rule="RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=2")
    # COUNT=2 counts DTSTART (RFC 5545 3.8.5.3), as the clients reading the feed do.
    assert [s.day for s in starts(event)] == [7, 9]


def test_count_includes_dtstart():
    event = make_event(start=local(2027, 6, 2, 10, 0), rule="RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=2")
    assert [s.day for s in starts(event)] == [2, 9]


def test_regeneration_keeps_exceptions_when_time_changes():
    event = make_event(start=local(2027, 9, 7, 10, 0), rule="RRULE:FREQ=WEEKLY;COUNT=4")
    rids = list(event.occurrences.order_by("start").values_list("recurrence_id", flat=True))
    services.cancel_occurrence(event, rids[1])
    services.move_occurrence(event, rids[2], start=local(2027, 9, 22, 15, 0))
    event.refresh_from_db()
    event.start_time = datetime.time(11, 0)
    event.end_time = datetime.time(13, 0)
    services.save_event(event)
    rows = list(event.occurrences.order_by("recurrence_id"))
    assert len(rows) == 4
    assert [timezone_hour(o.recurrence_id) for o in rows] == [11] * 4
    assert rows[1].status == OccurrenceStatus.CANCELLED
    assert rows[1].start.astimezone(BRUSSELS).hour == 11
    assert rows[2].status == OccurrenceStatus.MOVED
    assert rows[2].start == local(2027, 9, 22, 15, 0)
    assert event.sequence == 3


def timezone_hour(value):
    return value.astimezone(BRUSSELS).hour


def test_regeneration_drops_removed_dates_and_is_idempotent():
    event = make_event(start=local(2027, 9, 7, 10, 0), rule="RRULE:FREQ=WEEKLY;COUNT=5")
    assert services.regenerate_occurrences(event) == 0
    event.recurrence = recurrence.deserialize("RRULE:FREQ=WEEKLY;COUNT=3")
    services.save_event(event)
    assert Occurrence.objects.filter(event=event).count() == 3


def test_infinite_rule_is_materialised_up_to_the_horizon(settings):
    settings.EVENTS_HORIZON_DAYS = 60
    event = make_event(start=local(2026, 1, 6, 10, 0), rule="RRULE:FREQ=WEEKLY")
    last = event.occurrences.order_by("-start").first().start
    today = datetime.date.today()
    assert last.date() <= today + datetime.timedelta(days=61)
    assert last.date() >= today + datetime.timedelta(days=50)


def test_restore_occurrence_undoes_a_move():
    event = make_event(start=local(2027, 9, 7, 10, 0), rule="RRULE:FREQ=WEEKLY;COUNT=2")
    rid = event.occurrences.order_by("start").last().recurrence_id
    services.move_occurrence(event, rid, start=local(2027, 9, 15, 9, 0), venue_name="Ailleurs")
    services.restore_occurrence(event, rid)
    occ = event.occurrences.get(recurrence_id=rid)
    assert occ.start == rid and occ.status == "confirmed" and occ.venue_name == ""
