"""Reference data of partners' calendars: the beat entry that polls the sources."""

from __future__ import annotations

from core.beat import BeatEntry, ensure_beat_entries

PERIODIC_TASKS = [
    BeatEntry(
        "calendars: poll partners' calendars",
        "events.calendars.tasks.poll_calendar_sources",
        minute="*/15",
    ),
]


def load(log=print) -> int:
    changes = ensure_beat_entries(PERIODIC_TASKS)
    log(f"calendars: {changes} change(s)")
    return changes
