"""The shared layer's own beat entries, loaded by ``manage.py load_reference_data``: the
outbox's, and one daily entry per personal-data retention rule (``core.privacy``), so an
operator can reschedule or disable each one in the admin."""

from __future__ import annotations

from .beat import BeatEntry, ensure_beat_entries
from .privacy import retention_rules

PERIODIC_TASKS = [
    BeatEntry("core: send queued e-mails", "core.tasks.requeue_unsent_email", minute="*/5"),
    BeatEntry("core: forget sent e-mails", "core.tasks.purge_outbox", minute="45", hour="3"),
]


def retention_beat_entries() -> list[BeatEntry]:
    return [
        BeatEntry(
            f"Données personnelles : {rule.name}",
            "core.tasks.apply_retention",
            minute=str(10 + 3 * index),
            hour="4",
            kwargs={"rule": rule.name},
        )
        for index, rule in enumerate(retention_rules())
    ]


def load(log=print) -> int:
    """Create the beat entries that do not exist yet (idempotent)."""
    changes = ensure_beat_entries(PERIODIC_TASKS + retention_beat_entries())
    log(f"core: {changes} change(s)")
    return changes
