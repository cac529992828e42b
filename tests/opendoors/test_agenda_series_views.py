"""The pages of a registration for a whole series (FR/NL): the event page's one button,
the registration page listing every date to come, the signed cancel link, the
organiser's list and CSV, the admin's lists scoped by bassin rights, and the event form
where the team chooses "par date" or "pour toute la série"."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bassins.models import Bassin, Language
from bassins.permissions import ensure_team_groups
from events.models import Event, EventKind, RegistrationScope
from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus

from .agenda import (
    first_date,
    form_post,
    register,
    register_series,
    registration_event,
    series_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(reference_data):
    """The agenda's event kinds and the bassins."""


def series_url(event, language="fr"):
    with translation.override(language):
        return reverse("events:register_series", args=[event.pk])


def post_data(**overrides):
    return form_post("s-1", **overrides)


@pytest.mark.parametrize(
    ("language", "note", "subject", "consent"),
    [
        (
            "fr",
            "Une seule inscription vaut pour toutes les dates",
            "Inscription confirmée",
            "effacées quelques mois après sa dernière date",
        ),
        (
            "nl",
            "Eén inschrijving geldt voor alle data",
            "Inschrijving bevestigd",
            "enkele maanden na de laatste datum gewist",
        ),
    ],
)
def test_series_page_lists_every_date_and_registers_once_for_all(
    client, language, note, subject, consent
):
    event = series_event(capacity=2, dates=3)
    page = client.get(series_url(event, language))
    body = page.content.decode()
    assert page.status_code == 200 and note in body
    assert consent in body  # the data are kept until the series' last date, and it says so
    assert body.count("<li") >= 3 and 'data-testid="series-dates"' in body
    response = client.post(series_url(event, language), post_data())
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert booking.event == event and booking.language == language
    assert booking.status == BookingStatus.CONFIRMED
    (message,) = mail.outbox
    assert subject in message.subject


def test_event_page_of_a_series_wide_event_has_one_button_and_no_date_links(client):
    event = series_event(dates=3)
    body = client.get(event.get_absolute_url("fr")).content.decode()
    assert body.count('data-testid="register-series-link"') == 1
    assert series_url(event) in body
    assert 'data-testid="register-link"' not in body


def test_a_per_date_event_has_no_series_page(client):
    event = registration_event(rule="RRULE:FREQ=WEEKLY;COUNT=3")
    assert client.get(series_url(event)).status_code == 404
    assert client.get(series_url(event).replace(str(event.pk), "999999")).status_code == 404


def test_a_date_of_a_series_wide_event_refuses_a_date_registration(client):
    event = series_event()
    occurrence = first_date(event)
    with translation.override("fr"):
        url = reverse("events:register", args=[event.pk, occurrence.pk])
    response = client.post(url, post_data())
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_a_finished_series_shows_the_closed_page(client):
    event = series_event(days_ahead=-30)
    response = client.post(series_url(event), post_data())
    assert response.status_code == 403
    assert 'data-testid="registration-closed"' in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [{"consent": ""}, {"email": "not-an-address"}, {"name": "Dominique\x07"}],
)
def test_bad_input_is_a_400_with_a_message_and_saves_nothing(client, bad):
    event = series_event()
    data = post_data(**bad)
    if data["consent"] == "":
        del data["consent"]
    response = client.post(series_url(event), data)
    assert response.status_code == 400
    assert "message-error" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_full_series_offers_the_waiting_list(client):
    event = series_event(capacity=1)
    register_series(event, 1)
    body = client.get(series_url(event)).content.decode()
    assert 'data-testid="full"' in body and "La série est complète" in body
    client.post(series_url(event), post_data())
    assert Booking.objects.get(email="dominique@example.org").status == BookingStatus.WAITLISTED


def test_double_submit_registers_once(client):
    event = series_event()
    first = client.post(series_url(event), post_data())
    second = client.post(series_url(event), post_data())
    assert first.status_code == second.status_code == 200
    assert Booking.objects.count() == 1


def test_cancel_link_in_dutch_lists_the_dates_and_promotes_once(client):
    event = series_event(capacity=1)
    holder = register_series(event, 1, language="nl").booking
    waiting = register_series(event, 2).booking
    path = services.booking_manage_url(holder).removeprefix(settings.SITE_URL)
    page = client.get(path).content.decode()
    assert path.startswith("/nl/") and 'data-testid="series-dates"' in page
    mail.outbox.clear()
    client.post(path, {"action": "cancel"})
    again = client.post(path, {"action": "cancel"})
    assert "Deze inschrijving was al geannuleerd." in again.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    assert len([m for m in mail.outbox if m.to == [waiting.email]]) == 1


def test_organiser_link_lists_and_exports_the_series_registrations(client):
    event = series_event(capacity=4)
    register_series(event, 1)
    path = services.organiser_url(event).removeprefix(settings.SITE_URL)
    body = client.get(path).content.decode()
    assert "Participant 1" in body and "Toute la série" in body
    assert "4 places pour toute la série" in body
    csv_body = client.get(path + "inscriptions.csv").content.decode("utf-8-sig")
    assert "participant1@example.org" in csv_body and "toute la série" in csv_body


def test_series_page_queries_are_bounded(client, django_assert_max_num_queries):
    event = series_event(capacity=3, dates=8)
    for n in range(3):
        register_series(event, n)
    with django_assert_max_num_queries(8):
        assert client.get(series_url(event)).status_code == 200


def test_a_series_wide_event_page_costs_no_more_queries_than_a_per_date_one(client):
    per_date = registration_event(title="Par date", rule="RRULE:FREQ=WEEKLY;COUNT=8")
    client.get(per_date.get_absolute_url("fr"))  # the first request's one-time reads
    with CaptureQueriesContext(connection) as reference:
        client.get(per_date.get_absolute_url("fr"))
    event = series_event(dates=8)
    for n in range(3):
        register_series(event, n)
    with CaptureQueriesContext(connection) as measured:
        client.get(event.get_absolute_url("fr"))
    assert len(measured.captured_queries) <= len(reference.captured_queries)


# --- the admin ----------------------------------------------------------------------


def team_user(bassin_name):
    ensure_team_groups()
    user = get_user_model().objects.create_user(bassin_name, f"{bassin_name}@example.org", "pw")
    user.groups.add(Group.objects.get(name=f"Équipe bassin {bassin_name}"))
    return user


def test_a_bassin_team_sees_the_series_attendees_of_its_bassins_only(client):
    north, south = Bassin.objects.order_by("pk")[:2]
    nord_event = series_event(title="Cycle Nord", bassins=[north.slug])
    sud_event = series_event(title="Cycle Sud", bassins=[south.slug])
    register_series(nord_event, 1)
    register_series(sud_event, 2)
    client.force_login(team_user(north.name_fr))
    listing = client.get("/admin/inscriptions/").content.decode()
    assert "Cycle Nord" in listing and "Cycle Sud" not in listing
    page = client.get(f"/admin/inscriptions/{nord_event.pk}/")
    assert page.status_code == 200 and "participant1@example.org" in page.content.decode()
    csv_response = client.get(f"/admin/inscriptions/{nord_event.pk}/?format=csv")
    assert "participant1@example.org" in csv_response.content.decode("utf-8-sig")
    assert client.get(f"/admin/inscriptions/{sud_event.pk}/").status_code == 404
    assert client.get(f"/admin/inscriptions/{sud_event.pk}/?format=csv").status_code == 404


def test_a_user_without_event_rights_gets_no_series_attendee_list(client):
    event = series_event()
    register_series(event, 1)
    user = get_user_model().objects.create_user("plain", "plain@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(f"/admin/inscriptions/{event.pk}/").status_code in (302, 403)


def admin_form(**changes):
    day = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "title_fr": "Cycle de formation",
        "title_nl": "Opleidingscyclus",
        "kind": EventKind.objects.get(slug="rendez-vous-prevention").pk,
        "status": "published",
        "start_date": day.isoformat(),
        "start_time": "10:00",
        "end_date": day.isoformat(),
        "end_time": "12:00",
        "recurrence": "RRULE:FREQ=WEEKLY;COUNT=4",
        "bassins": [Bassin.objects.get(slug="nord").pk],
        "audience": "professionals",
        "languages": list(Language.objects.filter(code="fr").values_list("pk", flat=True)),
        "registration": "internal",
        "registration_scope": "series",
        "capacity": "12",
        "description_fr": "",
        "description_nl": "",
    }
    data.update(changes)
    return data


def test_the_team_chooses_registration_for_the_whole_series_in_the_event_form(client):
    client.force_login(team_user("Nord"))
    response = client.post("/admin/snippets/events/event/add/", admin_form())
    assert response.status_code == 302, response.content.decode()[-1500:]
    event = Event.objects.get(title_fr="Cycle de formation")
    assert event.registers_per_series and event.capacity == 12
    assert register_series(event, 1).created


def test_the_event_form_refuses_a_scope_change_once_people_are_registered(client):
    client.force_login(team_user("Nord"))
    client.post("/admin/snippets/events/event/add/", admin_form())
    event = Event.objects.get(title_fr="Cycle de formation")
    register_series(event, 1)
    response = client.post(
        f"/admin/snippets/events/event/edit/{event.pk}/",
        admin_form(registration_scope="date", title_fr="Cycle renommé"),
    )
    assert response.status_code == 200
    assert "ne peut plus changer" in response.content.decode()
    event.refresh_from_db()
    assert event.registration_scope == RegistrationScope.SERIES
    assert event.title_fr == "Cycle de formation"
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_the_event_form_changes_the_scope_while_nobody_is_registered(client):
    client.force_login(team_user("Nord"))
    client.post("/admin/snippets/events/event/add/", admin_form())
    event = Event.objects.get(title_fr="Cycle de formation")
    response = client.post(
        f"/admin/snippets/events/event/edit/{event.pk}/", admin_form(registration_scope="date")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.registers_per_series
    assert register(first_date(event), 1).created


@pytest.mark.parametrize("scope", ["date", "series"])
def test_an_agenda_registrations_link_opens_no_appreciation_form(client, scope):
    """The signed link of a registration for an agenda date or series, put on the open
    doors' appreciation address, is a 404, not an error."""
    if scope == "series":
        booking = register_series(series_event(), 1).booking
    else:
        booking = register(first_date(registration_event()), 1).booking
    path = services.appreciation_url(booking).removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 404
    assert client.post(path, {"rating": "5"}).status_code == 404


def test_attendee_lists_cost_the_same_queries_for_2_or_12_series_registrations(client):
    """The organiser's page and the team's admin page read a series' registrations in a
    fixed number of queries, however many people registered."""
    north = Bassin.objects.order_by("pk").first()
    event = series_event(capacity=20, bassins=[north.slug])
    organiser_path = services.organiser_url(event).removeprefix(settings.SITE_URL)
    team = team_user(north.name_fr)

    def queries_of(path):
        client.get(path)  # the first request's one-time reads
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        register_series(event, n)
    few_organiser = queries_of(organiser_path)
    client.force_login(team)
    few_admin = queries_of(f"/admin/inscriptions/{event.pk}/")
    client.logout()
    for n in range(2, 12):
        register_series(event, n)
    assert queries_of(organiser_path) == few_organiser
    client.force_login(team)
    assert queries_of(f"/admin/inscriptions/{event.pk}/") == few_admin
