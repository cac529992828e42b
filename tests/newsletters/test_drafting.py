"""Monthly drafts: idempotent, themed, filled with the bassin's real agenda."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from bassins.models import Bassin
from bassins.rights import team_groups
from events import services as event_services
from newsletters import sending, tasks
from newsletters.drafting import draft_newsletters
from newsletters.models import Mailing, NewsletterIssue, ThemeMonth
from tests.events.factories import local, make_event

from .conftest import MONTH, drafted_issue, make_subscribers, publish


@pytest.fixture
def rendezvous(reference_data):
    """A weekly Rendez-vous de la Prévention Santé in Nord (Tuesdays from September 2025),
    one October occurrence cancelled; and a Sud event that Nord must not show."""
    event = make_event(
        "Rendez-vous prévention Jette",
        title_nl="Preventie-afspraak Jette",
        kind="rendez-vous-prevention",
        start=local(2025, 9, 2, 14, 0),
        end=local(2025, 9, 2, 16, 0),
        bassins=["nord"],
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20251231T235959Z",
        venue_name="Centre communautaire",
    )
    event_services.cancel_occurrence(event, local(2025, 10, 14, 14, 0))
    make_event(
        "Concertation Sud",
        kind="concertation",
        start=local(2025, 10, 9, 9, 30),
        bassins=["sud"],
    )
    return event


@pytest.mark.django_db
def test_drafting_twice_creates_one_draft_per_bassin_and_language(reference_data, caplog):
    first = draft_newsletters(MONTH, log=lambda m: None)
    second = draft_newsletters(MONTH, log=lambda m: None)
    assert len(first.created) == 10 and second.created == []
    assert second.existing == 10
    issues = NewsletterIssue.objects.filter(month=MONTH)
    assert issues.count() == 10
    assert {(i.bassin.slug, i.locale.language_code) for i in issues} == {
        (b, lang)
        for b in ("nord", "nord-est", "centre-ouest", "sud", "sud-est")
        for lang in ("fr", "nl")
    }
    assert all(not i.live and i.theme.slug == "cancer-sein" for i in issues)
    fr = issues.get(bassin__slug="nord", locale__language_code="fr")
    nl = issues.get(bassin__slug="nord", locale__language_code="nl")
    assert "Cancer du sein" in fr.title and "Borstkanker" in nl.title
    assert fr.occasion == "Octobre rose" and nl.occasion == "Roze oktober"
    assert fr.translation_key == nl.translation_key
    assert [b.block_type for b in fr.body][-1] == "agenda"


@pytest.mark.django_db
def test_the_command_takes_a_month_and_refuses_a_malformed_one(reference_data, capsys):
    call_command("draft_newsletters", "--month", "2025-03")
    assert NewsletterIssue.objects.filter(month=datetime.date(2025, 3, 1)).count() == 10
    assert all(
        i.theme.slug == "cancer-colorectal"
        for i in NewsletterIssue.objects.filter(month=datetime.date(2025, 3, 1))
    )
    for bad in ("2025-13", "march", "2025/03", "2025-1-1"):
        with pytest.raises(CommandError, match="YYYY-MM"):
            call_command("draft_newsletters", "--month", bad)


@pytest.mark.django_db
def test_a_month_missing_from_the_calendar_is_drafted_without_theme_and_with_a_note(
    reference_data, caplog
):
    assert not ThemeMonth.objects.filter(year=2026, month=2).exists()
    with caplog.at_level(logging.WARNING, logger="newsletters.drafting"):
        report = draft_newsletters(datetime.date(2026, 2, 1), log=lambda m: None)
    assert report.missing_theme and len(report.created) == 10
    assert "No theme in the Info Prévention Santé calendar for 2026-02" in caplog.text
    issue = report.created[0]
    assert issue.theme is None
    assert "calendrier" in issue.editor_note


@pytest.mark.django_db
def test_drafts_carry_the_bassins_real_occurrences_recurring_included_cancelled_excluded(
    rendezvous,
):
    issue = drafted_issue("nord", "fr")
    starts = [item["start"] for item in issue.agenda_items()]
    titles = {item["title"] for item in issue.agenda_items()}
    rdv = [s for s, i in zip(starts, issue.agenda_items(), strict=True) if "Jette" in i["title"]]
    assert rdv == [local(2025, 10, d, 14, 0) for d in (7, 21, 28)]  # 14th cancelled
    assert "Concertation Sud" not in titles

    nl = drafted_issue("nord", "nl")
    assert "Preventie-afspraak Jette" in {i["title"] for i in nl.agenda_items()}

    # The published page shows them; the e-mail carries the same agenda, frozen.
    published = publish(issue, send=False)
    from django.test import Client

    html = Client().get(published.url).content.decode()
    assert html.count("Rendez-vous prévention Jette") == 3
    assert "14 octobre" not in html
    make_subscribers(1)
    tasks.send_issue(published.pk)
    [message] = mail.outbox
    assert message.body.count("Rendez-vous prévention Jette") == 3
    assert "Cancer du sein" in message.subject
    frozen = Mailing.objects.get(issue=published).payload["agenda"]
    assert len([i for i in frozen if "Jette" in i["title"]]) == 3


@pytest.mark.django_db
def test_the_live_agenda_follows_changes_until_sending_then_freezes(rendezvous):
    issue = publish(drafted_issue("nord", "fr"), send=False)
    event_services.cancel_occurrence(rendezvous, local(2025, 10, 21, 14, 0))
    assert len([i for i in issue.agenda_items() if "Jette" in i["title"]]) == 2
    sending.start_issue_mailing(issue.pk)
    event_services.cancel_occurrence(rendezvous, local(2025, 10, 28, 14, 0))
    assert len([i for i in issue.agenda_items() if "Jette" in i["title"]]) == 2


@pytest.mark.django_db
def test_editors_are_told_by_email_and_on_the_dashboard(
    reference_data, django_capture_on_commit_callbacks, client
):
    User = get_user_model()
    cpps = User.objects.create_user("cpps-nord", "cpps@bassin-nord.example", "pw")
    cpps.groups.add(team_groups(Bassin.objects.get(slug="nord")).get())
    with django_capture_on_commit_callbacks(execute=True):
        draft_newsletters(MONTH, log=lambda m: None)
    [message] = [m for m in mail.outbox if m.to == ["cpps@bassin-nord.example"]]
    assert "Nord" in message.subject and "/admin/pages/" in message.body
    client.force_login(cpps)
    dashboard = client.get("/admin/").content.decode()
    # The drafted month is not this month: its drafts are listed under "other drafts",
    # below the panel's overview of this month's issues.
    assert "Autres brouillons à préparer" in dashboard
    drafts = NewsletterIssue.objects.filter(month=MONTH)
    for issue in drafts.filter(bassin__slug="nord"):
        assert f"/admin/pages/{issue.pk}/edit/" in dashboard
    for issue in drafts.exclude(bassin__slug="nord"):  # only the pages this team may edit
        assert f"/admin/pages/{issue.pk}/edit/" not in dashboard
        assert issue.title not in dashboard


@pytest.mark.django_db
def test_weekly_digest_goes_only_to_those_whose_bassins_have_something(rendezvous):
    from bassins.models import Bassin

    nord_fans = make_subscribers(2, "nord", "fr", prefix="digest-nord")
    sud_fans = make_subscribers(1, "sud", "nl", prefix="digest-sud")
    for s in nord_fans:
        s.digest_bassins.set([Bassin.objects.get(slug="nord")])
    for s in sud_fans:
        s.digest_bassins.set([Bassin.objects.get(slug="sud-est")])
    tasks.send_weekly_digest("2025-10-06")  # week with the 7 October Rendez-vous
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in nord_fans)
    message = mail.outbox[0]
    assert "Rendez-vous prévention Jette" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Twice: nothing more.
    tasks.send_weekly_digest("2025-10-06")
    assert len(mail.outbox) == 2
    # A week with nothing in Nord (after the series ends): nothing is sent.
    mail.outbox.clear()
    tasks.send_weekly_digest("2026-03-02")
    assert mail.outbox == []
