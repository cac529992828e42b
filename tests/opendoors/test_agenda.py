"""A saved week appears on the shared agenda as a Semaine Portes Ouvertes event."""

import datetime

import pytest

from events.models import Event
from events.opendoors.models import OpenDoorWeek

pytestmark = pytest.mark.django_db


def test_reference_weeks_of_seed_001_are_on_the_agenda(reference_data):
    backstage = OpenDoorWeek.objects.get(slug="backstage-2025")
    assert (backstage.start_date, backstage.end_date) == (
        datetime.date(2025, 5, 12),
        datetime.date(2025, 5, 16),
    )
    assert backstage.bassin.slug == "nord-est"
    assert OpenDoorWeek.objects.filter(is_demo=False).count() == 5
    event = Event.objects.get(source="opendoors", source_key=f"week-{backstage.pk}")
    assert event.kind.slug == "portes-ouvertes"
    assert event.all_day
    assert (event.start_date, event.end_date) == (backstage.start_date, backstage.end_date)
    assert [b.slug for b in event.bassins.all()] == ["nord-est"]


def test_saving_a_week_again_updates_the_same_event(reference_data):
    week = OpenDoorWeek.objects.get(slug="babbel-noord-2025")
    event = Event.objects.get(source="opendoors", source_key=f"week-{week.pk}")
    sequence = event.sequence
    week.end_date = datetime.date(2025, 12, 6)
    week.save()
    week.save()
    event.refresh_from_db()
    assert event.end_date == datetime.date(2025, 12, 6)
    assert event.sequence == sequence + 1
    assert Event.objects.filter(source="opendoors", source_key=f"week-{week.pk}").count() == 1


def test_unpublishing_a_week_takes_it_off_the_agenda(reference_data):
    week = OpenDoorWeek.objects.get(slug="patchwork-2025")
    week.is_published = False
    week.save()
    event = Event.objects.get(source="opendoors", source_key=f"week-{week.pk}")
    assert event.status == "draft"


def test_reference_data_loads_twice_without_changes(reference_data):
    from events.opendoors.reference import load

    assert load(log=lambda m: None) == 0


def test_periodic_tasks_are_created(reference_data):
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "events.opendoors.tasks.send_visit_reminders",
        "events.opendoors.tasks.send_appreciation_requests",
        "events.opendoors.tasks.erase_expired_visitor_data",
    } <= tasks
