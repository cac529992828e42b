"""Registrations for an agenda date share the engine's lock: 50 simultaneous
registrations for 5 places on one date (PostgreSQL)."""

from __future__ import annotations

from collections import Counter

import pytest

from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus

from .agenda import first_date, registration_event
from .race import simultaneously, without_booking_mail

pytestmark = pytest.mark.integration

REQUESTS = 50
PLACES = 5


@pytest.fixture(autouse=True)
def _no_booking_mail():
    """The race measures the lock, not the mail."""
    with without_booking_mail():
        yield


def run_simultaneous_registrations(occurrence_id: int) -> Counter:
    return simultaneously(services.book_occurrence, occurrence_id, REQUESTS)


def test_capacity_of_a_date_holds_under_50_simultaneous_registrations(
    require_postgres, transactional_db, reference_data
):
    occurrence = first_date(registration_event(capacity=PLACES))

    outcomes = run_simultaneous_registrations(occurrence.pk)

    assert outcomes == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}
    stored = Counter(Booking.objects.filter(occurrence=occurrence).values_list("status", flat=True))
    assert stored == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}
