"""Build the agenda index and what its pages show before a visitor asks for them.

An uncached agenda page or API answer is cheap once the process's index
(``events.agenda_index``) holds the views of its dates, their rendered rows
(``{% occurrence_row %}``) and their API JSON, and costly the first time each date is
shown in each process. So, in a background thread, each process builds the index when it
starts (``maillage.wsgi``) and, whenever a new agenda version's index is built, the
views, rows and JSON of the coming ``AGENDA_WARM_DAYS`` days in both languages. Requests
meanwhile are answered as before (building what they need themselves); the thread stops
as soon as its snapshot is replaced, and it never runs inside a transaction, so the
index's invariants hold.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from . import agenda_index
from .filters import AgendaSelection, window
from .presentation import occurrence_json
from .templatetags.agenda_rows import MONTH_CELL, MONTH_LIST_ITEM, occurrence_row

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "nl")
CHUNK = 500
# The rows the agenda pages render ({% occurrence_row %} arguments): the list's day
# rows, the month grid's and the month's narrow-screen list.
ROWS = (
    {},
    MONTH_CELL,
    MONTH_LIST_ITEM,
)


def coming_window(days: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The next ``days`` days from today's midnight, as the agenda pages' windows."""
    return window(AgendaSelection(), default_days=days)


def month_so_far_window() -> tuple[datetime.datetime, datetime.datetime] | None:
    """This month's days before today: the month view opens on the whole current month,
    so its past days are shown as often as the coming ones (None on the 1st)."""
    today = timezone.localdate()
    if today.day == 1:
        return None
    return window(AgendaSelection(start=today.replace(day=1), end=today - datetime.timedelta(1)))


def warm(index: agenda_index.AgendaIndex, days: int) -> int:
    """Build the views and rows of the dates of the next ``days`` days, then of this
    month's past days, for ``index``, in both languages; stop early if the index is
    replaced. Returns the dates warmed."""
    windows = [coming_window(days), month_so_far_window()]
    ids = [i for w in windows if w for i in index.occurrence_ids(*w)]
    warmed = 0
    for lang in LANGUAGES:
        with translation.override(lang):
            for first in range(0, len(ids), CHUNK):
                if not agenda_index.is_current(index):
                    return warmed
                for view in index.views(ids[first : first + CHUNK], lang):
                    for row in ROWS:
                        occurrence_row(view, **row)
                    occurrence_json(view)
                    warmed += 1
    return warmed


def _in_thread(work) -> None:
    """Run ``work`` in a daemon thread that closes its database connection."""

    def run():
        try:
            work()
        except Exception:  # an optimisation only: requests build what they need
            logger.exception("agenda warm-up failed")
        finally:
            connection.close()

    threading.Thread(target=run, name="agenda-warm-up", daemon=True).start()


def _enabled() -> bool:
    return settings.AGENDA_INDEX and settings.AGENDA_WARM_DAYS > 0


def build_in_background() -> None:
    """Build this process's index in a background thread (the index_built signal then
    warms it); for a web process that starts."""
    if _enabled():
        _in_thread(agenda_index.current_index)


def _on_index_built(sender, index, **kwargs) -> None:
    if not _enabled():
        return

    def work():
        started = time.perf_counter()
        warmed = warm(index, settings.AGENDA_WARM_DAYS)
        logger.info("agenda warm-up: %s dates in %.1fs", warmed, time.perf_counter() - started)

    _in_thread(work)


def connect() -> None:
    agenda_index.index_built.connect(_on_index_built, dispatch_uid="events.warmup")
