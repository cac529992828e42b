"""The shared layer's own beat entries, loaded by ``manage.py load_reference_data``."""

from __future__ import annotations

from .beat import BeatEntry, ensure_beat_entries

PERIODIC_TASKS = [
    BeatEntry("core: send queued e-mails", "core.tasks.requeue_unsent_email", minute="*/5"),
    BeatEntry("core: forget sent e-mails", "core.tasks.purge_outbox", minute="45", hour="3"),
]


def load(log=print) -> int:
    changes = ensure_beat_entries(PERIODIC_TASKS)
    log(f"core: {changes} change(s)")
    return changes
