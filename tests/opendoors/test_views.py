"""Public pages: programme, registration, booking, signed links; FR/NL; bad input; queries."""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from bassins.models import Theme
from events.opendoors import services
from events.opendoors.models import Booking, BookingStatus, Registration, RegistrationStatus, Slot

from . import factories

pytestmark = pytest.mark.django_db


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"opendoors:{name}", kwargs=kwargs)


def registration_post(week, **overrides):
    day = week.start_date.isoformat()
    data = {
        "submission_token": overrides.pop("submission_token", "tok-1"),
        "organisation_name": "Antenne sociale du Canal",
        "contact_name": "Sam Contact",
        "contact_email": "sam@example.org",
        "street": "Rue du Canal 5",
        "postal_code": "1080",
        "city": "Molenbeek",
        "discover": "Nos permanences et notre équipe.",
        "languages": ["fr", "nl"],
        "slots-TOTAL_FORMS": "2",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "1",
        "slots-MAX_NUM_FORMS": "30",
        "slots-0-date": day,
        "slots-0-start_time": "09:00",
        "slots-0-end_time": "12:00",
        "slots-0-capacity": "6",
        "slots-0-format": "visit",
        "slots-1-date": day,
        "slots-1-start_time": "14:00",
        "slots-1-end_time": "17:00",
        "slots-1-capacity": "4",
        "slots-1-format": "presentation",
    }
    data.update(overrides)
    return data


def registration_week():
    return factories.week(bookable=False)


def links_in(message):
    return re.findall(r"http://\S+/", message.body)


# --- programme -------------------------------------------------------------------


@pytest.mark.parametrize(("language", "word"), [("fr", "Réserver"), ("nl", "Reserveren")])
def test_programme_lists_approved_slots_in_both_languages(client, language, word):
    week = factories.week()
    slot = factories.slot(capacity=3, the_week=week)
    factories.slot(the_registration=factories.registration(week, status="submitted"))
    response = client.get(url("programme", language, slug=week.slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="slot-{slot.pk}"' in body
    assert body.count('data-testid="slot-') == 1
    assert word in body


def test_programme_shows_full_and_waiting_list(client):
    week = factories.week()
    slot = factories.slot(capacity=1, the_week=week)
    for n in range(2):
        services.book_slot(slot.pk, name="x", email=f"x{n}@e.org", organisation="o", profession="p")
    body = client.get(url("programme", slug=week.slug)).content.decode()
    assert 'data-testid="full"' in body
    assert "liste d&#x27;attente" in body or "liste d'attente" in body


def test_programme_queries_do_not_grow_with_slots(client, django_assert_max_num_queries):
    week = factories.week()
    theme = Theme.objects.create(slug="t", name_fr="T", name_nl="T")
    for n in range(12):
        registration = factories.registration(week, organisation_name=f"Org {n}")
        registration.themes.add(theme)
        slot = factories.slot(the_registration=registration, capacity=2)
        services.book_slot(slot.pk, name="x", email="x@e.org", organisation="o", profession="p")
    with django_assert_max_num_queries(10):
        response = client.get(url("programme", slug=week.slug))
    assert response.content.decode().count('data-testid="slot-') == 12


def test_programme_filters_by_day_format_language_and_commune(client):
    week = factories.week()
    a = factories.slot(the_week=week, format="visit")
    b = factories.slot(
        the_registration=factories.registration(
            week, organisation_name="B", postal_code="1090", languages=["nl"]
        ),
        day_offset=1,
        format="immersion",
    )

    def shown(**params):
        body = client.get(url("programme", slug=week.slug), params).content.decode()
        return {pk for pk in (a.pk, b.pk) if f'data-testid="slot-{pk}"' in body}

    assert shown(day=week.start_date.isoformat()) == {a.pk}
    assert shown(format="immersion") == {b.pk}
    assert shown(language="nl") == {a.pk, b.pk}
    assert shown(language="en") == set()
    assert shown(commune="1090") == {b.pk}


def test_programme_with_malformed_filter_is_a_400_not_a_500(client):
    week = factories.week()
    response = client.get(url("programme", slug=week.slug), {"day": "2025-13-45"})
    assert response.status_code == 400


def test_printable_programme_and_ical_feed(client):
    week = factories.week()
    slot = factories.slot(the_week=week, start_time=datetime.time(14), end_time=datetime.time(17))
    assert client.get(url("programme_print", slug=week.slug)).status_code == 200
    response = client.get(f"/portes-ouvertes/{week.slug}/programme.ics?lang=nl")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"opendoors-slot-{slot.pk}@maillage"
    assert event.decoded("DTSTART").hour == 14
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Brussels"


def test_unknown_week_is_404(client):
    assert client.get(url("programme", slug="nope")).status_code == 404


# --- registration ----------------------------------------------------------------


def test_registration_saves_everything_and_sends_the_confirmation_link(client):
    week = registration_week()
    response = client.post(url("register", slug=week.slug), registration_post(week))
    assert response.status_code == 200, response.content.decode()[:2000]
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.UNCONFIRMED
    assert registration.slots.count() == 2
    assert registration.language == "fr"
    (message,) = mail.outbox
    confirm = [link for link in links_in(message) if "/confirmer/" in link][0]
    path = confirm.replace("http://127.0.0.1:8000", "")
    # Opening the link (as a mail scanner would) shows a button and changes nothing.
    page = client.get(path)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.UNCONFIRMED
    assert client.post(path).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_registration_repeated_slot_creates_one_slot_per_day(client):
    week = registration_week()
    data = registration_post(
        week,
        **{
            "slots-TOTAL_FORMS": "1",
            "slots-0-repeat_on": [
                (week.start_date + datetime.timedelta(days=n)).isoformat() for n in (1, 2)
            ],
        },
    )
    assert client.post(url("register", slug=week.slug), data).status_code == 200
    assert Slot.objects.count() == 3


def test_outside_bassin_address_is_allowed_with_a_visible_note(client, reference_data):
    week = registration_week()  # bassin "nord"; 1180 Uccle is in Sud
    response = client.post(
        url("register", slug=week.slug), registration_post(week, postal_code="1180")
    )
    assert response.status_code == 200
    assert 'data-testid="outside-bassin-note"' in response.content.decode()
    assert Registration.objects.get().outside_bassin


@pytest.mark.parametrize(
    ("overrides", "message_fr", "message_nl"),
    [
        ({"slots-0-capacity": "0"}, "supérieure ou égale à 1", "minstens 1"),
        ({"slots-0-date": "2001-01-01"}, "Choisissez un jour de la semaine", "Kies een dag"),
        ({"slots-0-date": "31/02/2025"}, "Saisissez une date valide", "Voer een geldige datum in"),
        ({"slots-0-end_time": "08:00"}, "L&#x27;heure de fin", "Het einduur"),
        ({"postal_code": "75001"}, "code postal bruxellois", "Brussels postnummer"),
    ],
)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_bad_registration_input_gives_errors_in_the_users_language_and_saves_nothing(
    client, overrides, message_fr, message_nl, language
):
    week = registration_week()
    response = client.post(
        url("register", language, slug=week.slug), registration_post(week, **overrides)
    )
    assert response.status_code == 400
    assert (message_fr if language == "fr" else message_nl) in response.content.decode()
    assert not Registration.objects.exists() and not Slot.objects.exists()
    assert not mail.outbox


def test_registration_honeypot_refuses_the_form(client):
    week = registration_week()
    response = client.post(
        url("register", slug=week.slug), registration_post(week, website_url="http://spam")
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_registration_double_submit_saves_once(client):
    week = registration_week()
    data = registration_post(week)
    assert client.post(url("register", slug=week.slug), data).status_code == 200
    assert client.post(url("register", slug=week.slug), data).status_code == 409
    assert Registration.objects.count() == 1


def test_registration_is_rate_limited(client, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "2/h"
    week = registration_week()
    for n in range(2):
        client.post(
            url("register", slug=week.slug), registration_post(week, submission_token=f"t{n}")
        )
    response = client.post(
        url("register", slug=week.slug), registration_post(week, submission_token="t9")
    )
    assert response.status_code == 429


def test_registration_outside_its_window_is_refused(client):
    week = factories.week()  # registration closed yesterday
    assert client.get(url("register", slug=week.slug)).status_code == 403


def test_forged_and_expired_links_get_a_clear_4xx(client, settings):
    assert client.get(url("confirm", token="forged")).status_code == 400
    assert client.get(url("manage_booking", token="forged")).status_code == 400
    assert client.get(url("host", token="x.y.z")).status_code == 400
    slot = factories.slot()
    booking = services.book_slot(
        slot.pk, name="a", email="a@e.org", organisation="o", profession="p"
    ).booking
    token = services.booking_token(booking)
    settings.SIGNED_LINK_MAX_AGE_DAYS = -1
    response = client.get(url("manage_booking", token=token))
    assert response.status_code == 410


def test_organisation_edits_through_its_link_until_booking_opens(client):
    week = registration_week()
    client.post(url("register", slug=week.slug), registration_post(week))
    registration = Registration.objects.get()
    token = services.registration_token(registration, services.TOKEN_EDIT)
    assert client.get(url("edit", token=token)).status_code == 200
    data = registration_post(week, organisation_name="Nouveau nom", submission_token="t2")
    assert client.post(url("edit", token=token), data).status_code == 200
    registration.refresh_from_db()
    assert registration.organisation_name == "Nouveau nom"
    week.booking_opens = datetime.date.today() - datetime.timedelta(days=1)
    week.save()
    assert client.get(url("edit", token=token)).status_code == 403


# --- booking ---------------------------------------------------------------------


def booking_post(**overrides):
    data = {
        "submission_token": "b-1",
        "name": "Dominique Visite",
        "email": "dominique@example.org",
        "organisation": "Maison de quartier",
        "profession": "Éducatrice",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Votre demande de réservation est envoyée"),
        ("nl", "Uw reservatieaanvraag is verstuurd"),
    ],
)
def test_booking_page_books_and_mails_in_the_page_language(client, language, title):
    slot = factories.slot(capacity=2)
    week = slot.registration.week
    response = client.post(url("book", language, slug=week.slug, slot_id=slot.pk), booking_post())
    assert response.status_code == 200
    assert title in response.content.decode()
    booking = Booking.objects.get()
    assert booking.language == language and booking.status == BookingStatus.CONFIRMED
    assert len(mail.outbox) == 1


def test_booking_twice_with_one_address_books_once_and_the_page_reveals_nothing(client):
    """Whoever types an address that already holds the visit (a double click, or a
    stranger) sees the ordinary result page; the owner gets the e-mail again, once a day."""
    slot = factories.slot(capacity=2)
    path = url("book", slug=slot.registration.week.slug, slot_id=slot.pk)
    first = client.post(path, booking_post())
    second = client.post(path, booking_post())
    third = client.post(path, booking_post(submission_token="other"))
    for response in (second, third):
        assert response.status_code == 200
        assert response.content == first.content
    assert Booking.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["dominique@example.org"]] * 2


CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.mark.parametrize("held", ["confirmed", "waitlisted"])
def test_a_stranger_booking_with_an_address_learns_nothing_of_its_bookings_on_a_full_slot(
    client, held
):
    """On a full slot, the page answering a booking for an address is the same whether the
    address holds no booking (it joins the waiting list), a confirmed place or a waiting
    one; only the address's owner learns which, by e-mail."""
    slot = factories.slot(capacity=1)
    path = url("book", slug=slot.registration.week.slug, slot_id=slot.pk)
    pages = {}
    for state in ("none", held):
        Booking.objects.all().delete()
        first = "dominique@example.org" if state == "confirmed" else "other@example.org"
        services.book_slot(slot.pk, name="x", email=first, organisation="o", profession="p")
        if state == "waitlisted":
            services.book_slot(
                slot.pk, name="x", email="dominique@example.org", organisation="o", profession="p"
            )
        mail.outbox.clear()
        response = client.post(path, booking_post(submission_token=f"token-{state}"))
        assert response.status_code == 200
        pages[state] = CSRF_TOKEN.sub(b"", response.content)
        owner_mail = [m for m in mail.outbox if m.to == ["dominique@example.org"]]
        assert len(owner_mail) == 1  # the owner is told the outcome
    assert pages[held] == pages["none"]
    assert Booking.objects.get(email="dominique@example.org").status == held


def test_booking_without_consent_or_with_bad_email_saves_nothing(client):
    slot = factories.slot(capacity=2)
    path = url("book", "nl", slug=slot.registration.week.slug, slot_id=slot.pk)
    response = client.post(path, booking_post(consent="", email="not-an-email"))
    assert response.status_code == 400
    assert "Voer een geldig e-mailadres in" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_honeypot_and_oversized_input(client):
    slot = factories.slot(capacity=2)
    path = url("book", slug=slot.registration.week.slug, slot_id=slot.pk)
    assert client.post(path, booking_post(website_url="x")).status_code == 400
    assert client.post(path, booking_post(name="x" * 5000)).status_code == 400
    assert not Booking.objects.exists()


def test_booking_closed_week_and_unapproved_slot(client):
    slot = factories.slot(the_week=factories.week(bookable=False))
    assert (
        client.get(url("book", slug=slot.registration.week.slug, slot_id=slot.pk)).status_code
        == 403
    )
    week = factories.week()
    pending = factories.slot(the_registration=factories.registration(week, status="submitted"))
    assert client.get(url("book", slug=week.slug, slot_id=pending.pk)).status_code == 404


def test_booking_form_queries_are_bounded(client, django_assert_max_num_queries):
    slot = factories.slot(capacity=2)
    path = url("book", slug=slot.registration.week.slug, slot_id=slot.pk)
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200
    # + the confirmation e-mail: outbox (known key, hourly count, insert, read back) and,
    # in tests only, its delivery in-process (claim, read, mark sent).
    with django_assert_max_num_queries(20):
        assert client.post(path, booking_post()).status_code == 200


def test_registration_form_queries_are_bounded(client, django_assert_max_num_queries):
    week = registration_week()
    with django_assert_max_num_queries(6):  # 6th: the spoken-language choices (then cached)
        assert client.get(url("register", slug=week.slug)).status_code == 200


def test_cancel_link_twice_promotes_once(client):
    slot = factories.slot(capacity=1)
    path = url("book", slug=slot.registration.week.slug, slot_id=slot.pk)
    client.post(path, booking_post())
    client.post(path, booking_post(email="waiting@example.org", submission_token="b-2"))
    holder = Booking.objects.get(email="dominique@example.org")
    manage = url("manage_booking", token=services.booking_token(holder))
    mail.outbox.clear()
    first = client.post(manage, {"action": "cancel"})
    second = client.post(manage, {"action": "cancel"})
    assert 'data-testid="cancelled"' in first.content.decode()
    assert "déjà annulée" in second.content.decode()
    assert Booking.objects.get(email="waiting@example.org").status == BookingStatus.CONFIRMED
    assert len([m for m in mail.outbox if m.to == ["waiting@example.org"]]) == 1


def test_visitor_erases_their_data_through_the_link(client):
    slot = factories.slot(capacity=1)
    booking = services.book_slot(
        slot.pk, name="a", email="a@e.org", organisation="o", profession="p"
    ).booking
    response = client.post(
        url("manage_booking", token=services.booking_token(booking)), {"action": "erase"}
    )
    assert 'data-testid="erased"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.email == "" and booking.status == BookingStatus.CANCELLED


def test_host_sees_attendees_and_exports_csv(client):
    slot = factories.slot(capacity=2)
    services.book_slot(slot.pk, name="Ana", email="ana@e.org", organisation="CPAS", profession="AS")
    token = services.registration_token(slot.registration, services.TOKEN_HOST)
    page = client.get(url("host", token=token))
    assert page.status_code == 200 and "Ana" in page.content.decode()
    csv_response = client.get(url("host_csv", token=token))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Ana" in csv_response.content.decode("utf-8-sig")


def test_appreciation_form_records_one_answer(client):
    slot = factories.slot(capacity=2)
    booking = services.book_slot(
        slot.pk, name="a", email="a@e.org", organisation="o", profession="p"
    ).booking
    path = url("appreciation", token=services.booking_token(booking))
    assert client.post(path, {"rating": "9"}).status_code == 400
    for _ in range(2):
        assert (
            client.post(path, {"rating": "4", "useful": "1", "come_again": "0"}).status_code == 200
        )
    assert slot.registration.week.appreciations.count() == 1


def test_invalid_fields_point_screen_readers_at_their_error(client):
    slot = factories.slot(capacity=2)
    path = url("book", slug=slot.registration.week.slug, slot_id=slot.pk)
    body = client.post(path, booking_post(email="nope")).content.decode()
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_email-error"' in body
    assert 'id="id_email-error"' in body


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_week_list_and_link_pages_have_bounded_queries(
    client, django_assert_max_num_queries, language
):
    weeks = [factories.week() for _ in range(4)]
    slots = [factories.slot(the_week=weeks[0], capacity=3, day_offset=n) for n in range(3)]
    bookings = [
        services.book_slot(
            s.pk, name=f"n{i}", email=f"e{i}@e.org", organisation="o", profession="p"
        ).booking
        for i, s in enumerate(slots)
    ]
    with django_assert_max_num_queries(4):
        response = client.get(url("week_list", language))
    assert response.status_code == 200
    assert all(w.tr("name", language) in response.content.decode() for w in weeks)
    with django_assert_max_num_queries(5):
        assert (
            client.get(
                url("manage_booking", language, token=services.booking_token(bookings[0]))
            ).status_code
            == 200
        )
    host_token = services.registration_token(slots[0].registration, services.TOKEN_HOST)
    with django_assert_max_num_queries(6):
        assert client.get(url("host", language, token=host_token)).status_code == 200


@pytest.mark.parametrize(
    ("language", "label"), [("fr", "Position sur la liste"), ("nl", "Plaats op de wachtlijst")]
)
def test_waiting_people_see_their_position_through_their_e_mail_link(client, language, label):
    slot = factories.slot(capacity=1)
    path = url("book", language, slug=slot.registration.week.slug, slot_id=slot.pk)
    client.post(path, booking_post())
    client.post(path, booking_post(email="w1@example.org", submission_token="b-2"))
    client.post(path, booking_post(email="w2@example.org", submission_token="b-3"))
    booking = Booking.objects.get(email="w2@example.org")
    response = client.get(url("manage_booking", language, token=services.booking_token(booking)))
    body = response.content.decode()
    assert label in body and ": 2" in body


def test_an_edited_registration_goes_back_to_the_team(client, django_user_model):
    from django.contrib.auth.models import Group

    team = Group.objects.create(name="Équipe test")
    django_user_model.objects.create_user("t", "team@example.org", "pw").groups.add(team)
    week = registration_week()
    week.team = team
    week.save()
    client.post(url("register", slug=week.slug), registration_post(week))
    registration = Registration.objects.get()
    services.approve_registration(registration)
    mail.outbox.clear()
    token = services.registration_token(registration, services.TOKEN_EDIT)
    client.post(url("edit", token=token), registration_post(week, submission_token="t3"))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    (message,) = mail.outbox
    assert message.to == ["team@example.org"] and "modifiée" in message.subject
