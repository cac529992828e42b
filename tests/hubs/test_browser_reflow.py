"""Phones: at 320 CSS px (WCAG 1.4.10) no page scrolls sideways, in French and Dutch, and
axe-core finds no WCAG 2.1 A/AA violation, every page at its URL in its language; the
agenda's filters fold away so the first event shows; the journey home → 1030 → Nord-Est
hub → agenda feed and newsletter subscription → the bassin's services works in both
languages, each step reflowing and passing axe."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation

from bassins.pages import bassin_page_path
from events.models import Event, EventStatus
from events.opendoors.models import Slot
from newsletters.models import Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pages_to_check(language: str) -> list[str]:
    """The pages of every journey, at their URL in ``language`` (Dutch words in Dutch)."""
    event = Event.objects.filter(status=EventStatus.PUBLISHED).order_by("pk").first()
    slot = Slot.objects.select_related("registration__week").order_by("pk").first()
    bassin = "nord-est"
    with translation.override(language):
        paths = [
            f"/{language}/",
            bassin_page_path(bassin, language),
            reverse("events:agenda"),
            reverse("events:month"),
            reverse("events:bassin_month", args=[bassin]),
            reverse("events:event", args=[event.pk]),
            reverse("events:propose"),
            reverse("directory:search"),
            reverse("directory:decision_tree"),
            reverse("opendoors:week_list"),
            reverse("newsletters:archive"),
            reverse("newsletters:subscribe"),
            reverse("find_bassin") + "?q=1000",
        ]
        if slot is not None:
            week = slot.registration.week.slug
            paths += [
                reverse("opendoors:programme", args=[week]),
                reverse("opendoors:book", args=[week, slot.pk]),
            ]
    return paths


def page_problems(page, label: str) -> list[str]:
    """Sideways scrolling at the current width and axe-core's WCAG 2.1 A/AA violations
    on the page the browser shows."""
    problems = []
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if width[0] > width[1]:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right
                         > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
        )
        problems.append(f"{label}: scrollWidth {width[0]} > {width[1]} ({culprits})")
    results = Axe().run(page, options=WCAG_21_AA)
    if results.violations_count:
        problems.append(f"{label}: {results.generate_report()}")
    return problems


def reflow_and_axe_problems(page, language: str) -> list[str]:
    problems = []
    for path in pages_to_check(language):
        response = page.goto(path)
        if response.status >= 500:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        if response.request.redirected_from is not None:
            problems.append(f"{path}: redirected to {page.url} (not the URL in {language})")
        problems += page_problems(page, path)
    return problems


def journey_problems(page, language: str) -> list[str]:
    """Home → type 1030 → Nord-Est hub → subscribe to the agenda and the newsletter →
    the bassin's services, in ``language``; each step reflows and passes axe."""
    problems = []
    hub_path = {"fr": "/fr/nord-est/", "nl": "/nl/noordoost/"}[language]
    page.goto(f"/{language}/")
    problems += page_problems(page, f"{language} home")
    page.locator('[data-testid="bassin-finder"] input[name="q"]').fill("1030")
    page.locator('[data-testid="bassin-finder"] button').click()
    page.wait_for_selector('[data-testid="hub-events"]')
    assert page.url.endswith(hub_path)
    assert page.locator("html").get_attribute("lang") == language
    problems += page_problems(page, f"{language} hub")

    # The agenda: the webcal link and the feed it points to (the bassin's, in the
    # page's language).
    webcal = page.locator('[data-testid="webcal-link"]').first.get_attribute("href")
    assert webcal.startswith("webcal://")
    feed = urlsplit(page.locator('[data-testid="feed-url"]').first.input_value())
    assert f"lang={language}" in feed.query
    answer = page.request.get(f"{feed.path}?{feed.query}")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in answer.body()

    # The newsletter, with the bassin's weekly agenda, from the hub's form.
    email = f"journey-{language}@example.org"
    section = page.locator('[data-testid="hub-newsletter"]')
    section.locator("input[type=email]").fill(email)
    section.locator('input[name="digest_bassins"]').check()
    section.locator("button[type=submit]").click()
    page.wait_for_load_state()
    with translation.override(language):
        assert urlsplit(page.url).path == reverse("newsletters:subscribe_done")
    problems += page_problems(page, f"{language} subscribed")
    subscriber = Subscriber.objects.get(email=email)
    assert subscriber.language == language
    assert [b.slug for b in subscriber.bassins.all()] == ["nord-est"]
    assert [b.slug for b in subscriber.digest_bassins.all()] == ["nord-est"]

    # The bassin's services.
    page.goto(hub_path)
    page.locator('[data-testid="hub-directory-link"]').click()
    page.wait_for_selector('[data-testid="result-count"]')
    with translation.override(language):
        assert urlsplit(page.url).path == reverse("directory:search")
    assert "bassin=nord-est" in page.url
    assert page.locator('[data-testid="result-count"]').inner_text()[0] != "0"
    problems += page_problems(page, f"{language} services")
    return problems


def test_phones_in_french_and_dutch(browser_page, site):
    """One site load for every check (loading the demo site is the slow part)."""
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})

    # Every page reflows at 320 px with no axe violation, in both languages.
    problems = reflow_and_axe_problems(page, "fr") + reflow_and_axe_problems(page, "nl")
    assert problems == []

    # The agenda's filters fold away on a phone: the first event is on the first screens.
    page.goto("/nl/agenda/")
    assert not page.locator(".filter-fold").evaluate("details => details.open")
    first = page.locator('[data-testid="event-row"]').first
    assert first.bounding_box()["y"] < 640 * 2
    page.locator(".filter-fold > summary").click()
    assert page.locator('input[name="kind"]').first.is_visible()

    # The journey of the issue, in both languages, at 320 px.
    assert journey_problems(page, "fr") + journey_problems(page, "nl") == []

    # Wide screens show the filters open.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/nl/agenda/")
    assert page.locator(".filter-fold").evaluate("details => details.open")
