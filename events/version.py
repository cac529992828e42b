"""The agenda version: a token (a time in ns) replaced by every change of the agenda.

Kept in the Django cache (Redis in production, shared by every process and host). The
cached feeds and pages (``events.serving``) and each process's agenda index
(``events.agenda_index``) are valid for one version; ``events.signals`` replaces it on
every change of an event, kind, occurrence or their bassin/theme/language links.
"""

from __future__ import annotations

import time

from django.core.cache import cache

VERSION_KEY = "events:feed-version"


def feed_version() -> int:
    """A token that changes whenever the agenda changes (a time in ns)."""
    version = cache.get(VERSION_KEY)
    return new_era() if version is None else version


def new_era() -> int:
    # Cache flushed: start a new era so no ETag of the previous one can match.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return cache.get(VERSION_KEY)


def bump_agenda_version(**_signal_kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
