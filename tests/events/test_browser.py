"""Browser: filter the agenda, copy the subscription link, open an event, download its .ics."""

import datetime
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone

from .factories import local, make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_subscribe_open_and_download(browser_page, agenda_reference):
    day = timezone.localdate() + datetime.timedelta(days=3)
    make_event(
        "Concertation santé mentale",
        kind="concertation",
        bassins=["nord"],
        start=local(day.year, day.month, day.day, 14, 0),
        rule="RRULE:FREQ=WEEKLY;COUNT=3",
        venue_name="Maison de quartier – Jette",
        venue_address="Rue Léopold Ier 329",
        postal_code="1090",
    )
    make_event("Atelier tabac", bassins=["sud"], start=local(day.year, day.month, day.day, 10, 0))
    page = browser_page
    page.goto("/fr/agenda/")
    assert page.get_by_text("Atelier tabac").count() >= 1
    page.check('input[name="kind"][value="concertation"]')  # a checkbox group, no Ctrl-click
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**kind=concertation**")
    assert page.get_by_text("Atelier tabac").count() == 0
    rows = page.locator('[data-testid="event-row"]')
    assert rows.count() == 3
    feed_url = page.locator('[data-testid="feed-url"]').input_value()
    assert "/feeds/agenda.ics?kind=concertation&lang=fr" in feed_url
    assert page.locator('[data-testid="webcal-link"]').get_attribute("href").startswith("webcal://")
    page.get_by_role("button", name="Copier le lien").click()
    page.wait_for_selector("[data-copied=true]")
    rows.first.get_by_role("link").click()
    page.wait_for_url("**/agenda/evenement/**")
    assert page.locator("h1").inner_text() == "Concertation santé mentale"
    assert "openstreetmap.org" in page.locator('[data-testid="osm-link"]').get_attribute("href")
    with page.expect_download() as download_info:
        page.locator('[data-testid="ics-series"]').click()
    path = download_info.value.path()
    cal = icalendar.Calendar.from_ical(Path(path).read_bytes())
    [master] = cal.walk("VEVENT")
    assert str(master["SUMMARY"]) == "Concertation santé mentale"
    assert "RRULE" in master
