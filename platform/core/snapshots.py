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
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")


class SharedVersion:
    """A token (a time in ns) in the shared cache, replaced by every change."""

    def __init__(self, key: str):
        self.key = key

    def current(self) -> int:
        version = cache.get(self.key)
        if version is None:
            # Cache flushed: start a new era, so nothing kept for an older one matches.
            cache.add(self.key, time.time_ns(), timeout=None)
            version = cache.get(self.key)
        return version

    def bump(self, **_signal_kwargs) -> None:
        cache.set(self.key, time.time_ns(), timeout=None)

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
    ):
        self.version = version
        self.build = build
        self.enabled = enabled
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
            if current is None or current[0] != version:
                current = self._current = (version, self.build(version))
        return current[1]

    def forget(self) -> None:
        self._current = None
