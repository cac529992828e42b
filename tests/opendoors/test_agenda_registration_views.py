"""The registration pages of agenda dates (FR/NL), the organiser's link and the
attendee list in the Wagtail admin, scoped by bassin rights."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bassins.models import Bassin
from bassins.permissions import ensure_team_groups
from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus

from .agenda import first_date, form_post, register, registration_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(reference_data):
    """The agenda's event kinds and the bassins."""


def register_url(occurrence, language="fr"):
    with translation.override(language):
        return reverse("events:register", args=[occurrence.event_id, occurrence.pk])


def post_data(**overrides):
    return form_post("r-1", **overrides)


@pytest.mark.parametrize(
    ("language", "form_word", "done_title", "subject"),
    [
        (
            "fr",
            "Confirmer mon inscription",
            "Votre demande d'inscription est envoyée",
            "Inscription confirmée",
        ),
        (
            "nl",
            "Mijn inschrijving bevestigen",
            "Uw inschrijvingsaanvraag is verstuurd",
            "Inschrijving bevestigd",
        ),
    ],
)
def test_registration_page_registers_and_mails_in_the_page_language(
    client, language, form_word, done_title, subject
):
    occurrence = first_date(registration_event(capacity=2))
    page = client.get(register_url(occurrence, language))
    assert page.status_code == 200 and form_word in page.content.decode()
    response = client.post(register_url(occurrence, language), post_data())
    assert response.status_code == 200
    assert done_title in response.content.decode()
    booking = Booking.objects.get()
    assert booking.occurrence == occurrence and booking.language == language
    assert booking.status == BookingStatus.CONFIRMED
    (message,) = mail.outbox
    assert subject in message.subject


def test_event_page_links_each_date_to_its_registration(client):
    event = registration_event(rule="RRULE:FREQ=WEEKLY;COUNT=2")
    body = client.get(event.get_absolute_url("fr")).content.decode()
    for occurrence in event.occurrences.all():
        assert register_url(occurrence) in body


def test_event_page_without_registration_on_maillage_has_no_link(client):
    event = registration_event()
    event.registration, event.capacity = "none", None
    event.save()
    body = client.get(event.get_absolute_url("fr")).content.decode()
    assert 'data-testid="register-link"' not in body


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.mark.parametrize("held", ["confirmed", "waitlisted", "nothing"])
def test_the_page_reveals_nothing_about_an_addresss_registrations(client, held):
    """On a full date, the answer is the same whether the address holds a place, a waiting
    position or nothing: only its owner's e-mail tells."""
    occurrence = first_date(registration_event(capacity=1))
    register(occurrence, 1)
    if held == "confirmed":
        email = "participant1@example.org"
    else:
        email = "someone@example.org"
        if held == "waitlisted":
            client.post(register_url(occurrence), post_data(email=email))
    answer = client.post(register_url(occurrence), post_data(email=email, submission_token="x"))
    reference = client.post(
        register_url(occurrence), post_data(email="fresh@example.org", submission_token="y")
    )
    body = CSRF.sub(b"", answer.content).replace(email.encode(), b"@")
    other = CSRF.sub(b"", reference.content).replace(b"fresh@example.org", b"@")
    assert answer.status_code == 200 and body == other


def test_double_submit_registers_once(client):
    occurrence = first_date(registration_event())
    first = client.post(register_url(occurrence), post_data())
    second = client.post(register_url(occurrence), post_data())
    assert first.status_code == second.status_code == 200
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"consent": ""},
        {"email": "not-an-address"},
        {"name": "Dominique\x07"},
        {"organisation": "x" * 201},
    ],
)
def test_bad_input_is_a_400_with_a_message_and_saves_nothing(client, bad):
    occurrence = first_date(registration_event())
    data = post_data(**bad)
    if data["consent"] == "":
        del data["consent"]
    response = client.post(register_url(occurrence), data)
    assert response.status_code == 400
    assert "message-error" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_past_or_other_event_date_is_refused_with_a_clear_page(client):
    past = first_date(registration_event(days_ahead=-2))
    response = client.post(register_url(past), post_data())
    assert response.status_code == 403
    assert 'data-testid="registration-closed"' in response.content.decode()
    other = first_date(registration_event())
    with translation.override("fr"):
        wrong = reverse("events:register", args=[past.event_id, other.pk])
    assert client.get(wrong).status_code == 404
    assert not Booking.objects.exists()


def test_cancel_link_in_dutch_and_promotion_once(client):
    occurrence = first_date(registration_event(capacity=1))
    holder = register(occurrence, 1, language="nl").booking
    waiting = register(occurrence, 2).booking
    path = services.booking_manage_url(holder).removeprefix(settings.SITE_URL)
    assert path.startswith("/nl/")
    assert "Mijn inschrijving beheren" in client.get(path).content.decode()
    mail.outbox.clear()
    client.post(path, {"action": "cancel"})
    again = client.post(path, {"action": "cancel"})
    assert "Deze inschrijving was al geannuleerd." in again.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    assert len([m for m in mail.outbox if m.to == [waiting.email]]) == 1
    assert client.post(path, {"action": "other"}).status_code == 400


def test_organiser_link_lists_and_exports_the_registrations(client):
    event = registration_event()
    register(first_date(event), 1)
    path = services.organiser_url(event).removeprefix(settings.SITE_URL)
    body = client.get(path).content.decode()
    assert "Participant 1" in body
    csv_response = client.get(path + "inscriptions.csv")
    assert csv_response.status_code == 200
    assert "participant1@example.org" in csv_response.content.decode("utf-8-sig")
    assert client.get(path.replace("organisateur/", "organisateur/x")).status_code in (
        400,
        403,
        404,
    )


# --- the admin ----------------------------------------------------------------------


def team_client(client, bassin_name):
    ensure_team_groups()
    user = get_user_model().objects.create_user(bassin_name, f"{bassin_name}@example.org", "pw")
    user.groups.add(Group.objects.get(name=f"Équipe bassin {bassin_name}"))
    client.force_login(user)
    return client


@pytest.fixture
def two_events():
    north, south = Bassin.objects.order_by("pk")[:2]
    nord_event = registration_event(title="Formation Nord", bassins=[north.slug])
    sud_event = registration_event(title="Formation Sud", bassins=[south.slug])
    register(first_date(nord_event), 1)
    register(first_date(sud_event), 2)
    return north, nord_event, sud_event


def test_a_bassin_team_sees_the_attendees_of_its_bassins_events_only(client, two_events):
    north, nord_event, sud_event = two_events
    team = team_client(client, north.name_fr)
    listing = team.get("/admin/inscriptions/").content.decode()
    assert "Formation Nord" in listing and "Formation Sud" not in listing
    page = team.get(f"/admin/inscriptions/{nord_event.pk}/")
    assert page.status_code == 200 and "participant1@example.org" in page.content.decode()
    csv_response = team.get(f"/admin/inscriptions/{nord_event.pk}/?format=csv")
    assert "participant1@example.org" in csv_response.content.decode("utf-8-sig")
    assert team.get(f"/admin/inscriptions/{sud_event.pk}/").status_code == 404
    assert team.get(f"/admin/inscriptions/{sud_event.pk}/?format=csv").status_code == 404


def test_a_user_without_event_rights_gets_no_attendee_list(client, two_events):
    _north, nord_event, _sud = two_events
    user = get_user_model().objects.create_user("plain", "plain@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(f"/admin/inscriptions/{nord_event.pk}/").status_code in (302, 403)


def test_registration_adds_no_query_to_the_event_page(client, django_assert_max_num_queries):
    """The event page of a series taking registrations costs what the same page costs
    without them, whatever the number of dates and registrations."""
    plain = registration_event(title="Sans inscription", rule="RRULE:FREQ=WEEKLY;COUNT=8")
    plain.registration, plain.capacity = "none", None
    plain.save()
    client.get(plain.get_absolute_url("fr"))  # the first request's one-time reads
    with CaptureQueriesContext(connection) as reference:
        client.get(plain.get_absolute_url("fr"))
    event = registration_event(rule="RRULE:FREQ=WEEKLY;COUNT=8")
    for n, occurrence in enumerate(event.occurrences.all()):
        register(occurrence, n)
    with django_assert_max_num_queries(len(reference.captured_queries)):
        response = client.get(event.get_absolute_url("fr"))
    assert response.content.decode().count('data-testid="register-link"') == 8


def test_registration_page_queries_are_bounded(client, django_assert_max_num_queries):
    occurrence = first_date(registration_event(capacity=3))
    for n in range(3):
        register(occurrence, n)
    with django_assert_max_num_queries(8):
        assert client.get(register_url(occurrence)).status_code == 200
