"""core.beat: one way to declare a Celery beat entry, for every app."""

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.beat import BeatEntry, ensure_beat_entry
from directory import reference as directory_reference
from events import reference as events_reference
from events.opendoors import reference as opendoors_reference
from newsletters import reference as newsletters_reference

ALL_ENTRIES = [
    *events_reference.PERIODIC_TASKS,
    *opendoors_reference.PERIODIC_TASKS,
    *newsletters_reference.PERIODIC_TASKS,
    directory_reference.REMINDER_TASK,
]


def test_a_declared_entry_is_created_once_on_brussels_time(db):
    entry = BeatEntry("test: nightly", "maillage.tasks.noop", minute="5", hour="2")
    assert ensure_beat_entry(entry) == 1
    assert ensure_beat_entry(entry) == 0
    task = PeriodicTask.objects.get(name="test: nightly")
    assert (task.task, task.crontab.minute, task.crontab.hour) == ("maillage.tasks.noop", "5", "2")
    assert str(task.crontab.timezone) == "Europe/Brussels"


def test_reloading_reference_data_keeps_every_operator_edited_schedule(reference_data):
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= {e.name for e in ALL_ENTRIES}
    edited = CrontabSchedule.objects.create(
        minute="42", hour="4", day_of_week="3", timezone="Europe/Brussels"
    )
    PeriodicTask.objects.filter(name__in=[e.name for e in ALL_ENTRIES]).update(
        crontab=edited, enabled=False
    )
    for module in (
        events_reference,
        opendoors_reference,
        newsletters_reference,
        directory_reference,
    ):
        module.load(log=lambda message: None)
    for task in PeriodicTask.objects.filter(name__in=[e.name for e in ALL_ENTRIES]):
        assert task.crontab_id == edited.pk and not task.enabled, task.name
