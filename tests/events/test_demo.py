"""The demo agenda shows each registration mode: here, a training cycle registered for on
Maillage as a whole series (its idempotence and markings: test_contract.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events import demo
from events.models import Event, RegistrationMode, RegistrationScope
from events.opendoors.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def test_demo_has_a_training_cycle_one_registers_for_as_a_whole_series(agenda_reference, client):
    demo.load(timezone.localdate(), log=lambda message: None)
    (cycle,) = Event.objects.filter(
        source="demo",
        registration=RegistrationMode.INTERNAL,
        registration_scope=RegistrationScope.SERIES,
    )
    assert cycle.is_demo and cycle.is_recurring and cycle.registers_per_series
    assert cycle.kind.slug == "formation" and cycle.capacity
    dates = list(cycle.occurrences.order_by("start"))
    assert len(dates) == 4 and dates[0].start > timezone.now()

    for language, note in [("fr", "S'inscrire à la série"), ("nl", "Inschrijven voor de reeks")]:
        page = client.get(cycle.get_absolute_url(language)).content.decode()
        assert 'data-testid="register-series-link"' in page and note in page
    with translation.override("nl"):
        url = reverse("events:register_series", args=[cycle.pk])
    response = client.post(
        url,
        {
            "submission_token": "demo-1",
            "name": "Sam Peeters",
            "email": "sam@example.org",
            "organisation": "OCMW",
            "profession": "Maatschappelijk werker",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert (booking.event, booking.occurrence, booking.status) == (
        cycle,
        None,
        BookingStatus.CONFIRMED,
    )
