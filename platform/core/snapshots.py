"""Per-process snapshots of shared data, each valid for one version of that data.

A *version* (``SharedVersion``) is a token in the Django cache (Redis in production:
shared by every process and host) that every change of the data replaces. A process
keeps one immutable snapshot (``ProcessSnapshot``) built for one version and builds a
new one on the first read after the version changed. Every read costs one cache read.

Reads inside a transaction get ``None`` and the caller answers from SQL: a snapshot
shared by the whole process must never hold a transaction's uncommitted writes, nor
hide them from the transaction that made them.

Writers bump the version when their change is committed (``bump_on_commit``): a
process that read the version and built a snapshot in between (from the rows as they
were) is then made to rebuild.

Within one request (between Django's ``request_started`` and ``request_finished``) a
version is read once: a page that reads it for its cache key and again for each of its
reads sees one version, and a change the same thread makes (``bump``) is seen at once.
Outside a request (tasks, commands, background threads) every call reads the cache.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction

T = TypeVar("T")
_OUTSIDE_A_REQUEST = object()


class SharedVersion:
    """A token (a time in ns) in the shared cache, replaced by every change."""

    def __init__(self, key: str):
        self.key = key
        # This thread's request, if it is handling one: the version it read (None: not
        # read yet); absent outside a request.
        self._request = threading.local()
        request_started.connect(self.start_request, weak=False, dispatch_uid=f"{key}:start")
        request_finished.connect(self.end_request, weak=False, dispatch_uid=f"{key}:end")

    def start_request(self, **_signal_kwargs) -> None:
        self._request.version = None

    def end_request(self, **_signal_kwargs) -> None:
        self._request.__dict__.pop("version", None)

    def current(self) -> int:
        read = getattr(self._request, "version", _OUTSIDE_A_REQUEST)
        if read is not None and read is not _OUTSIDE_A_REQUEST:
            return read
        version = cache.get(self.key)
        if version is None:
            version = self.new_era()
        if read is None:
            self._request.version = version
        return version

    def new_era(self) -> int:
        """After a cache flush: a new token, so nothing kept for an older era matches."""
        cache.add(self.key, time.time_ns(), timeout=None)
        return cache.get(self.key)

    def bump(self, **_signal_kwargs) -> None:
        cache.set(self.key, time.time_ns(), timeout=None)
        if getattr(self._request, "version", _OUTSIDE_A_REQUEST) is not _OUTSIDE_A_REQUEST:
            self._request.version = None  # this thread's own change: read it again

    def bump_on_commit(self, **_signal_kwargs) -> None:
        """Now (this process's next read) and again once the change is committed (the
        other processes, which only see committed rows); at once outside a transaction."""
        self.bump()
        transaction.on_commit(self.bump)


class ProcessSnapshot(Generic[T]):
    """This process's snapshot of some data for the current ``version``, built by
    ``build(version)`` on the first read of a version; ``None`` where it may not be
    used (``enabled()`` false, or inside a transaction)."""

    def __init__(
        self,
        version: SharedVersion,
        build: Callable[[int], T],
        enabled: Callable[[], bool] = lambda: True,
        on_build: Callable[[T], None] | None = None,
    ):
        self.version = version
        self.build = build
        self.enabled = enabled
        self.on_build = on_build  # told of each new snapshot (outside the lock)
        self._lock = threading.Lock()
        self._current: tuple[int, T] | None = None

    def get(self) -> T | None:
        if not self.enabled() or connection.in_atomic_block:
            return None
        # The version is read before the rows: a change committed meanwhile bumps it
        # again, so a snapshot is never older than the version it is kept under.
        version = self.version.current()
        current = self._current
        if current is not None and current[0] == version:
            return current[1]
        with self._lock:  # one build per process, not one per thread
            current = self._current
            if current is not None and current[0] == version:
                return current[1]
            current = self._current = (version, self.build(version))
        if self.on_build is not None:
            self.on_build(current[1])
        return current[1]

    def is_current(self, snapshot: T) -> bool:
        """Whether ``snapshot`` is still this process's (no newer one built since)."""
        current = self._current
        return current is not None and current[1] is snapshot

    def forget(self) -> None:
        self._current = None
