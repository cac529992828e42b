"""core.beat: one way to declare a Celery beat entry, for every app."""

import os

from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.beat import BeatEntry, ensure_beat_entry
from directory import reference as directory_reference
from events import reference as events_reference
from events.calendars import reference as calendars_reference
from events.opendoors import reference as opendoors_reference
from maillage.celery import app
from newsletters import reference as newsletters_reference

ALL_ENTRIES = [
    *events_reference.PERIODIC_TASKS,
    *opendoors_reference.PERIODIC_TASKS,
    *newsletters_reference.PERIODIC_TASKS,
    *calendars_reference.PERIODIC_TASKS,
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
    loaded = set(PeriodicTask.objects.values_list("name", flat=True))
    assert loaded >= {e.name for e in ALL_ENTRIES}
    edited = CrontabSchedule.objects.create(
        minute="42", hour="4", day_of_week="3", timezone="Europe/Brussels"
    )
    PeriodicTask.objects.update(crontab=edited, enabled=False)
    with open(os.devnull, "w") as devnull:
        call_command("load_reference_data", stdout=devnull)
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == loaded
    for task in PeriodicTask.objects.all():
        assert task.crontab_id == edited.pk and not task.enabled, task.name


def test_every_entry_the_reference_data_declares_names_a_real_task(reference_data):
    app.loader.import_default_modules()
    for name, task in PeriodicTask.objects.values_list("name", "task"):
        assert task in app.tasks, name
