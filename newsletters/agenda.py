"""The agenda of an issue and of the weekly digest.

Occurrences come from the agenda's one expansion function,
``events.queries.upcoming_occurrences``; this module never expands a recurrence
itself. It only turns ``OccurrenceView`` objects into small JSON-safe dicts so a
sent issue can keep the agenda it was sent with (frozen on its ``Mailing``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from core.dates import month_window
from events.queries import upcoming_occurrences

FIELDS = (
    "uid",
    "title",
    "status",
    "kind_slug",
    "bassin_slugs",
    "venue_name",
    "venue_address",
    "url",
    "all_day",
)


def _as_dict(occurrence) -> dict:
    item = {name: getattr(occurrence, name, None) for name in FIELDS}
    item["bassin_slugs"] = list(item["bassin_slugs"] or [])
    item["start"] = occurrence.start.isoformat() if occurrence.start else None
    item["end"] = occurrence.end.isoformat() if occurrence.end else None
    return item


def revive(items: Iterable[dict]) -> list[dict]:
    """Dicts (maybe from JSON) with ``start``/``end`` as aware datetimes again."""
    revived = []
    for item in items:
        item = dict(item)
        for key in ("start", "end"):
            value = item.get(key)
            if isinstance(value, str):
                item[key] = parse_datetime(value)
        revived.append(item)
    return revived


def occurrences(
    start: datetime.datetime,
    end: datetime.datetime,
    bassin_slugs: list[str],
    language: str = "fr",
) -> list[dict]:
    """Confirmed or moved occurrences of these bassins (region-wide events included, as
    the agenda shows them) in [start, end), titles in ``language``, as plain dicts
    (``start``/``end`` as ISO strings). Cancelled occurrences are left out."""
    with translation.override(language):
        found = upcoming_occurrences(start, end, bassins=bassin_slugs, include_cancelled=False)
    return [_as_dict(o) for o in found if getattr(o, "status", "confirmed") != "cancelled"]


def month_agenda(bassin, month: datetime.date, language: str = "fr") -> list[dict]:
    start, end = month_window(month)
    return occurrences(start, end, [bassin.slug], language)


def week_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=7)
