"""Capacity is never exceeded: 50 simultaneous bookings on 5 places (PostgreSQL)."""

from __future__ import annotations

from collections import Counter

import pytest

from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus

from . import factories
from .race import simultaneously, without_booking_mail, without_row_lock


@pytest.fixture(autouse=True)
def _no_booking_mail():
    """The race measures the lock, not the mail."""
    with without_booking_mail():
        yield


pytestmark = pytest.mark.integration

REQUESTS = 50
PLACES = 5


def run_simultaneous_bookings(slot_id: int) -> Counter:
    """REQUESTS visitors book the slot at the same instant."""
    return simultaneously(services.book_slot, slot_id, REQUESTS)


def test_capacity_is_never_exceeded_under_50_simultaneous_bookings(
    require_postgres, transactional_db
):
    slot = factories.slot(capacity=PLACES)

    outcomes = run_simultaneous_bookings(slot.pk)

    assert outcomes == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}
    stored = Counter(Booking.objects.filter(slot=slot).values_list("status", flat=True))
    assert stored == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}


def test_without_the_row_lock_the_same_race_overbooks(require_postgres, transactional_db):
    """Proves the race test can fail: the unlocked check-then-insert oversells."""
    slot = factories.slot(capacity=PLACES)

    with without_row_lock(race_window=0.05):
        outcomes = run_simultaneous_bookings(slot.pk)

    errors = [key for key in outcomes if str(key).startswith("error")]
    assert not errors
    confirmed = Booking.objects.filter(slot=slot, status=BookingStatus.CONFIRMED).count()
    assert confirmed > PLACES
