"""Browser: search, filter, open an organisation, add two to My list, print view."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_filter_open_add_two_and_print(browser_page, transactional_db):
    call_command("load_reference_data", verbosity=0)
    page = browser_page
    page.goto("/fr/repertoire/")
    page.fill("#id_q", "permanence")
    page.click("text=Rechercher")
    page.check('[data-testid="filter-help-lines"]')
    page.click('[data-testid="apply-filters"]')
    assert "help_lines=on" in page.url
    first = page.locator('[data-testid="service-card"]').first
    with page.expect_navigation():
        first.locator('[data-testid="add-to-list"]').click()
    with page.expect_navigation():
        page.locator('[data-testid="service-card"]').nth(1).locator(
            '[data-testid="add-to-list"]'
        ).click()
    page.locator(".card-title a", has_text="Medimmigrant").first.click()
    page.wait_for_url("**/organisation/medimmigrant/**")
    assert "/fr/repertoire/organisation/medimmigrant/" in page.url
    assert page.locator('a[href="tel:+3280014960"]').count() == 1
    page.goto("/fr/repertoire/ma-liste/")
    expect(page.locator('[data-testid="my-list-entry"]')).to_have_count(2)
    page.click('[data-testid="print-view"]')
    expect(page.locator('[data-testid="print-entry"]')).to_have_count(2)
    page.emulate_media(media="print")
    expect(page.locator("button:has-text('Imprimer')")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_easy_directory_on_a_phone_is_accessible_and_phone_first(browser_page, transactional_db):
    call_command("load_reference_data", verbosity=0)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/fr/repertoire/")
    page.click('[data-testid="easy-link"]')
    page.wait_for_url("**/repertoire/facile/")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    # No horizontal scrolling on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click('[data-pictogram="debts"]')
    card = page.locator('[data-testid="easy-card"]').first
    expect(card.locator("a.easy-call").first).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/nl/sociale-kaart/eenvoudig/")
    expect(page.locator("h1")).to_have_text("Hulp vinden in Brussel")
