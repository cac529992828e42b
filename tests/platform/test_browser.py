"""The public site in Debian's Chromium: French home, switch to Dutch, every bassin,
and axe-core's WCAG 2.1 A/AA rules with zero violations."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from bassins.models import Bassin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def site(transactional_db):
    quiet = io.StringIO()
    call_command("load_reference_data", stdout=quiet)
    call_command("load_demo_data", stdout=quiet)


def test_home_in_french(browser_page, site):
    page = browser_page
    page.goto("/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "bassins d'aide et de soins" in page.locator("h1").inner_text()
    assert page.locator(".bassin-nav a").count() == 5
    assert page.get_by_role("link", name="Aller au contenu").count() == 1


def test_switch_to_dutch_lands_on_the_same_page(browser_page, site):
    page = browser_page
    page.goto("/fr/nord/")
    page.locator('[data-testid="switch-nl"]').click()
    page.wait_for_url("**/nl/noord/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Zorgzone Noord"
    assert page.get_by_role("link", name="Naar de inhoud").count() == 1
    page.locator('[data-testid="switch-fr"]').click()
    page.wait_for_url("**/fr/nord/")
    assert page.locator("h1").inner_text() == "Bassin Nord"


def test_navigate_to_each_bassin(browser_page, site):
    page = browser_page
    page.goto("/fr/")
    for bassin in Bassin.objects.all():
        page.locator(".bassin-nav").get_by_role("link", name=bassin.name_fr, exact=True).click()
        page.wait_for_url(f"**/fr/{bassin.slug}/")
        assert page.locator("h1").inner_text() == f"Bassin {bassin.name_fr}"
        assert bassin.helpdesk_phone in page.locator("#helpdesk-title + p + ul").inner_text()
        current = page.locator('.bassin-nav a[aria-current="page"]')
        assert current.inner_text() == bassin.name_fr


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser_page, site):
    page = browser_page
    page.goto("/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "path", ["/fr/", "/fr/nord/", "/nl/", "/nl/centrum-west/", "/fr/a-propos/"]
)
def test_axe_finds_no_wcag_21_aa_violation(browser_page, site, path):
    page = browser_page
    page.goto(path)
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_axe_finds_no_violation_on_the_404_page_or_on_a_narrow_screen(browser_page, site):
    page = browser_page
    page.goto("/nl/bestaat-niet/")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/fr/sud/")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    # WCAG 1.4.10 reflow: nothing scrolls sideways at 320 CSS px
    page.set_viewport_size({"width": 320, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
