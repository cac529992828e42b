"""Control characters: public forms refuse them; every output stays valid when one
reaches the database another way (admin, import, old rows): a poisoned row test for
RSS, Atom, the iCal feeds and downloads, the open-door calendars, the JSON API and
e-mail."""

import datetime
import json
from xml.dom import minidom

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.forms import ProposalForm
from events.models import Event
from events.opendoors import calendars
from events.opendoors.forms import BookingForm
from events.opendoors.models import Registration
from tests.opendoors import factories as opendoors_factories

from .factories import body, make_event

pytestmark = pytest.mark.django_db

POISON = "Atelier\x0bvertical\x01tab\nsur deux lignes\x7f"


@pytest.fixture
def poisoned(agenda_reference):
    event = make_event("Atelier", bassins=["nord"], start=timezone.now() + datetime.timedelta(1))
    # Straight into the table, as an import or an old row would.
    Event.objects.filter(pk=event.pk).update(
        title_fr=POISON,
        title_nl=POISON,
        description_fr="Ligne 1\nLigne 2\x0c",
        organiser="Asbl\n\x0bPoison",
        published_at=timezone.now(),
    )
    event.refresh_from_db()
    return event


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 and c not in "\t\r\n" or 0x7F <= ord(c) <= 0x9F for c in text)


@pytest.mark.parametrize("url", ["/feeds/agenda.rss", "/feeds/agenda.atom?lang=nl"])
def test_rss_and_atom_stay_valid_xml_with_a_poisoned_row(client, poisoned, url):
    response = client.get(url)
    assert response.status_code == 200
    document = minidom.parseString(response.content)
    assert "Atelier verticaltab sur deux lignes" in document.toxml()


def test_ical_feed_and_downloads_stay_valid_with_a_poisoned_row(client, poisoned):
    for url in (
        "/feeds/nord.ics",
        "/feeds/agenda.ics?lang=nl",
        f"/fr/agenda/evenement/{poisoned.pk}/ics/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response).decode()
        assert not _has_control(text.replace("\r\n", "")), url
        (vevent,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
        assert str(vevent["SUMMARY"]) == "Atelier verticaltab sur deux lignes"
        assert "Ligne 1\nLigne 2" in str(vevent["DESCRIPTION"])


def test_event_calendar_name_on_one_line(client, poisoned):
    text = body(client.get(f"/fr/agenda/evenement/{poisoned.pk}/ics/")).decode()
    assert "X-WR-CALNAME:Atelier verticaltab sur deux lignes\r\n" in text


def test_json_api_stays_valid_with_a_poisoned_row(client, poisoned):
    today = timezone.localdate()
    response = client.get(f"/api/events?start={today}&end={today + datetime.timedelta(5)}")
    assert response.status_code == 200
    titles = [o["title"] for o in json.loads(response.content)["occurrences"]]
    assert POISON in titles  # JSON escapes what it carries: the document stays valid


def test_open_door_calendars_stay_valid_with_a_poisoned_row():
    slot = opendoors_factories.slot()
    Registration.objects.filter(pk=slot.registration_id).update(
        organisation_name=POISON, discover="Deux\nlignes\x1f", street="Rue\x0b1"
    )
    slot.refresh_from_db()
    slot.registration.refresh_from_db()
    data = calendars.programme_ics(slot.registration.week, [slot], "fr")
    assert not _has_control(data.decode().replace("\r\n", ""))
    (vevent,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(vevent["SUMMARY"]).startswith("Atelier verticaltab sur deux lignes")


def test_email_subject_and_body_stay_valid_with_a_poisoned_row(poisoned):
    Event.objects.filter(pk=poisoned.pk).update(proposer_email="orga@example.org")
    poisoned.refresh_from_db()
    mail.outbox.clear()
    services.PROPOSALS.send_confirmation(poisoned)
    (message,) = mail.outbox
    assert "\n" not in message.subject and not _has_control(message.subject)
    message.message().as_bytes()  # serialisable as sent


def _proposal(**changes):
    data = {
        "title_fr": "Atelier",
        "organiser": "Asbl",
        "proposer_name": "Alex",
        "proposer_email": "alex@example.org",
        "date": "2027-03-02",
        **changes,
    }
    return ProposalForm(data)


@pytest.mark.parametrize("value", ["Atelier\x0bpoison", "Atelier\nsur deux lignes", "A\x00"])
def test_public_forms_refuse_control_characters_in_single_line_fields(agenda_reference, value):
    form = _proposal(title_fr=value)
    assert not form.is_valid()
    assert "title_fr" in form.errors
    booking = BookingForm({"name": value, "email": "a@example.org"})
    assert not booking.is_valid()
    assert "name" in booking.errors


def test_multi_line_fields_keep_their_line_breaks(agenda_reference):
    form = _proposal(description_fr="Ligne 1\r\nLigne 2\tfin")
    form.is_valid()
    assert "description_fr" not in form.errors
    assert "description_fr" in _proposal(description_fr="Ligne\x0bfin").errors
