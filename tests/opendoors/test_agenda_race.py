"""Registrations for an agenda date, or for a whole series, share the engine's lock: 50
simultaneous registrations for 5 places on one date, or on one series (PostgreSQL)."""

from __future__ import annotations

from collections import Counter

import pytest

from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus

from .agenda import first_date, registration_event, series_event
from .race import simultaneously, without_booking_mail, without_row_lock

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


def test_capacity_of_a_series_holds_under_50_simultaneous_registrations(
    require_postgres, transactional_db, reference_data
):
    event = series_event(capacity=PLACES, dates=4)

    outcomes = simultaneously(services.book_series, event.pk, REQUESTS)

    assert outcomes == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}
    stored = Counter(Booking.objects.filter(event=event).values_list("status", flat=True))
    assert stored == {BookingStatus.CONFIRMED: 5, BookingStatus.WAITLISTED: 45}


def test_without_the_events_row_lock_the_series_race_overbooks(
    require_postgres, transactional_db, reference_data
):
    """Proves the series race test can fail: the unlocked check-then-insert oversells."""
    event = series_event(capacity=PLACES, dates=4)

    with without_row_lock(race_window=0.05):
        outcomes = simultaneously(services.book_series, event.pk, REQUESTS)

    assert not [key for key in outcomes if str(key).startswith("error")]
    confirmed = Booking.objects.filter(event=event, status=BookingStatus.CONFIRMED).count()
    assert confirmed > PLACES
