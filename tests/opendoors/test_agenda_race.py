"""Registrations for an agenda date share the engine's lock: 50 simultaneous
registrations for 5 places on one date (PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus

from .agenda import first_date, registration_event
from .race import without_booking_mail

pytestmark = pytest.mark.integration

REQUESTS = 50
PLACES = 5


@pytest.fixture(autouse=True)
def _no_booking_mail():
    """The race measures the lock, not the mail."""
    with without_booking_mail():
        yield


def run_simultaneous_registrations(occurrence_id: int) -> Counter:
    barrier = threading.Barrier(REQUESTS)
    outcomes: Counter = Counter()
    guard = threading.Lock()

    def one(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = services.book_occurrence(
                occurrence_id,
                name=f"Participant {n}",
                email=f"participant{n}@example.org",
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

    threads = [threading.Thread(target=one, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_capacity_of_a_date_holds_under_50_simultaneous_registrations(
    require_postgres, transactional_db, reference_data
):
    occurrence = first_date(registration_event(capacity=PLACES))

    outcomes = run_simultaneous_registrations(occurrence.pk)

    assert outcomes == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}
    stored = Counter(Booking.objects.filter(occurrence=occurrence).values_list("status", flat=True))
    assert stored == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}
