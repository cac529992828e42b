"""The journeys of the two other kinds of users, in French and Dutch on a 320 px phone,
with reflow and axe-core (WCAG 2.1 A/AA, 0 violations) at each public step:

- an organisation taking part: proposes an event (a Dutch-only proposal in Dutch) and
  registers slots for an open-door week, then confirms through the e-mailed link;
- a bassin team member (CPPS), whose admin speaks French or Dutch, preparing this month's
  Info Prévention Santé of a new install: finds the draft on the admin dashboard, the
  editor links the other language's draft, writes the introduction and the local
  initiatives (the draft holds none and cannot be submitted without them) and submits it
  for moderation; once approved, the issue reads online at 320 px.

The Wagtail admin pages are Wagtail's own: they are driven here, not checked with axe; the
coordination's approval is a call (its UI is Wagtail's workflow)."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from bassins.models import Bassin
from events.models import Event, EventStatus
from events.opendoors.models import Registration, RegistrationStatus
from newsletters.models import NewsletterIssue
from tests.opendoors import factories

from .test_browser_reflow import page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}


def path_of_mailed_link(to: str, fragment: str) -> str:
    for message in reversed(mail.outbox):
        if message.to != [to]:
            continue
        for url in re.findall(r"https?://\S+/", message.body):
            if fragment in url:
                return urlsplit(url).path
    raise AssertionError(f"no link with {fragment!r} mailed to {to}")


def proposal_problems(page, language: str) -> list[str]:
    """Propose an event: in Dutch with a Dutch title and description only; people
    register on Maillage, 15 places."""
    with translation.override(language):
        page.goto(reverse("events:propose"))
    problems = page_problems(page, f"{language} proposal form")
    day = timezone.localdate() + datetime.timedelta(days=12)
    title = {"fr": "Atelier premiers secours", "nl": "Vorming eerste hulp"}[language]
    page.fill(f"#id_title_{language}", title)
    page.fill(f"#id_description_{language}", "Pour les travailleurs sociaux / Voor hulpverleners.")
    page.select_option("#id_kind", index=1)
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "09:30")
    page.fill("#id_end_time", "12:00")
    page.fill("#id_postal_code", "1030")
    page.fill("#id_organiser", "VZW Voorbeeld")
    page.fill("#id_proposer_name", "An Peeters")
    page.fill("#id_proposer_email", f"an-{language}@example.org")
    page.locator('input[name="language_list"]').first.check()
    page.check('input[name="registration"][value="internal"]')
    page.fill("#id_capacity", "15")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    with translation.override(language):
        assert urlsplit(page.url).path == reverse("events:propose_thanks"), page.url
    problems += page_problems(page, f"{language} proposal sent")
    event = Event.objects.get(**{f"title_{language}": title})
    assert event.status != EventStatus.PUBLISHED  # waits for the bassin team
    assert (event.registration, event.capacity) == ("internal", 15)
    return problems


def registration_problems(page, language: str, week) -> list[str]:
    """Register two slots for an open-door week and confirm through the e-mail."""
    email = f"camille-{language}@example.org"
    with translation.override(language):
        page.goto(reverse("opendoors:register", args=[week.slug]))
    problems = page_problems(page, f"{language} registration form")
    page.fill("#id_organisation_name", f"Maison des Solidarités {language}")
    page.fill("#id_contact_name", "Camille Hôte")
    page.fill("#id_contact_email", email)
    page.fill("#id_street", "Rue Léon Théodor 108")
    page.fill("#id_postal_code", "1090")
    page.fill("#id_city", "Jette")
    page.fill("#id_discover", "Notre permanence sociale / Onze sociale permanentie.")
    page.check("#id_languages_0")
    page.fill("#id_slots-0-date", week.start_date.isoformat())
    page.fill("#id_slots-0-start_time", "09:00")
    page.fill("#id_slots-0-end_time", "12:00")
    page.fill("#id_slots-0-capacity", "8")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state()
    problems += page_problems(page, f"{language} registration received")
    with translation.override(language):
        confirm_prefix = reverse("opendoors:confirm", args=["x"]).rsplit("/x/", 1)[0]
    page.goto(path_of_mailed_link(email, confirm_prefix))
    problems += page_problems(page, f"{language} confirm registration")
    page.click("[data-testid=confirm]")
    page.wait_for_load_state()
    problems += page_problems(page, f"{language} registration confirmed")
    registration = Registration.objects.get(contact_email=email)
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.language == language
    return problems


def test_an_organisation_proposes_an_event_and_registers_for_open_doors(browser_page, site):
    page = browser_page
    page.set_viewport_size(PHONE)
    today = timezone.localdate()
    week = factories.week(
        bassin=Bassin.objects.get(slug="nord"),
        registration_opens=today - datetime.timedelta(days=5),
        registration_closes=today + datetime.timedelta(days=5),
        booking_opens=today + datetime.timedelta(days=6),
    )
    problems = []
    for language in ("fr", "nl"):
        problems += proposal_problems(page, language)
        problems += registration_problems(page, language, week)
    assert problems == []


def editor_problems(page, language: str, live_server) -> list[str]:
    """A member of Équipe bassin Nord-Est, whose admin speaks ``language``, prepares this
    month's issue of the other language too, through the editor's language switch."""
    user = get_user_model().objects.create_user(
        f"cpps-{language}", f"cpps-{language}@example.org", "secret-pass-1"
    )
    user.groups.add(Group.objects.get(name="Équipe bassin Nord-Est"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    month = timezone.localdate().replace(day=1)
    issues = NewsletterIssue.objects.filter(bassin__slug="nord-est", month=month)
    mine = issues.get(locale__language_code=language)
    other = issues.exclude(pk=mine.pk).get()

    context = page.context
    context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("html").get_attribute("lang") == language

    # This month's drafts are on the dashboard; one click opens the editor.
    page.click(f'[data-testid=month-issues] a[href$="/pages/{mine.pk}/edit/"]')
    page.wait_for_url(re.compile(rf"/pages/{mine.pk}/edit/"))
    # The editor links the other language's draft of the same month and bassin.
    assert mine.translation_key == other.translation_key
    assert mine.permissions_for_user(user).can_edit(), "cannot edit own-language draft"
    assert other.permissions_for_user(user).can_edit(), (
        f"cannot edit the other draft at {other.url_path}"
    )
    # (Wagtail's dropdown script detaches the links until opened: read the served HTML.)
    served = page.request.get(f"/admin/pages/{mine.pk}/edit/").text()
    assert f'<a href="/admin/pages/{other.pk}/edit/" lang="{other.language}">' in served
    assert page.goto(f"/admin/pages/{other.pk}/edit/").status == 200
    page.goto(f"/admin/pages/{mine.pk}/edit/")

    page.fill("#id_intro", f"Intro {language}: trois ateliers à Schaerbeek.")
    submit = "document.querySelector('button[name=action-submit]').click()"
    with page.expect_navigation():
        page.evaluate(submit)
    # The local initiatives are the team's to write: the draft holds none, and cannot be
    # submitted empty (no placeholder text is ever published).
    missing = page.locator(".w-field--error [contenteditable=true]")
    assert missing.count() == 1, page.locator(".error-message").all_inner_texts()
    missing.click()
    page.keyboard.type("Permanence santé au Foyer schaerbeekois, le mardi.")
    page.wait_for_timeout(1000)  # Draftail writes its hidden input after a short delay
    with page.expect_navigation():
        page.evaluate(submit)
    mine.refresh_from_db()
    task_state = mine.current_workflow_task_state
    assert task_state is not None, page.locator(".messages, .error-message").all_inner_texts()
    assert not mine.live

    # The coordination approves (its own journey, tested in tests/newsletters).
    coordinator = get_user_model().objects.filter(is_superuser=True).first() or (
        get_user_model().objects.create_superuser(
            f"coord-{language}", f"coord-{language}@example.org", "pw"
        )
    )
    task_state.approve(user=coordinator)
    mine.refresh_from_db()
    assert mine.live

    # The issue reads online on a phone, in its language.
    page.set_viewport_size(PHONE)
    public = urlsplit(mine.full_url).path
    assert public.startswith(f"/{language}/")
    page.goto(public)
    assert page.locator("html").get_attribute("lang") == language
    assert f"Intro {language}" in page.content()
    return page_problems(page, f"{language} published issue")


def test_a_bassin_team_member_prepares_this_months_issue(browser_page, site, live_server):
    problems = []
    for language in ("fr", "nl"):
        problems += editor_problems(browser_page, language, live_server)
    assert problems == []
