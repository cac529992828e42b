"""Moderation: reports reach the bassin's moderators, every act is logged with its
reason, an edit keeps the previous text, and moderators act only on their bassin."""

import pytest

from exchanges import queries, services
from exchanges.models import Message, MessageStatus, ModerationAction, ModerationKind

from .conftest import login


@pytest.fixture
def message(people, channels):
    return services.post_message(people["member_a"], channels["sud"], "Un message déplacé")


def test_a_report_reaches_the_moderation_queue_of_the_bassin(people, message, client):
    login(client, people["member_a2"])
    client.post(f"/fr/echanges/message/{message.pk}/signaler/", {"reason": "insultant"})
    moderator = queries.viewer_for(people["moderator"])
    assert [r.reason for r in queries.open_reports(moderator)] == ["insultant"]
    login(client, people["moderator"])
    page = client.get("/admin/echanges/moderation/").content.decode()
    assert "insultant" in page and "Un message déplacé" in page


def test_hiding_a_message_removes_it_for_members_and_is_logged(people, message, client):
    services.report_message(people["member_a2"], message, "hors sujet")
    login(client, people["moderator"])
    report = message.reports.get()
    client.post(
        "/admin/echanges/moderation/agir/",
        {"on": "report", "id": report.pk, "action": "hide", "reason": "hors charte"},
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    action = ModerationAction.objects.get(kind=ModerationKind.HIDE)
    assert action.actor == people["moderator"] and action.reason == "hors charte"
    assert action.message_id_logged == message.pk
    login(client, people["member_a2"])
    page = client.get("/fr/echanges/canal/sud-sante-mentale/").content.decode()
    assert "Un message déplacé" not in page
    assert not queries.open_reports(queries.viewer_for(people["moderator"])).exists()


def test_an_edit_keeps_the_previous_text_in_the_log(people, message):
    moderator = queries.viewer_for(people["moderator"])
    services.moderate_message(moderator, message, "edit", "trop précis", "Un message modéré")
    message.refresh_from_db()
    assert message.body == "Un message modéré" and message.edited_at
    action = ModerationAction.objects.get(kind=ModerationKind.EDIT)
    assert action.previous_body == "Un message déplacé"


def test_a_deleted_message_is_gone_but_its_log_entry_stays(people, message):
    moderator = queries.viewer_for(people["moderator"])
    services.moderate_message(moderator, message, "delete", "propos injurieux")
    assert not Message.objects.filter(pk=message.pk).exists()
    action = ModerationAction.objects.get(kind=ModerationKind.DELETE)
    assert action.previous_body == "Un message déplacé" and action.reason == "propos injurieux"


def test_a_moderation_decision_needs_a_reason(people, message):
    moderator = queries.viewer_for(people["moderator"])
    with pytest.raises(services.ExchangeError):
        services.moderate_message(moderator, message, "hide", "  ")


def test_moderators_of_one_bassin_cannot_moderate_another(people, channels, bassins):
    other = services.post_message(people["member_b"], channels["nord"], "Bonjour du Nord")
    moderator = queries.viewer_for(people["moderator"])
    with pytest.raises(services.NotAllowed):
        services.moderate_message(moderator, other, "hide", "test")
    with pytest.raises(services.NotAllowed):
        services.moderate_member(moderator, people["member_b"], "mute", "test")


def test_bassin_moderators_do_not_moderate_regional_channels(people, channels):
    regional = services.post_message(people["member_a"], channels["regional"], "Bonjour")
    moderator = queries.viewer_for(people["moderator"])
    with pytest.raises(services.NotAllowed):
        services.moderate_message(moderator, regional, "hide", "test")


def test_a_removed_member_loses_access_and_the_act_is_logged(people, client):
    moderator = queries.viewer_for(people["moderator"])
    services.moderate_member(moderator, people["member_a"], "remove", "usurpation")
    login(client, people["member_a"])
    assert client.get("/fr/echanges/canal/sud-sante-mentale/").status_code == 403
    assert ModerationAction.objects.get(kind=ModerationKind.REMOVE).reason == "usurpation"


def test_the_moderation_page_on_the_site_edits_with_trace(people, message, client):
    login(client, people["moderator"])
    response = client.post(
        f"/fr/echanges/message/{message.pk}/moderer/",
        {"action": "edit", "reason": "nom retiré", "body": "Texte corrigé"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body == "Texte corrigé"


def test_an_id_that_is_not_a_number_is_a_404(people, client):
    login(client, people["moderator"])
    for kind in ("message", "report", "member"):
        for bad in ("abc", "1.5", "", "9" * 30):
            response = client.post(
                "/admin/echanges/moderation/agir/",
                {"on": kind, "id": bad, "action": "hide", "reason": "x"},
            )
            assert response.status_code == 404, (kind, bad)


def test_unmute_gives_the_word_back_to_a_muted_member_only(people):
    from exchanges.models import MemberStatus

    moderator = queries.viewer_for(people["moderator"])
    pending = people["pending"]
    with pytest.raises(services.ExchangeError, match="sourdine"):
        services.moderate_member(moderator, pending, "unmute", "erreur")
    pending.refresh_from_db()
    assert pending.status == MemberStatus.PENDING and pending.validated_at is None
    member = people["member_a"]
    services.moderate_member(moderator, member, "remove", "propos injurieux")
    for action in ("unmute", "mute"):
        with pytest.raises(services.ExchangeError):
            services.moderate_member(moderator, member, action, "retour")
    member.refresh_from_db()
    assert member.status == MemberStatus.REMOVED
    other = people["member_a2"]
    services.moderate_member(moderator, other, "mute", "hors sujet")
    services.moderate_member(moderator, other, "unmute", "excuses reçues")
    other.refresh_from_db()
    assert other.status == MemberStatus.ACTIVE
