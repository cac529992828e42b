"""Proposals: public form -> e-mail confirmation -> moderation queue -> approve/reject.

The steps every public proposal shares (signed link, confirmation button, the team told
once, double submit, honeypot, rate limit) are tested for both flows in
tests/platform/test_proposals.py."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Event, EventKind, EventStatus

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


def submit_and_confirm(client):
    response = client.post("/fr/agenda/proposer/", proposal_data())
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
    assert Event.objects.filter(status=EventStatus.UNCONFIRMED).count() == 0
    assert len(mail.outbox) == 0
