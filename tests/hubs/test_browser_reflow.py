"""Phones: at 320 CSS px (WCAG 1.4.10) no page scrolls sideways, in French and Dutch, and
axe-core finds no WCAG 2.1 A/AA violation; the agenda's filters fold away so the first
event shows; the finder leads from a postal code to the bassin's hub."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from events.models import Event, EventStatus
from events.opendoors.models import Slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def site(transactional_db):
    quiet = io.StringIO()
    call_command("load_reference_data", stdout=quiet)
    call_command("load_demo_data", stdout=quiet)


def pages_to_check(language: str) -> list[str]:
    event = Event.objects.filter(status=EventStatus.PUBLISHED).order_by("pk").first()
    slot = Slot.objects.select_related("registration__week").order_by("pk").first()
    bassin = "nord-est"
    paths = [
        f"/{language}/",
        f"/{language}/{bassin}/",
        f"/{language}/agenda/",
        f"/{language}/agenda/mois/",
        f"/{language}/agenda/{bassin}/mois/",
        f"/{language}/agenda/evenement/{event.pk}/",
        f"/{language}/agenda/proposer/",
        f"/{language}/repertoire/",
        f"/{language}/repertoire/quelle-ligne/",
        f"/{language}/portes-ouvertes/",
        f"/{language}/info-prevention/",
        f"/{language}/info-prevention/inscription/",
        f"/{language}/trouver-mon-bassin/?q=1000",
    ]
    if slot is not None:
        week = slot.registration.week.slug
        paths += [
            f"/{language}/portes-ouvertes/{week}/",
            f"/{language}/portes-ouvertes/{week}/reserver/{slot.pk}/",
        ]
    return paths


def reflow_and_axe_problems(page, language: str) -> list[str]:
    problems = []
    for path in pages_to_check(language):
        response = page.goto(path)
        if response.status >= 500:
            problems.append(f"{path}: HTTP {response.status}")
            continue
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
            problems.append(f"{path}: scrollWidth {width[0]} > {width[1]} ({culprits})")
        results = Axe().run(page, options=WCAG_21_AA)
        if results.violations_count:
            problems.append(f"{path}: {results.generate_report()}")
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

    # From the home page, 1030 leads to the Nord-Est hub: agenda, newsletter, services.
    for language in ("fr", "nl"):
        page.goto(f"/{language}/")
        page.locator('[data-testid="bassin-finder"] input[name="q"]').fill("1030")
        page.locator('[data-testid="bassin-finder"] button').click()
        page.wait_for_selector('[data-testid="hub-events"]')
        assert page.locator("html").get_attribute("lang") == language
        webcal = page.locator('[data-testid="webcal-link"]').get_attribute("href")
        assert webcal.startswith("webcal://")
        assert page.locator('[data-testid="hub-newsletter"] input[type=email]').count() == 1
        assert page.locator('[data-testid="hub-directory-link"]').count() == 1

    # Wide screens show the filters open.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/nl/agenda/")
    assert page.locator(".filter-fold").evaluate("details => details.open")
