"""Moderation queue in the Wagtail admin: scoped per bassin team, e-mail at each step."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from bassins.permissions import ensure_team_groups
from events.opendoors.models import RegistrationStatus

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def weeks(db):
    """A Nord and a Sud week, without the (slow) full reference data."""
    nord = factories.week(bassin=factories.bassin("nord"), name_fr="Babbel No·o·rd")
    sud = factories.week(bassin=factories.bassin("sud"), name_fr="Melting Papot'")
    return {"nord": nord, "sud": sud}


@pytest.fixture
def nord_team_client(client, weeks):
    ensure_team_groups()
    user = get_user_model().objects.create_user("nord", "nord@example.org", "pw")
    user.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    client.force_login(user)
    return client


def submitted(week, **values):
    return factories.registration(week, status=RegistrationStatus.SUBMITTED, **values)


def test_team_sees_only_its_bassins_registrations(nord_team_client, weeks):
    nord, sud = weeks["nord"], weeks["sud"]
    submitted(nord, organisation_name="Chez Nord")
    other = submitted(sud, organisation_name="Chez Sud")
    body = nord_team_client.get("/admin/portes-ouvertes/moderation/").content.decode()
    assert "Chez Nord" in body and "Chez Sud" not in body
    response = nord_team_client.get(f"/admin/portes-ouvertes/moderation/{other.pk}/", follow=True)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("action", "status", "subject"),
    [
        ("approve", RegistrationStatus.APPROVED, "approuvée"),
        ("changes", RegistrationStatus.CHANGES_REQUESTED, "Modifications demandées"),
        ("reject", RegistrationStatus.REJECTED, "pas retenue"),
    ],
)
def test_each_decision_emails_the_organisation(nord_team_client, weeks, action, status, subject):
    week = weeks["nord"]
    registration = submitted(week)
    mail.outbox.clear()
    response = nord_team_client.post(
        f"/admin/portes-ouvertes/moderation/{registration.pk}/",
        {"action": action, "message": "Merci de préciser l'étage."},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == status
    (message,) = mail.outbox
    assert subject in message.subject
    assert message.alternatives[0][1] == "text/html"


def test_reject_without_reason_is_a_form_error(nord_team_client, weeks):
    week = weeks["nord"]
    registration = submitted(week)
    response = nord_team_client.post(
        f"/admin/portes-ouvertes/moderation/{registration.pk}/", {"action": "reject"}
    )
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert not mail.outbox


def test_week_bookings_page_csv_and_appreciation_totals(nord_team_client, weeks):
    from events.opendoors import services

    week = weeks["nord"]
    slot = factories.slot(the_week=week, capacity=3)
    booking = services.book_slot(
        slot.pk, name="Ana", email="ana@e.org", organisation="CPAS", profession="AS"
    ).booking
    services.record_appreciation(
        booking, {"rating": 5, "useful": True, "come_again": True, "comment": "Super"}
    )
    page = nord_team_client.get(f"/admin/portes-ouvertes/semaine/{week.pk}/reservations/")
    body = page.content.decode()
    assert page.status_code == 200 and "Ana" in body and "5.0/5" in body.replace(",", ".")
    csv_response = nord_team_client.get(
        f"/admin/portes-ouvertes/semaine/{week.pk}/reservations/?format=csv"
    )
    assert "ana@e.org" in csv_response.content.decode("utf-8-sig")


def test_week_admin_index_is_scoped(nord_team_client):
    body = nord_team_client.get("/admin/portes-ouvertes/semaines/").content.decode()
    assert "Babbel" in body and "Melting" not in body


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/admin/portes-ouvertes/moderation/")
    assert response.status_code == 302 and "login" in response["Location"]
