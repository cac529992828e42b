"""Registrations for agenda dates run on the open-door booking engine: capacity per date,
waiting list, promotion exactly once, e-mails with the date's .ics, signed cancel link,
reminder the day before, CSV, retention, privacy registry."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import recurrence
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.privacy import erase_personal_data, personal_data_about
from events import services as event_services
from events.ical import booking_uid
from events.models import EventStatus, OccurrenceStatus, RegistrationMode
from events.opendoors import exports, queries, services
from events.opendoors.models import Booking, BookingStatus

from .agenda import first_date, ics_of, register, registration_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(reference_data):
    """The agenda's event kinds."""


def test_a_full_date_puts_the_next_person_on_the_waiting_list():
    occurrence = first_date(registration_event(capacity=2))
    assert register(occurrence, 1).booking.status == BookingStatus.CONFIRMED
    assert register(occurrence, 2).booking.status == BookingStatus.CONFIRMED
    assert register(occurrence, 3).waitlisted


def test_capacity_counts_per_date_of_a_series():
    event = registration_event(capacity=1, rule="RRULE:FREQ=WEEKLY;COUNT=3")
    first, second = event.occurrences.order_by("start")[:2]
    assert register(first, 1).booking.status == BookingStatus.CONFIRMED
    assert register(second, 2).booking.status == BookingStatus.CONFIRMED
    assert register(first, 3).waitlisted


def test_the_same_address_registers_once_per_date():
    occurrence = first_date(registration_event())
    first = register(occurrence, 1)
    again = register(occurrence, 1)
    assert not again.created and again.booking.pk == first.booking.pk
    assert Booking.objects.filter(occurrence=occurrence).count() == 1


def test_confirmation_email_carries_the_dates_ics_in_the_participants_language():
    occurrence = first_date(registration_event())
    register(occurrence, 1, language="nl")
    (message,) = mail.outbox
    assert "Inschrijving bevestigd" in message.subject
    (entry,) = ics_of(message).walk("VEVENT")
    assert str(entry["uid"]) == booking_uid(Booking.objects.get().uid)
    assert entry.decoded("dtstart") == occurrence.start
    assert str(entry["status"]) == "CONFIRMED"
    assert "/nl/" in message.body


def test_waiting_list_email_has_no_ics():
    occurrence = first_date(registration_event(capacity=1))
    register(occurrence, 1)
    mail.outbox.clear()
    register(occurrence, 2)
    (message,) = mail.outbox
    assert "Liste d'attente" in message.subject
    assert not [a for a in message.attachments if a[0].endswith(".ics")]


def test_cancel_promotes_the_first_waiting_person_exactly_once_even_if_submitted_twice():
    occurrence = first_date(registration_event(capacity=1))
    holder = register(occurrence, 1).booking
    first_waiting = register(occurrence, 2).booking
    second_waiting = register(occurrence, 3).booking
    mail.outbox.clear()
    result = services.cancel_booking(holder.pk)
    again = services.cancel_booking(holder.pk)
    assert result.cancelled and not again.cancelled
    assert [b.pk for b in result.promoted] == [first_waiting.pk]
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == BookingStatus.CONFIRMED
    assert second_waiting.status == BookingStatus.WAITLISTED
    promoted_mail = [m for m in mail.outbox if m.to == [first_waiting.email]]
    assert len(promoted_mail) == 1 and "Place libérée" in promoted_mail[0].subject
    cancelled = [m for m in mail.outbox if m.to == [holder.email]]
    (entry,) = ics_of(cancelled[0]).walk("VEVENT")
    assert str(entry["status"]) == "CANCELLED"


def test_the_signed_link_cancels_and_a_tampered_one_is_refused(client):
    occurrence = first_date(registration_event(capacity=1))
    booking = register(occurrence, 1).booking
    link = services.booking_manage_url(booking)
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    assert client.post(path[:-3] + "xx/", {"action": "cancel"}).status_code in (400, 403, 404)
    response = client.post(path, {"action": "cancel"})
    assert 'data-testid="cancelled"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_raising_the_events_capacity_promotes_waiting_people(django_capture_on_commit_callbacks):
    event = registration_event(capacity=1)
    occurrence = first_date(event)
    register(occurrence, 1)
    waiting = register(occurrence, 2).booking
    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    "change",
    [
        {"status": EventStatus.DRAFT},
        {"registration": RegistrationMode.EXTERNAL, "capacity": None},
    ],
)
def test_an_unpublished_or_other_mode_event_takes_no_registration(change):
    event = registration_event()
    occurrence = first_date(event)
    for name, value in change.items():
        setattr(event, name, value)
    event.save()
    with pytest.raises(services.SlotNotBookable):
        register(occurrence, 1)


def test_a_cancelled_or_past_date_takes_no_registration():
    event = registration_event(rule="RRULE:FREQ=WEEKLY;COUNT=2")
    first, second = event.occurrences.order_by("start")
    event_services.cancel_occurrence(event, first.recurrence_id)
    with pytest.raises(services.SlotNotBookable):
        register(first, 1)
    past = first_date(registration_event(days_ahead=-2))
    with pytest.raises(services.SlotNotBookable):
        register(past, 2)
    assert register(second, 3).created


def test_capacity_is_required_with_registration_on_maillage_and_refused_otherwise():
    event = registration_event()
    event.capacity = None
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "capacity" in error.value.message_dict
    event.registration = RegistrationMode.NONE
    event.capacity = 10
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "capacity" in error.value.message_dict


def test_reminder_goes_the_day_before_once():
    occurrence = first_date(registration_event(days_ahead=1))
    register(occurrence, 1)
    mail.outbox.clear()
    today = timezone.localdate()
    assert services.send_reminders(today) == 1
    assert services.send_reminders(today) == 0
    (message,) = mail.outbox
    assert "Rappel" in message.subject
    assert services.send_reminders(today - datetime.timedelta(days=1)) == 0


def test_csv_lists_the_active_registrations_date_by_date():
    event = registration_event(capacity=1)
    occurrence = first_date(event)
    register(occurrence, 1)
    register(occurrence, 2)
    cancelled = register(occurrence, 3).booking
    services.cancel_booking(cancelled.pk)
    response = exports.event_attendees_csv_response(event, queries.event_attendees(event), "x.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[4] for row in rows[1:]] == ["Participant 1", "Participant 2"]
    assert [row[3] for row in rows[1:]] == ["Confirmée", "Liste d'attente"]


def test_participants_data_is_erased_n_months_after_their_date(settings):
    settings.OPENDOORS_VISITOR_RETENTION_MONTHS = 6
    occurrence = first_date(registration_event())
    booking = register(occurrence, 1).booking
    date = timezone.localtime(occurrence.end).date()
    assert services.erase_expired_visitor_data(date + relativedelta(months=6)) == 0
    assert services.erase_expired_visitor_data(date + relativedelta(months=6, days=2)) == 1
    booking.refresh_from_db()
    assert booking.erased_at and booking.email == "" and booking.name == ""


def test_privacy_registry_finds_and_erases_a_participants_registration():
    occurrence = first_date(registration_event())
    booking = register(occurrence, 1).booking
    found = personal_data_about("participant1@example.org")
    assert any("Formation premiers secours" in line for line in found["opendoors"])
    erase_personal_data("participant1@example.org")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.email == ""


def test_moving_a_one_off_events_date_keeps_its_registrations():
    event = registration_event()
    occurrence = first_date(event)
    booking = register(occurrence, 1).booking
    event_services.set_times(
        event,
        occurrence.start + datetime.timedelta(days=1),
        occurrence.end + datetime.timedelta(days=1),
        False,
    )
    event_services.save_event(event, bump=False)
    (moved,) = event.occurrences.all()
    assert moved.pk == occurrence.pk
    assert moved.start == occurrence.start + datetime.timedelta(days=1)
    booking.refresh_from_db()
    assert booking.occurrence_id == moved.pk and booking.status == BookingStatus.CONFIRMED


def test_a_date_dropped_from_a_series_is_cancelled_not_deleted_while_it_holds_registrations():
    event = registration_event(rule="RRULE:FREQ=WEEKLY;COUNT=3")
    second, third = event.occurrences.order_by("start")[1:3]
    booking = register(third, 1).booking
    event.recurrence = recurrence.deserialize("RRULE:FREQ=WEEKLY;COUNT=1")
    event_services.save_event(event, bump=False)
    assert not event.occurrences.filter(pk=second.pk).exists()
    third.refresh_from_db()
    assert third.status == OccurrenceStatus.CANCELLED
    booking.refresh_from_db()
    assert booking.occurrence_id == third.pk


def test_moving_a_date_keeps_its_registrations_and_tells_each_person_with_the_new_time(
    django_capture_on_commit_callbacks,
):
    event = registration_event(capacity=1, rule="RRULE:FREQ=WEEKLY;COUNT=2")
    occurrence, other = event.occurrences.order_by("start")
    confirmed = register(occurrence, 1, language="nl").booking
    waiting = register(occurrence, 2).booking
    elsewhere = register(other, 3).booking
    mail.outbox.clear()
    later = occurrence.start + datetime.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.move_occurrence(event, occurrence.recurrence_id, later)
    for booking, status in ((confirmed, "confirmed"), (waiting, "waitlisted")):
        booking.refresh_from_db()
        assert booking.status == status and booking.sequence == 1
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"participant1@example.org", "participant2@example.org"}
    assert by_address["participant1@example.org"].subject.startswith("Nieuw uur:")
    assert "changé l'horaire de cette date" in by_address["participant2@example.org"].body
    (entry,) = ics_of(by_address["participant1@example.org"]).walk("VEVENT")
    assert entry["DTSTART"].dt == later and int(entry["SEQUENCE"]) == confirmed.sequence
    elsewhere.refresh_from_db()
    assert elsewhere.sequence == 0
    # The same time again tells nobody; a cancelled date is not "moved".
    with django_capture_on_commit_callbacks(execute=True):
        event_services.move_occurrence(event, occurrence.recurrence_id, later)
    assert len(mail.outbox) == 2


def test_changing_the_series_time_tells_the_people_of_each_coming_date(
    django_capture_on_commit_callbacks,
):
    event = registration_event(capacity=3, rule="RRULE:FREQ=WEEKLY;COUNT=2")
    first, second = event.occurrences.order_by("start")
    register(first, 1)
    register(second, 2)
    mail.outbox.clear()
    event.start_time = datetime.time(14, 0)
    event.end_time = datetime.time(16, 0)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.save_event(event)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "participant1@example.org",
        "participant2@example.org",
    ]
    assert all("Nouvel horaire" in message.subject for message in mail.outbox)


def test_cancelling_a_date_cancels_its_registrations_and_tells_each_person(
    django_capture_on_commit_callbacks,
):
    occurrence = first_date(registration_event(capacity=1))
    confirmed = register(occurrence, 1, language="nl").booking
    waiting = register(occurrence, 2).booking
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel_occurrence(occurrence.event, occurrence.recurrence_id)
    for booking in (confirmed, waiting):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"participant1@example.org", "participant2@example.org"}
    assert "door de organisator geannuleerd" in by_address["participant1@example.org"].body
    assert "annulée par l'organisateur" in by_address["participant2@example.org"].body
    (entry,) = ics_of(by_address["participant1@example.org"]).walk("VEVENT")
    assert str(entry["status"]) == "CANCELLED"
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel_occurrence(occurrence.event, occurrence.recurrence_id)
    assert len(mail.outbox) == 2
