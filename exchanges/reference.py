"""Reference data of the exchange space: its scheduled tasks and the starting channels
(a general and a mental-health channel per bassin, one regional channel). Loaded by
``load_reference_data``; an existing channel or beat entry is left as the team or the
operator edited it."""

from __future__ import annotations

from django.db import transaction

from bassins.models import Bassin, Theme
from core.beat import BeatEntry, ensure_beat_entries

from .models import Channel

BEAT_ENTRIES = [
    BeatEntry("exchanges: retention", "exchanges.tasks.apply_retention", minute="30", hour="3"),
    BeatEntry(
        "exchanges: daily digest",
        "exchanges.tasks.send_digests",
        minute="0",
        hour="7",
        kwargs={"frequency": "daily"},
    ),
    BeatEntry(
        "exchanges: weekly digest",
        "exchanges.tasks.send_digests",
        minute="0",
        hour="7",
        day_of_week="1",
        kwargs={"frequency": "weekly"},
    ),
]


def _ensure_channel(slug: str, **fields) -> int:
    _, created = Channel.objects.get_or_create(slug=slug, defaults=fields)
    return int(created)


@transaction.atomic
def load(log=print) -> int:
    changes = ensure_beat_entries(BEAT_ENTRIES)
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
