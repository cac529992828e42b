"""End to end in Chromium on a phone-sized screen: a professional registers for a whole
training cycle from the event page, the page fits the screen, the cancel link frees the
place for the waiting person."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from events.opendoors.models import Booking, BookingStatus

from .agenda import register_series, series_event

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_register_for_a_series_on_a_phone_and_cancel(
    chromium, live_server, transactional_db, reference_data
):
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    event = series_event(capacity=1, dates=4, title="Cycle de formation à l'écoute active")

    page.goto(event.get_absolute_url("fr"))
    page.click("[data-testid=register-series-link]")
    page.wait_for_selector("[data-testid=series-dates]")
    assert page.locator("[data-testid=series-dates] li").count() == 4
    assert fits_the_screen(page)
    page.fill("#id_name", "Dominique Formation")
    page.fill("#id_email", "dominique@example.org")
    page.fill("#id_organisation", "Maison médicale")
    page.fill("#id_profession", "Infirmière")
    page.check("#id_consent")
    page.click("[data-testid=registration-form] button[type=submit]")
    page.wait_for_selector("[data-testid=registration-sent]")
    assert fits_the_screen(page)
    holder = Booking.objects.get()
    assert holder.event_id == event.pk and holder.status == BookingStatus.CONFIRMED

    waiting = register_series(event, 2).booking
    assert waiting.status == BookingStatus.WAITLISTED
    (manage,) = {
        re.sub(r"^https?://[^/]+", "", url)
        for message in mail.outbox
        if message.to == ["dominique@example.org"]
        for url in re.findall(r"https?://\S+/", message.body)
        if "/reservation/" in url
    }
    page.goto(manage)
    assert page.locator("[data-testid=series-dates] li").count() == 4
    assert fits_the_screen(page)
    page.click("[data-testid=cancel-button]")
    page.wait_for_selector("[data-testid=cancelled]")
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    context.close()
