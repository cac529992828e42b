"""Booking rules: waiting list, promotion exactly once, one booking per e-mail, e-mails."""

from __future__ import annotations

import datetime
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone

from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus, OpenDoorWeek

from . import factories
from .agenda import ics_of

pytestmark = pytest.mark.django_db


def book(slot, n, language="fr", **extra):
    return services.book_slot(
        slot.pk,
        name=f"Personne {n}",
        email=f"personne{n}@example.org",
        organisation="CPAS d'Anderlecht",
        profession="Infirmier·e",
        language=language,
        **extra,
    )


def test_full_slot_puts_the_next_person_on_the_waiting_list():
    slot = factories.slot(capacity=1)
    assert book(slot, 1).booking.status == BookingStatus.CONFIRMED
    assert book(slot, 2).waitlisted


def test_same_email_cannot_book_the_same_slot_twice():
    slot = factories.slot(capacity=3)
    first = book(slot, 1)
    again = services.book_slot(
        slot.pk,
        name="Personne 1",
        email=" PERSONNE1@example.org ",
        organisation="x",
        profession="y",
    )
    assert not again.created
    assert again.booking.pk == first.booking.pk
    assert Booking.objects.filter(slot=slot).count() == 1


def test_database_refuses_a_second_active_booking_for_the_same_email():
    from django.db import IntegrityError, transaction

    slot = factories.slot(capacity=3)
    booking = book(slot, 1).booking
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=slot,
            status=BookingStatus.WAITLISTED,
            name="x",
            email=booking.email,
            organisation="x",
            profession="x",
            consent_at=booking.consent_at,
        )


def test_cancel_promotes_the_first_waiting_person_exactly_once_even_if_submitted_twice():
    slot = factories.slot(capacity=1)
    holder = book(slot, 1).booking
    first_waiting = book(slot, 2).booking
    second_waiting = book(slot, 3).booking
    mail.outbox.clear()

    first = services.cancel_booking(holder.pk)
    second = services.cancel_booking(holder.pk)

    assert first.cancelled and not second.cancelled
    assert [b.pk for b in first.promoted] == [first_waiting.pk]
    assert second.promoted == []
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == BookingStatus.CONFIRMED
    assert second_waiting.status == BookingStatus.WAITLISTED
    promotions = [m for m in mail.outbox if m.to == [first_waiting.email]]
    assert len(promotions) == 1
    assert len([m for m in mail.outbox if m.to == [holder.email]]) == 1
    assert len(mail.outbox) == 2


def test_overlapping_bookings_are_told_to_the_address_owner_by_email_only(client):
    """Whoever submits the form may not own the address: the page says nothing about
    the address's other bookings, the e-mail to that address does."""
    the_week = factories.week()
    a = factories.slot(
        capacity=3,
        the_week=the_week,
        the_registration=factories.registration(the_week, organisation_name="Maison Médicale"),
    )
    b = factories.slot(
        capacity=3,
        the_registration=factories.registration(the_week, organisation_name="AMO"),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 0),
    )
    book(a, 1)
    assert "Attention" not in mail.outbox[-1].body
    mail.outbox.clear()
    response = client.post(
        f"/fr/portes-ouvertes/{the_week.slug}/reserver/{b.pk}/",
        {
            "name": "Quelqu'un d'autre",
            "email": "personne1@example.org",
            "organisation": "CPAS",
            "profession": "Assistant·e social·e",
            "consent": "on",
            "submission_token": "t-overlap",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Maison Médicale" not in page and "overlap-warning" not in page
    (message,) = mail.outbox
    assert message.to == ["personne1@example.org"]
    assert "vous avez déjà une réservation au même moment" in message.body
    assert "Maison Médicale" in message.body
    assert "Maison Médicale" in message.alternatives[0][0]


def test_slot_of_an_unapproved_registration_cannot_be_booked():
    the_week = factories.week()
    pending = factories.registration(the_week, status="submitted")
    slot = factories.slot(the_registration=pending)
    with pytest.raises(services.SlotNotBookable):
        book(slot, 1)


def test_booking_outside_the_booking_window_is_refused():
    slot = factories.slot(the_week=factories.week(bookable=False))
    with pytest.raises(services.SlotNotBookable):
        book(slot, 1)


@pytest.mark.parametrize(
    ("language", "greeting", "subject_word"),
    [("fr", "Bonjour", "Réservation confirmée"), ("nl", "Dag", "Reservatie bevestigd")],
)
def test_confirmation_email_is_in_the_bookers_language_with_text_html_and_ics(
    language, greeting, subject_word
):
    slot = factories.slot(capacity=2, start_time=datetime.time(9, 0), end_time=datetime.time(12, 0))
    mail.outbox.clear()
    booking = book(slot, 1, language=language).booking

    (message,) = mail.outbox
    assert subject_word in message.subject
    assert greeting in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and greeting in html
    calendar = ics_of(message)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"opendoors-booking-{booking.uid}@maillage"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.astimezone(ZoneInfo("Europe/Brussels")).time() == datetime.time(9, 0)
    assert str(event["DTSTART"].params.get("TZID")) == "Europe/Brussels"
    assert calendar.walk("VTIMEZONE")


def test_cancellation_ics_has_same_uid_status_cancelled_and_higher_sequence():
    slot = factories.slot(capacity=2)
    booking = book(slot, 1).booking
    confirmation = ics_of(mail.outbox[-1]).walk("VEVENT")[0]
    services.cancel_booking(booking.pk)
    cancellation = ics_of(mail.outbox[-1]).walk("VEVENT")[0]
    assert cancellation["UID"] == confirmation["UID"]
    assert str(cancellation["STATUS"]) == "CANCELLED"
    assert int(cancellation["SEQUENCE"]) > int(confirmation["SEQUENCE"])


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_promotion_reminder_and_appreciation_emails_in_the_bookers_language(language):
    the_week = factories.week()
    slot = factories.slot(capacity=1, the_week=the_week)
    holder = book(slot, 1, language=language).booking
    waiting = book(slot, 2, language=language).booking
    mail.outbox.clear()
    services.cancel_booking(holder.pk)
    promotion = [m for m in mail.outbox if m.to == [waiting.email]][0]
    word = {"fr": "place s'est libérée", "nl": "plaats vrijgekomen"}[language]
    assert word in promotion.body and word in promotion.alternatives[0][0].replace("&#x27;", "'")
    assert ics_of(promotion).walk("VEVENT")[0]["STATUS"] == "CONFIRMED"

    mail.outbox.clear()
    assert services.send_reminders(today=slot.date - datetime.timedelta(days=1)) == 1
    assert services.send_reminders(today=slot.date - datetime.timedelta(days=1)) == 0
    reminder = mail.outbox[0]
    assert {"fr": "Rappel", "nl": "Herinnering"}[language] in reminder.subject
    assert reminder.alternatives[0][1] == "text/html"

    mail.outbox.clear()
    after = the_week.end_date + datetime.timedelta(days=1)
    assert services.send_appreciation_requests(today=after) == 1
    assert services.send_appreciation_requests(today=after) == 0
    appreciation = mail.outbox[0]
    assert {"fr": "Votre avis", "nl": "Uw mening"}[language] in appreciation.subject
    assert {"fr": "/avis/", "nl": "/feedback/"}[language] in appreciation.body
    assert appreciation.alternatives[0][1] == "text/html"


def test_visitor_data_is_erased_n_months_after_the_week(settings):
    settings.OPENDOORS_VISITOR_RETENTION_MONTHS = 6
    slot = factories.slot(capacity=2)
    booking = book(slot, 1).booking
    week_end = slot.registration.week.end_date
    assert services.erase_expired_visitor_data(today=week_end + datetime.timedelta(days=30)) == 0
    later = week_end + relativedelta(months=6, days=1)
    assert services.erase_expired_visitor_data(today=later) == 1
    booking.refresh_from_db()
    assert booking.email == "" and booking.name == "" and booking.erased_at


def test_visitor_can_erase_their_booking_and_the_place_goes_to_the_waiting_list():
    slot = factories.slot(capacity=1)
    holder = book(slot, 1).booking
    waiting = book(slot, 2).booking
    services.erase_booking(holder)
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == BookingStatus.CANCELLED and holder.email == ""
    assert waiting.status == BookingStatus.CONFIRMED


def test_raw_message_is_multipart_with_calendar_part():
    slot = factories.slot(capacity=2)
    mail.outbox.clear()
    book(slot, 1)
    raw = message_from_bytes(mail.outbox[0].message().as_bytes())
    types = {part.get_content_type() for part in raw.walk()}
    assert {"text/plain", "text/html", "text/calendar"} <= types


def test_daily_tasks_remind_tomorrows_visitors_ask_last_weeks_and_erase_expired_ones(settings):
    """The beat tasks take no argument: each acts on today's date, once."""
    from events.opendoors import tasks

    settings.OPENDOORS_VISITOR_RETENTION_MONTHS = 6
    today = timezone.localdate()
    tomorrow = factories.slot(
        capacity=2, the_week=factories.week(today=today - datetime.timedelta(days=9))
    )
    assert tomorrow.date == today + datetime.timedelta(days=1)
    reminded = book(tomorrow, 1).booking
    ended, expired = factories.slot(capacity=2), factories.slot(capacity=2)
    asked, erased = book(ended, 2).booking, book(expired, 3).booking
    long_ago = today - datetime.timedelta(days=200)  # more than the 6 months of retention
    for slot, end in ((ended, today - datetime.timedelta(days=1)), (expired, long_ago)):
        OpenDoorWeek.objects.filter(pk=slot.registration.week_id).update(
            start_date=end - datetime.timedelta(days=4), end_date=end
        )
    mail.outbox.clear()

    assert tasks.send_visit_reminders.apply().get() == 1
    assert [message.to for message in mail.outbox] == [[reminded.email]]
    mail.outbox.clear()
    assert tasks.send_appreciation_requests.apply().get() == 1
    assert [message.to for message in mail.outbox] == [[asked.email]]
    assert tasks.erase_expired_visitor_data.apply().get() == 1
    erased.refresh_from_db()
    assert erased.email == "" and erased.erased_at
    assert Booking.objects.filter(erased_at__isnull=True).count() == 2

    mail.outbox.clear()
    assert tasks.send_visit_reminders.apply().get() == 0
    assert tasks.send_appreciation_requests.apply().get() == 0
    assert tasks.erase_expired_visitor_data.apply().get() == 0
    assert mail.outbox == []


def test_raising_capacity_promotes_waiting_people():
    slot = factories.slot(capacity=1)
    book(slot, 1)
    waiting = book(slot, 2).booking
    promoted = services.set_capacity(slot, 2)
    assert [b.pk for b in promoted] == [waiting.pk]


def test_week_dates_must_be_coherent():
    from django.core.exceptions import ValidationError

    week = factories.week()
    week.booking_closes = week.end_date + datetime.timedelta(days=3)
    week.registration_closes = week.registration_opens - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        week.full_clean()
    assert {"booking_closes", "registration_closes"} <= set(error.value.message_dict)
