"""Periodic tasks: one way for an app to declare its Celery beat entries.

Beat entries live in django-celery-beat's tables so that an operator can change a
schedule, or disable an entry, in the Django admin. Reloading reference data must
not undo that: an entry that already exists (by name) is left exactly as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

BEAT_TIMEZONE = "Europe/Brussels"


@dataclass(frozen=True)
class BeatEntry:
    """A named task on a crontab schedule (Europe/Brussels wall-clock time)."""

    name: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"
    kwargs: dict = field(default_factory=dict)


def ensure_beat_entry(entry: BeatEntry) -> int:
    """Create ``entry`` unless a beat entry of that name exists. Returns 1 if created.

    An existing entry keeps the operator's schedule, task arguments and enabled flag.
    """
    if PeriodicTask.objects.filter(name=entry.name).exists():
        return 0
    with transaction.atomic():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=entry.minute,
            hour=entry.hour,
            day_of_month=entry.day_of_month,
            month_of_year=entry.month_of_year,
            day_of_week=entry.day_of_week,
            timezone=BEAT_TIMEZONE,
        )
        PeriodicTask.objects.create(
            name=entry.name, task=entry.task, crontab=crontab, kwargs=json.dumps(entry.kwargs)
        )
    return 1


def ensure_beat_entries(entries: list[BeatEntry]) -> int:
    """``ensure_beat_entry`` for each; returns how many were created."""
    return sum(ensure_beat_entry(entry) for entry in entries)
