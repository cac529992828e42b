"""Reference data of the exchange space: its scheduled tasks and the starting channels
(a general and a mental-health channel per bassin, one regional channel). Loaded by
``load_reference_data``; an existing channel or beat entry is left as the team or the
operator edited it."""

from __future__ import annotations

import json

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from bassins.models import Bassin, Theme

from .models import Channel

# name, task, kwargs, crontab (minute, hour, day_of_week) in Brussels time
BEAT_ENTRIES = [
    ("exchanges: retention", "exchanges.tasks.apply_retention", {}, ("30", "3", "*")),
    (
        "exchanges: daily digest",
        "exchanges.tasks.send_digests",
        {"frequency": "daily"},
        ("0", "7", "*"),
    ),
    (
        "exchanges: weekly digest",
        "exchanges.tasks.send_digests",
        {"frequency": "weekly"},
        ("0", "7", "1"),
    ),
]


def _ensure_beat(name: str, task: str, kwargs: dict, crontab: tuple[str, str, str]) -> int:
    # Same semantics as the other apps' entries: an edited schedule is kept.
    if PeriodicTask.objects.filter(name=name).exists():
        return 0
    minute, hour, day_of_week = crontab
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_week=day_of_week,
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Brussels",
    )
    PeriodicTask.objects.create(name=name, task=task, crontab=schedule, kwargs=json.dumps(kwargs))
    return 1


def _ensure_channel(slug: str, **fields) -> int:
    _, created = Channel.objects.get_or_create(slug=slug, defaults=fields)
    return int(created)


@transaction.atomic
def load(log=print) -> int:
    changes = sum(_ensure_beat(*entry) for entry in BEAT_ENTRIES)
    mental_health = Theme.objects.filter(slug="sante-mentale").first()
    for bassin in Bassin.objects.all():
        changes += _ensure_channel(
            f"{bassin.slug}-general",
            name_fr=f"Général — {bassin.name_fr}",
            name_nl=f"Algemeen — {bassin.name_nl}",
            bassin=bassin,
        )
        changes += _ensure_channel(
            f"{bassin.slug}-sante-mentale",
            name_fr=f"Santé mentale — {bassin.name_fr}",
            name_nl=f"Geestelijke gezondheid — {bassin.name_nl}",
            bassin=bassin,
            theme=mental_health,
        )
    changes += _ensure_channel(
        "regional", name_fr="Échanges régionaux", name_nl="Gewestelijke uitwisseling"
    )
    if changes:
        log(f"exchanges: {changes} change(s)")
    return changes
