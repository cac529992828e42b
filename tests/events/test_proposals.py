"""Proposals: public form -> e-mail confirmation -> moderation queue -> approve/reject.

The steps every public proposal shares (signed link, confirmation button, the team told
once, double submit, honeypot, rate limit) are tested for both flows in
tests/platform/test_proposals.py."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from events.forms import MAX_PROPOSED_CAPACITY
from events.models import Event, EventKind, EventStatus, RegistrationMode, RegistrationScope
from events.opendoors.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def proposal_data(**changes):
    day = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "title_fr": "Formation premiers secours",
        "title_nl": "Opleiding EHBO",
        "kind": EventKind.objects.get(slug="formation").pk,
        "date": day.isoformat(),
        "start_time": "09:30",
        "end_time": "12:00",
        "description_fr": "Pour les travailleurs sociaux.",
        "venue_name": "Maison médicale du Nord",
        "venue_address": "Rue Marie-Christine 100",
        "postal_code": "1020",
        "audience": "professionals",
        "language_list": ["fr", "nl"],
        "organiser": "ASBL Exemple",
        "proposer_name": "Awa Diallo",
        "proposer_email": "awa@example.org",
        "website_url": "",
    }
    data.update(changes)
    return data


def submit_and_confirm(client, **changes):
    response = client.post("/fr/agenda/proposer/", proposal_data(**changes))
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = Event.objects.get(title_fr="Formation premiers secours")
    assert event.status == EventStatus.UNCONFIRMED
    assert [b.slug for b in event.bassins.all()] == ["nord"]  # suggested from 1020
    link = re.search(r"https?://\S+/proposer/confirmer/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 200
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING
    return event, "/" + path


def test_form_renders_in_both_languages(client, agenda_reference):
    assert "Proposer un événement" in client.get("/fr/agenda/proposer/").content.decode()
    assert client.get("/nl/agenda/voorstellen/").status_code == 200


def test_proposal_confirm_and_approve(client, teams):
    event, link = submit_and_confirm(client)
    assert event.language_list == ["fr", "nl"]
    # Not public yet.
    assert client.get(f"/fr/agenda/evenement/{event.pk}/").status_code == 404
    # Confirming twice changes nothing.
    assert client.post(link).status_code == 200
    # The Sud team does not see it; the Nord team does.
    client.force_login(teams["sud"])
    assert (
        "Formation premiers secours" not in client.get("/admin/events/moderation/").content.decode()
    )
    assert client.post(f"/admin/events/moderation/{event.pk}/approve/").status_code in (302, 403)
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING
    client.force_login(teams["nord"])
    assert "Formation premiers secours" in client.get("/admin/events/moderation/").content.decode()
    outbox = len(mail.outbox)
    client.post(f"/admin/events/moderation/{event.pk}/approve/")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.published_at
    assert event.occurrences.count() == 1
    assert len(mail.outbox) == outbox + 1
    assert "publié" in mail.outbox[-1].subject
    client.logout()
    assert client.get(f"/fr/agenda/evenement/{event.pk}/").status_code == 200


def test_proposal_reject_needs_reason_and_mails_it(client, teams):
    event, _link = submit_and_confirm(client)
    client.force_login(teams["nord"])
    client.post(f"/admin/events/moderation/{event.pk}/reject/", {"reason": ""})
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING
    client.post(
        f"/admin/events/moderation/{event.pk}/reject/", {"reason": "Hors du champ social-santé."}
    )
    event.refresh_from_db()
    assert event.status == EventStatus.REJECTED
    assert "Hors du champ social-santé." in mail.outbox[-1].body


def test_bad_input_is_a_400_and_saves_nothing(client, agenda_reference):
    bad = proposal_data(date="2020-13-45", title_fr="x" * 500, postal_code="abcd")
    response = client.post("/fr/agenda/proposer/", bad)
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    response = client.post("/fr/agenda/proposer/", proposal_data(end_time="08:00"))
    assert response.status_code == 400
    # The calendar's last day once made the event's end (the next midnight) a 500.
    for edge in (
        {"date": "9999-12-31", "all_day": "on"},
        {"date": "9999-12-30", "end_date": "9999-12-31", "all_day": "on"},
        {"date": "9999-12-31"},
    ):
        response = client.post("/fr/agenda/proposer/", proposal_data(**edge))
        assert response.status_code == 400, edge
        assert "Date hors limites" in response.content.decode(), edge
    assert Event.objects.filter(status=EventStatus.UNCONFIRMED).count() == 0
    assert len(mail.outbox) == 0


def booking_data(**changes):
    return {
        "submission_token": "p-1",
        "name": "Dominique Lambert",
        "email": "dominique@example.org",
        "organisation": "CPAS de Jette",
        "profession": "Assistante sociale",
        "consent": "on",
        **changes,
    }


def test_a_proposal_with_registration_on_maillage_takes_registrations_once_approved(client, teams):
    event, _link = submit_and_confirm(client, registration="internal", capacity="2")
    assert (event.registration, event.capacity) == (RegistrationMode.INTERNAL, 2)
    assert event.registration_scope == RegistrationScope.DATE  # a proposal has one date
    team_mail = mail.outbox[-1]
    assert "Inscription sur Maillage demandée : 2 places" in team_mail.body
    client.force_login(teams["nord"])
    queue = client.get("/admin/events/moderation/").content.decode()
    assert "Inscription sur Maillage (2 places" in queue
    # The team's list of events taking registrations shows it once it is approved.
    assert "Formation premiers secours" not in client.get("/admin/inscriptions/").content.decode()
    client.post(f"/admin/events/moderation/{event.pk}/approve/")
    assert "Formation premiers secours" in client.get("/admin/inscriptions/").content.decode()
    client.logout()

    # The approval e-mail gives the proposer the link to the list of registrations.
    approval = mail.outbox[-1]
    assert approval.to == ["awa@example.org"] and "publié" in approval.subject
    attendees_link = re.search(r"https?://\S+/agenda/organisateur/\S+/", approval.body).group(0)
    attendees_path = "/" + attendees_link.split("://", 1)[1].split("/", 1)[1]

    page = client.get(f"/fr/agenda/evenement/{event.pk}/").content.decode()
    register_path = re.search(r'href="([^"]+)" data-testid="register-link"', page).group(1)
    assert client.get(register_path).status_code == 200
    response = client.post(register_path, booking_data())
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert booking.occurrence.event == event and booking.status == BookingStatus.CONFIRMED
    assert "Inscription confirmée" in mail.outbox[-1].subject

    attendees = client.get(attendees_path)
    assert attendees.status_code == 200 and "Dominique Lambert" in attendees.content.decode()


def test_a_proposal_with_an_external_link_points_to_it(client, agenda_reference):
    link = "https://inscriptions.example.org/formation"
    client.post(
        "/fr/agenda/proposer/", proposal_data(registration="external", registration_url=link)
    )
    event = Event.objects.get(proposer_email="awa@example.org")
    assert (event.registration, event.registration_url, event.capacity) == (
        RegistrationMode.EXTERNAL,
        link,
        None,
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"registration": "internal"}, "capacity", "Indiquez le nombre de places"),
        ({"registration": "internal", "capacity": "0"}, "capacity", "au moins une place"),
        ({"registration": "internal", "capacity": "-3"}, "capacity", "au moins une place"),
        (
            {"registration": "internal", "capacity": str(MAX_PROPOSED_CAPACITY + 1)},
            "capacity",
            f"Au plus {MAX_PROPOSED_CAPACITY} places",
        ),
        (
            {"registration": "internal", "capacity": "9" * 40},
            "capacity",
            f"Au plus {MAX_PROPOSED_CAPACITY} places",
        ),
        ({"registration": "internal", "capacity": "1" * 5000}, "capacity", "nombre entier"),
        ({"registration": "internal", "capacity": "12.5"}, "capacity", "nombre entier"),
        ({"registration": "external"}, "registration_url", "Donnez le lien"),
        (
            {"registration": "external", "registration_url": "javascript:alert(1)"},
            "registration_url",
            "URL",
        ),
        ({"registration": "none", "capacity": "10"}, "capacity", "ne sert qu'avec"),
        (
            {"registration": "internal", "capacity": "10", "registration_url": "https://a.be"},
            "registration_url",
            "ne sert qu'avec",
        ),
        ({"registration": "series"}, "registration", "choix valide"),
    ],
)
def test_each_registration_mode_needs_its_own_detail_and_only_that(
    client, agenda_reference, changes, field, message
):
    response = client.post("/fr/agenda/proposer/", proposal_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Event.objects.filter(proposer_email="awa@example.org").exists()


def test_the_registration_choice_reads_in_both_languages_without_a_scope_choice(
    client, agenda_reference
):
    french = client.get("/fr/agenda/proposer/").content.decode()
    assert 'name="registration"' in french and 'name="capacity"' in french
    assert "Inscription sur Maillage" in french and "liste des inscrit·es" in french
    # One date per proposal: nothing to choose between "par date" and "toute la série".
    assert "registration_scope" not in french and "toute la série" not in french
    dutch = client.get("/nl/agenda/voorstellen/").content.decode()
    assert "Inschrijving via Maillage" in dutch and "Aantal plaatsen" in dutch
    assert "Inscription sur Maillage" not in dutch and "Nombre de places" not in dutch
