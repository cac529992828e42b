"""The agenda version: a token (a time in ns) replaced by every change of the agenda.

Kept in the Django cache (Redis in production, shared by every process and host). The
cached feeds and pages (``events.serving``) and each process's agenda index
(``events.agenda_index``) are valid for one version; ``events.signals`` replaces it on
every change of an event, kind, occurrence or their bassin/theme/language links.

Within one request the version is read once (a page reads it for its cache key, then for
each of its agenda reads): the request's pages and index then agree on one version, and a
change this thread makes (``bump_agenda_version``) is seen at once. Outside a request
(tasks, commands, the warm-up thread) every call reads the cache.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache

VERSION_KEY = "events:feed-version"

# This thread's request, if it is handling one: {"version": the version it read or None}.
_request = threading.local()


def start_request(**_signal_kwargs) -> None:
    _request.scope = {"version": None}


def end_request(**_signal_kwargs) -> None:
    _request.scope = None


def feed_version() -> int:
    """A token that changes whenever the agenda changes (a time in ns)."""
    scope = getattr(_request, "scope", None)
    if scope is not None and scope["version"] is not None:
        return scope["version"]
    version = cache.get(VERSION_KEY)
    version = new_era() if version is None else version
    if scope is not None:
        scope["version"] = version
    return version


def new_era() -> int:
    # Cache flushed: start a new era so no ETag of the previous one can match.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return cache.get(VERSION_KEY)


def bump_agenda_version(**_signal_kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    scope = getattr(_request, "scope", None)
    if scope is not None:
        scope["version"] = None
