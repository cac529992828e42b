"""One iCalendar builder: agenda feeds, event downloads and open-door attachments share
PRODID and time zone, and the UIDs subscribers already hold never change form."""

import icalendar
import pytest

from events import ical
from events.opendoors import calendars
from events.opendoors import services as opendoors_services
from tests.opendoors import factories as opendoors_factories

from .factories import body, local, make_event

pytestmark = pytest.mark.django_db


def _booking(slot):
    return opendoors_services.book_slot(
        slot.pk,
        name="Visiteur",
        email="visiteur@example.org",
        organisation="CPAS",
        profession="Infirmier",
    ).booking


def _calendar(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_agenda_and_open_door_calendars_share_one_prodid_and_time_zone(client, agenda_reference):
    event = make_event("Atelier", bassins=["nord"], start=local(2027, 3, 2, 10, 0))
    slot = opendoors_factories.slot()
    booking = _booking(slot)
    documents = [
        body(client.get("/feeds/nord.ics")),
        body(client.get(f"/fr/agenda/evenement/{event.pk}/ics/")),
        calendars.programme_ics(slot.registration.week, [slot], "fr"),
        calendars.booking_ics(booking, "fr"),
    ]
    for document in documents:
        cal = _calendar(document)
        assert str(cal["PRODID"]) == ical.PRODID
        assert str(cal["METHOD"]) == "PUBLISH"
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_published_uids_keep_their_form(client, agenda_reference):
    """A changed UID duplicates the entry in every calendar that imported it."""
    event = make_event("Atelier", bassins=["nord"], start=local(2027, 3, 2, 10, 0))
    feed = _calendar(body(client.get("/feeds/nord.ics")))
    assert {str(v["UID"]) for v in feed.walk("VEVENT")} == {f"event-{event.uid}@maillage.brussels"}
    download = _calendar(body(client.get(f"/fr/agenda/evenement/{event.pk}/ics/")))
    assert [str(v["UID"]) for v in download.walk("VEVENT")] == [
        f"event-{event.uid}@maillage.brussels"
    ]
    slot = opendoors_factories.slot()
    programme = _calendar(calendars.programme_ics(slot.registration.week, [slot], "fr"))
    assert [str(v["UID"]) for v in programme.walk("VEVENT")] == [
        f"opendoors-slot-{slot.pk}@maillage"
    ]
    booking = _booking(slot)
    attachment = _calendar(calendars.booking_ics(booking, "fr"))
    assert [str(v["UID"]) for v in attachment.walk("VEVENT")] == [
        f"opendoors-booking-{booking.uid}@maillage"
    ]
