"""Test and benchmark helpers: ``book_slot`` as an implementation without the row lock
would run, to show that the lock is what keeps the capacity; bookings without their
e-mail, so that a race measures the lock and not the mail; ``simultaneously``, the race
itself."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from unittest import mock

from django.db import connection
from django.db.models import QuerySet

from events.opendoors import services


@contextlib.contextmanager
def without_booking_mail():
    """``book_slot`` queues no booking e-mail while active."""
    with mock.patch.object(services, "send_booking_email", lambda booking, template: 0):
        yield


@contextlib.contextmanager
def without_row_lock(race_window: float = 0.0):
    """No ``SELECT ... FOR UPDATE``, and a pause of ``race_window`` seconds after each
    count (between the check and the insert), as an unlocked check-then-insert under
    load. Patches QuerySet for the whole process while active."""
    real_count = QuerySet.count

    def slow_count(self):
        counted = real_count(self)
        time.sleep(race_window)
        return counted

    with (
        mock.patch.object(QuerySet, "select_for_update", lambda self, **options: self),
        mock.patch.object(QuerySet, "count", slow_count),
    ):
        yield


def simultaneously(book: Callable, target_id: int, requests: int) -> Counter:
    """``requests`` threads (one database connection each) call ``book(target_id, ...)``
    for a different person at the same instant; the outcomes (booking status, or the
    error) counted."""
    barrier = threading.Barrier(requests)
    outcomes: Counter = Counter()
    guard = threading.Lock()

    def one(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = book(
                target_id,
                name=f"Personne {n}",
                email=f"personne{n}@example.org",
                organisation="CPAS",
                profession="Assistant·e social·e",
            )
            outcome = result.booking.status
        except Exception as error:  # noqa: BLE001 - the test counts every failure
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with guard:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=one, args=(n,)) for n in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
