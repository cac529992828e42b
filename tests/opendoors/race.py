"""Test and benchmark helpers: ``book_slot`` as an implementation without the row lock
would run, to show that the lock is what keeps the capacity; bookings without their
e-mail, so that a race measures the lock and not the mail."""

from __future__ import annotations

import contextlib
import time
from unittest import mock

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
