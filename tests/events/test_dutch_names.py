"""Venue and organiser names that have a Dutch version show it to Dutch readers: pages,
feeds, the JSON API, the proposal form and the admin; the French name otherwise."""

import datetime

import icalendar
import pytest
from django.contrib.auth import get_user_model

from events.models import Event, EventKind
from newsletters import agenda as newsletter_agenda

from .factories import body, local, make_event

pytestmark = pytest.mark.django_db

SOON = datetime.date.today() + datetime.timedelta(days=10)
WINDOW = {"start": SOON.isoformat(), "end": (SOON + datetime.timedelta(days=1)).isoformat()}


@pytest.fixture
def event(agenda_reference):
    return make_event(
        "Atelier santé",
        bassins=["nord"],
        start=local(*SOON.timetuple()[:3], 10, 0),
        venue_name="Maison de quartier – Jette",
        venue_name_nl="Buurthuis – Jette",
        venue_address="Rue Léopold Ier 329",
        organiser="Bassin Nord",
        organiser_nl="Zorgzone Noord",
    )


def test_the_dutch_event_page_shows_the_dutch_venue_and_organiser(client, event):
    nl = client.get(f"/nl/agenda/activiteit/{event.pk}/").content.decode()
    fr = client.get(f"/fr/agenda/evenement/{event.pk}/").content.decode()
    assert "Buurthuis – Jette" in nl and "Zorgzone Noord" in nl
    assert "Maison de quartier" not in nl and "Bassin Nord" not in nl
    assert "Maison de quartier – Jette" in fr and "Bassin Nord" in fr
    assert "Buurthuis" not in fr and "Zorgzone Noord" not in fr


def test_the_dutch_agenda_list_shows_the_dutch_venue(client, event):
    assert "Buurthuis – Jette" in client.get("/nl/agenda/", WINDOW).content.decode()
    assert "Maison de quartier – Jette" in client.get("/fr/agenda/", WINDOW).content.decode()


@pytest.mark.parametrize(
    "lang, venue, organiser",
    [
        ("nl", "Buurthuis – Jette", "Zorgzone Noord"),
        ("fr", "Maison de quartier – Jette", "Bassin Nord"),
    ],
)
def test_feeds_and_api_speak_the_requested_language(client, event, lang, venue, organiser):
    calendar = icalendar.Calendar.from_ical(body(client.get(f"/feeds/agenda.ics?lang={lang}")))
    vevent = next(c for c in calendar.walk("VEVENT") if c["SUMMARY"].startswith("Atelier"))
    assert str(vevent["LOCATION"]).startswith(venue)
    assert vevent["ORGANIZER"].params["CN"] == organiser
    assert f"{organiser}" in str(vevent["DESCRIPTION"])
    rows = client.get("/api/events", {**WINDOW, "lang": lang}).json()
    assert {r["venue"]["name"] for r in rows["occurrences"] if r["event_id"] == event.pk} == {venue}


def test_without_a_dutch_version_dutch_readers_see_the_french_name(client, agenda_reference):
    plain = make_event("Atelier", venue_name="Salle Delvaux", organiser="ASBL Exemple")
    nl = client.get(f"/nl/agenda/activiteit/{plain.pk}/").content.decode()
    assert "Salle Delvaux" in nl and "ASBL Exemple" in nl


def test_the_proposal_form_takes_the_dutch_venue_and_organiser(client, agenda_reference):
    day = datetime.date.today() + datetime.timedelta(days=10)
    form = client.get("/nl/agenda/voorstellen/").content.decode()
    assert 'name="venue_name_nl"' in form and 'name="organiser_nl"' in form
    response = client.post(
        "/nl/agenda/voorstellen/",
        {
            "title_nl": "Vorming eerste hulp",
            "description_nl": "Voor maatschappelijk werkers.",
            "kind": EventKind.objects.get(slug="formation").pk,
            "date": day.isoformat(),
            "start_time": "09:30",
            "end_time": "12:00",
            "venue_name": "Centre communautaire",
            "venue_name_nl": "Gemeenschapscentrum",
            "postal_code": "1030",
            "audience": "professionals",
            "language_list": ["nl"],
            "organiser": "ASBL Exemple",
            "organiser_nl": "VZW Voorbeeld",
            "proposer_name": "An Peeters",
            "proposer_email": "an@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title_nl="Vorming eerste hulp")
    assert (event.venue_name_nl, event.organiser_nl) == ("Gemeenschapscentrum", "VZW Voorbeeld")


def test_the_admin_edits_the_dutch_venue_and_organiser(client, event):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    html = client.get(f"/admin/snippets/events/event/edit/{event.pk}/").content.decode()
    assert 'name="venue_name_nl"' in html and 'name="organiser_nl"' in html
    assert 'value="Buurthuis – Jette"' in html


@pytest.mark.parametrize(
    "language, venue", [("nl", "Buurthuis – Jette"), ("fr", "Maison de quartier – Jette")]
)
def test_the_newsletter_agenda_shows_the_venue_in_the_issue_language(event, language, venue):
    start = local(*SOON.timetuple()[:3], 0, 0)
    items = newsletter_agenda.occurrences(
        start, start + datetime.timedelta(days=1), ["nord"], language
    )
    assert [item["venue_name"] for item in items] == [venue]
