"""Accounts of the exchange space: separate from staff, confirmed by e-mail, validated
by the bassin's team (or at once for a trusted domain), bound by the charter."""

import re

from django.contrib.auth import get_user_model
from django.core import mail

from exchanges import services
from exchanges.models import ExchangeSettings, Member, MemberStatus, Message

from .conftest import PASSWORD, login


def signup(client, email="eva@cpas.example", **overrides):
    data = {
        "email": email,
        "password": PASSWORD,
        "display_name": "Eva Peeters",
        "organisation": "CPAS",
        "role": "assistante sociale",
        "bassins": [overrides.pop("bassin").pk],
        "language": "nl",
        **overrides,
    }
    return client.post("/fr/echanges/inscription/", data)


def confirmation_path(message) -> str:
    return re.search(r"(/(?:fr|nl)/echanges/confirmer/[^/\s]+/)", message.body).group(1)


def test_signup_creates_a_non_staff_account_and_sends_a_confirmation_link(client, bassins):
    response = signup(client, bassin=bassins["sud"])
    assert response.status_code == 200
    member = Member.objects.get()
    assert member.status == MemberStatus.UNCONFIRMED
    assert not member.user.is_staff and not member.user.is_superuser
    assert member.handle == "eva-peeters"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["eva@cpas.example"]
    # in the member's language
    assert "Bevestig" in mail.outbox[0].subject or "adres" in mail.outbox[0].body


def test_confirmation_link_shows_a_button_on_get_and_confirms_only_on_post(client, bassins):
    signup(client, bassin=bassins["sud"])
    path = confirmation_path(mail.outbox[0])
    assert client.get(path).status_code == 200
    assert Member.objects.get().status == MemberStatus.UNCONFIRMED
    client.post(path)
    member = Member.objects.get()
    assert member.status == MemberStatus.PENDING
    # the bassin's team is told someone waits
    assert any("helpdesk-sud@example.org" in m.to for m in mail.outbox)


def test_a_forged_confirmation_link_gets_a_clear_4xx(client, bassins):
    assert client.get("/fr/echanges/confirmer/forged/").status_code == 400


def test_trusted_domain_members_are_validated_when_they_confirm(client, bassins):
    settings_ = ExchangeSettings.load()
    settings_.trusted_email_domains = "cpas.example\n"
    settings_.save()
    signup(client, bassin=bassins["sud"])
    client.post(confirmation_path(mail.outbox[0]))
    assert Member.objects.get().status == MemberStatus.ACTIVE


def test_signup_refuses_a_weak_password_and_a_taken_address(client, bassins):
    response = signup(client, bassin=bassins["sud"], password="123")
    assert response.status_code == 400
    signup(client, bassin=bassins["sud"])
    response = signup(client, bassin=bassins["sud"])
    assert response.status_code == 400
    assert Member.objects.count() == 1


def test_the_bassin_team_validates_its_pending_members_only(people, client):
    pending = people["pending"]
    moderator = people["moderator"]
    login(client, moderator)
    response = client.post(
        "/admin/echanges/moderation/agir/", {"on": "member", "id": pending.pk, "action": "validate"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == MemberStatus.ACTIVE and pending.validated_by == moderator


def test_a_member_must_accept_the_charter_before_posting(people, channels, client):
    member = people["member_a"]
    settings_ = ExchangeSettings.load()
    settings_.charter_version = 2
    settings_.save()
    login(client, member)
    client.post("/fr/echanges/canal/sud-sante-mentale/", {"body": "Bonjour à toutes et tous"})
    assert not Message.objects.exists()
    client.post("/fr/echanges/charte/")
    client.post("/fr/echanges/canal/sud-sante-mentale/", {"body": "Bonjour à toutes et tous"})
    assert Message.objects.count() == 1


def test_password_reset_uses_django_views_and_mails_a_link(people, client):
    response = client.post("/fr/echanges/mot-de-passe/", {"email": people["member_a"].email})
    assert response.status_code == 302
    assert "/fr/echanges/mot-de-passe/" in mail.outbox[-1].body


def test_members_log_in_with_their_email(people, client):
    response = client.post(
        "/fr/echanges/connexion/", {"username": people["member_a"].email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/fr/echanges/"


def test_deleting_an_account_keeps_messages_anonymised(people, channels, client):
    member = people["member_a"]
    message = services.post_message(member, channels["sud"], "Un conseil général")
    user_pk = member.user.pk
    login(client, member)
    client.post("/fr/echanges/supprimer-mon-compte/", {"confirm": "on"})
    assert not get_user_model().objects.filter(pk=user_pk).exists()
    message.refresh_from_db()
    assert message.author is None and message.body == "Un conseil général"
    page = client.get("/fr/echanges/")
    assert page.status_code == 200
