"""Registration for a whole series ("pour toute la série") runs on the same booking
engine as a date's: one pool of places for the series, waiting list, promotion exactly
once, e-mails with every date of the series in the .ics, signed cancel link, reminder
the day before the first date to come, CSV, retention, and a scope that does not change
under people's registrations."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import recurrence
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.privacy import erase_personal_data, personal_data_about
from events import services as event_services
from events.ical import booking_uid
from events.models import EventStatus, OccurrenceStatus, RegistrationScope
from events.opendoors import exports, queries, services
from events.opendoors.models import Booking, BookingStatus

from .agenda import first_date, ics_of, register, register_series, registration_event, series_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(reference_data):
    """The agenda's event kinds."""


def test_one_registration_books_the_series_not_a_date():
    event = series_event(capacity=2)
    result = register_series(event, 1)
    assert result.created and result.booking.status == BookingStatus.CONFIRMED
    booking = Booking.objects.get()
    assert booking.event_id == event.pk and booking.occurrence_id is None
    assert booking.agenda_event == event and booking.occasion == event


def test_the_series_has_one_pool_of_places_then_a_waiting_list():
    event = series_event(capacity=2, dates=4)
    assert register_series(event, 1).booking.status == BookingStatus.CONFIRMED
    assert register_series(event, 2).booking.status == BookingStatus.CONFIRMED
    assert register_series(event, 3).waitlisted
    assert queries.remaining_places_in_series(event) == 0


def test_the_same_address_registers_once_for_the_series():
    event = series_event()
    first = register_series(event, 1)
    again = register_series(event, 1)
    assert not again.created and again.booking.pk == first.booking.pk
    assert Booking.objects.filter(event=event).count() == 1


def test_a_series_wide_event_takes_no_registration_for_one_date():
    event = series_event()
    with pytest.raises(services.SlotNotBookable):
        register(first_date(event), 1)


def test_a_per_date_event_takes_no_registration_for_the_series():
    event = registration_event(rule="RRULE:FREQ=WEEKLY;COUNT=3")
    with pytest.raises(services.SlotNotBookable):
        register_series(event, 1)


@pytest.mark.parametrize("change", [{"status": EventStatus.DRAFT}, {"days_ahead": -30}])
def test_an_unpublished_or_finished_series_takes_no_registration(change):
    days_ahead = change.pop("days_ahead", 3)
    event = series_event(days_ahead=days_ahead, **change)
    with pytest.raises(services.SlotNotBookable):
        register_series(event, 1)


def test_people_may_join_a_series_until_its_last_date():
    event = series_event(days_ahead=-2, dates=2)  # the first date is past, the second to come
    assert register_series(event, 1).created


def test_confirmation_email_carries_every_date_of_the_series_in_the_ics():
    event = series_event(dates=3)
    register_series(event, 1, language="nl")
    (message,) = mail.outbox
    assert "Inschrijving bevestigd" in message.subject
    entries = ics_of(message).walk("VEVENT")
    dates = list(event.occurrences.order_by("start"))
    assert [entry.decoded("dtstart") for entry in entries] == [d.start for d in dates]
    booking = Booking.objects.get()
    assert len({str(entry["uid"]) for entry in entries}) == 3
    assert all(str(entry["uid"]).startswith(booking_uid(booking.uid)[:-9]) for entry in entries)
    assert {str(entry["status"]) for entry in entries} == {"CONFIRMED"}
    for occurrence in dates:
        assert f"{timezone.localtime(occurrence.start):%H:%M}" in message.body


def test_waiting_list_email_of_a_full_series_has_no_ics():
    event = series_event(capacity=1)
    register_series(event, 1)
    mail.outbox.clear()
    register_series(event, 2)
    (message,) = mail.outbox
    assert "Liste d'attente" in message.subject
    assert "La série est complète" in message.body
    assert not [a for a in message.attachments if a[0].endswith(".ics")]


def test_cancel_promotes_the_first_waiting_person_exactly_once_even_if_submitted_twice():
    event = series_event(capacity=1)
    holder = register_series(event, 1).booking
    first_waiting = register_series(event, 2).booking
    second_waiting = register_series(event, 3).booking
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
    assert len(ics_of(promoted_mail[0]).walk("VEVENT")) == 3
    (cancelled,) = [m for m in mail.outbox if m.to == [holder.email]]
    assert {str(e["status"]) for e in ics_of(cancelled).walk("VEVENT")} == {"CANCELLED"}


def test_raising_the_series_capacity_promotes_waiting_people(django_capture_on_commit_callbacks):
    event = series_event(capacity=1)
    register_series(event, 1)
    waiting = register_series(event, 2).booking
    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_reminder_goes_the_day_before_the_first_date_once():
    event = series_event(days_ahead=1, dates=3)
    register_series(event, 1)
    mail.outbox.clear()
    today = timezone.localdate()
    assert services.send_reminders(today - datetime.timedelta(days=1)) == 0
    assert services.send_reminders(today) == 1
    assert services.send_reminders(today) == 0
    (message,) = mail.outbox
    assert "Rappel" in message.subject
    assert services.send_reminders(today + datetime.timedelta(days=7)) == 0


def test_reminder_of_a_late_registration_goes_the_day_before_its_next_date():
    event = series_event(days_ahead=-6, dates=3)  # a date past, the next one tomorrow
    register_series(event, 1)
    mail.outbox.clear()
    assert services.send_reminders(timezone.localdate()) == 1


def test_a_moved_date_of_the_series_keeps_the_registration_and_tells_the_person(
    django_capture_on_commit_callbacks,
):
    event = series_event(capacity=2, dates=3)
    booking = register_series(event, 1, language="nl").booking
    second = event.occurrences.order_by("start")[1]
    later = second.start + datetime.timedelta(days=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.move_occurrence(event, second.recurrence_id, later)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.sequence == 1
    (message,) = mail.outbox
    assert message.to == [booking.email]
    assert message.subject.startswith("Nieuw uur in de reeks")
    starts = sorted(entry["DTSTART"].dt for entry in ics_of(message).walk("VEVENT"))
    assert later in starts


def test_a_cancelled_date_of_the_series_keeps_the_registration_and_tells_the_person(
    django_capture_on_commit_callbacks,
):
    event = series_event(capacity=1, dates=3)
    confirmed = register_series(event, 1, language="nl").booking
    waiting = register_series(event, 2).booking
    second = event.occurrences.order_by("start")[1]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel_occurrence(event, second.recurrence_id)
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED
    assert waiting.status == BookingStatus.WAITLISTED
    (message,) = mail.outbox
    assert message.to == [confirmed.email]
    statuses = [str(e["status"]) for e in ics_of(message).walk("VEVENT")]
    assert statuses == ["CONFIRMED", "CANCELLED", "CONFIRMED"]


def test_a_date_dropped_from_the_series_is_cancelled_not_deleted_while_it_holds_registrations():
    event = series_event(dates=3)
    register_series(event, 1)
    third = event.occurrences.order_by("start")[2]
    event.recurrence = recurrence.deserialize("RRULE:FREQ=WEEKLY;COUNT=2")
    event_services.save_event(event, bump=False)
    third.refresh_from_db()
    assert third.status == OccurrenceStatus.CANCELLED


def test_csv_lists_the_series_registrations_as_the_whole_series():
    event = series_event(capacity=1)
    register_series(event, 1)
    register_series(event, 2)
    services.cancel_booking(register_series(event, 3).booking.pk)
    response = exports.event_attendees_csv_response(event, queries.event_attendees(event), "x.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[4] for row in rows[1:]] == ["Participant 1", "Participant 2"]
    assert [row[3] for row in rows[1:]] == ["Confirmée", "Liste d'attente"]
    assert {row[1] for row in rows[1:]} == {"toute la série"}


def test_registration_events_count_series_registrations():
    event = series_event(capacity=1)
    register_series(event, 1)
    register_series(event, 2)
    listed = queries.registration_events().get(pk=event.pk)
    assert (listed.confirmed_count, listed.waiting_count) == (1, 1)


def test_participants_data_is_erased_n_months_after_the_series_last_date(settings):
    settings.OPENDOORS_VISITOR_RETENTION_MONTHS = 6
    event = series_event(dates=3)
    booking = register_series(event, 1).booking
    first_end = timezone.localtime(first_date(event).end).date()
    last_end = timezone.localtime(event.occurrences.order_by("-end").first().end).date()
    assert services.erase_expired_visitor_data(first_end + relativedelta(months=6, days=2)) == 0
    assert services.erase_expired_visitor_data(last_end + relativedelta(months=6)) == 0
    assert services.erase_expired_visitor_data(last_end + relativedelta(months=6, days=2)) == 1
    booking.refresh_from_db()
    assert booking.erased_at and booking.email == "" and booking.name == ""


def test_privacy_registry_finds_and_erases_a_series_registration():
    event = series_event()
    booking = register_series(event, 1).booking
    found = personal_data_about("participant1@example.org")
    assert any("Formation premiers secours" in line for line in found["opendoors"])
    erase_personal_data("participant1@example.org")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.email == ""


@pytest.mark.parametrize("scope", [RegistrationScope.DATE, RegistrationScope.SERIES])
def test_the_scope_cannot_change_once_people_are_registered(scope):
    if scope == RegistrationScope.SERIES:
        event = series_event()
        register_series(event, 1)
        other = RegistrationScope.DATE
    else:
        event = registration_event(rule="RRULE:FREQ=WEEKLY;COUNT=3")
        register(first_date(event), 1)
        other = RegistrationScope.SERIES
    event.registration_scope = other
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "registration_scope" in error.value.message_dict


def test_the_scope_may_change_when_every_registration_is_cancelled():
    event = series_event()
    services.cancel_booking(register_series(event, 1).booking.pk)
    event.registration_scope = RegistrationScope.DATE
    event.full_clean()
