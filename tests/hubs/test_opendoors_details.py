"""Open-door details: past weeks read as past, places as "3 left of 8", cancelling asks
for confirmation, the commune filter names communes, and a new registration reaches
the bassin team even when the week has no team set."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from bassins.permissions import ensure_team
from events.opendoors import services
from events.opendoors.models import Booking, RegistrationStatus
from events.opendoors.widgets import SlotFormatsWidget
from tests.opendoors import factories

pytestmark = pytest.mark.django_db


def test_a_past_week_is_labelled_past_not_bookable(territory, client):
    today = timezone.localdate()
    week = factories.week(today - datetime.timedelta(days=400), name_fr="Semaine 2025")
    listing = client.get("/fr/portes-ouvertes/").content.decode()
    assert 'data-testid="week-state">terminée' in listing
    programme = client.get(f"/fr/portes-ouvertes/{week.slug}/").content.decode()
    assert 'data-testid="week-past"' in programme
    assert "Réservations ouvertes du" not in programme


def test_places_read_as_left_of_capacity(territory, client):
    slot = factories.slot(capacity=8)
    for number in range(5):
        Booking.objects.create(
            slot=slot,
            name=f"P{number}",
            email=f"p{number}@example.org",
            status="confirmed",
            language="fr",
            organisation="Asbl",
            profession="Infirmière",
            consent_at=timezone.now(),
        )
    week = slot.registration.week
    html = client.get(f"/fr/portes-ouvertes/{week.slug}/").content.decode()
    assert "3 places restantes sur 8" in html
    nl = client.get(f"/nl/opendeurdagen/{week.slug}/").content.decode()
    assert "nog 3 plaatsen vrij van 8" in nl


def test_the_commune_filter_lists_communes_by_name(territory, client):
    week = factories.week()
    factories.slot(the_registration=factories.registration(week, postal_code="1030"))
    html = client.get(f"/nl/opendeurdagen/{week.slug}/").content.decode()
    assert ">Schaarbeek (1030)</option>" in html


def test_cancelling_a_booking_asks_for_confirmation(territory, client):
    slot = factories.slot()
    booking = Booking.objects.create(
        slot=slot,
        name="Alex",
        email="alex@example.org",
        status="confirmed",
        language="fr",
        organisation="Asbl",
        profession="Infirmière",
        consent_at=timezone.now(),
    )
    html = client.get(
        f"/fr/portes-ouvertes/reservation/{services.booking_token(booking)}/"
    ).content.decode()
    assert '<details class="confirm-cancel">' in html
    assert "Voulez-vous vraiment annuler" in html


def test_a_new_registration_notifies_the_bassin_team_without_a_week_team(territory):
    week = factories.week()
    assert week.team_id is None
    group, _created = ensure_team(week.bassin)
    member = User.objects.create_user("team", email="team@example.org")
    member.groups.add(group)
    registration = factories.registration(week, status=RegistrationStatus.UNCONFIRMED)
    mail.outbox.clear()
    assert services.confirm_registration_email(registration)
    assert [message.to for message in mail.outbox] == [["team@example.org"]]


def test_slot_formats_are_edited_as_rows_not_json():
    widget = SlotFormatsWidget()
    html = widget.render(
        "slot_formats",
        [{"label_fr": "Matin", "label_nl": "Ochtend", "start": "09:00", "end": "12:00"}],
    )
    assert 'name="slot_formats-0-label_fr" value="Matin"' in html
    assert 'type="time" name="slot_formats-0-start" value="09:00"' in html
    assert "{" not in html.split("<tbody>")[1]  # no JSON shown
    data = {
        "slot_formats-0-label_fr": "Matin",
        "slot_formats-0-label_nl": "Ochtend",
        "slot_formats-0-start": "09:00",
        "slot_formats-0-end": "12:00",
        "slot_formats-1-label_fr": "",
        "slot_formats-1-label_nl": "",
        "slot_formats-1-start": "",
        "slot_formats-1-end": "",
        "slot_formats-2-label_fr": "Midi",
        "slot_formats-2-label_nl": "Middag",
        "slot_formats-2-start": "12:00",
        "slot_formats-2-end": "14:00",
    }
    assert json.loads(widget.value_from_datadict(data, {}, "slot_formats")) == [
        {"label_fr": "Matin", "label_nl": "Ochtend", "start": "09:00", "end": "12:00"},
        {"label_fr": "Midi", "label_nl": "Middag", "start": "12:00", "end": "14:00"},
    ]
