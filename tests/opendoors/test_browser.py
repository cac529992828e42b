"""End to end in Chromium: register two slots → team approves in the Wagtail admin →
a professional books → the cancel link frees the place → the waiting person is confirmed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from events.opendoors.models import Booking, BookingStatus, Registration, RegistrationStatus

from . import factories

pytestmark = pytest.mark.browser


def link(fragment: str, to: str | None = None) -> str:
    """The path of the last e-mailed link containing ``fragment`` (optionally for ``to``)."""
    for message in reversed(mail.outbox):
        if to and message.to != [to]:
            continue
        for url in re.findall(r"https?://\S+/", message.body):
            if fragment in url:
                return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no e-mailed link with {fragment!r}")


def test_register_approve_book_cancel_and_promote(browser_page, transactional_db):
    page = browser_page
    today = timezone.localdate()
    week = factories.week(
        registration_opens=today - datetime.timedelta(days=5),
        registration_closes=today + datetime.timedelta(days=5),
        booking_opens=today,
    )
    get_user_model().objects.create_superuser("admin", "admin@example.org", "secret-pass-1")

    # 1. The organisation registers two slots (no account).
    page.goto(f"/fr/portes-ouvertes/{week.slug}/inscription/")
    page.fill("#id_organisation_name", "Maison des Solidarités")
    page.fill("#id_contact_name", "Camille Hôte")
    page.fill("#id_contact_email", "camille@example.org")
    page.fill("#id_street", "Rue Léon Théodor 108")
    page.fill("#id_postal_code", "1090")
    page.fill("#id_city", "Jette")
    page.fill("#id_discover", "Notre permanence sociale et l'épicerie solidaire.")
    page.check("#id_languages_0")
    for index, (start, end) in enumerate([("09:00", "12:00"), ("14:00", "17:00")]):
        page.fill(f"#id_slots-{index}-date", week.start_date.isoformat())
        page.fill(f"#id_slots-{index}-start_time", start)
        page.fill(f"#id_slots-{index}-end_time", end)
        page.fill(f"#id_slots-{index}-capacity", "1")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_selector("h1:has-text('Inscription reçue')")
    page.goto(link("/inscription/confirmer/"))
    page.click("[data-testid=confirm]")
    page.wait_for_selector("h1:has-text('Adresse confirmée')")
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.slots.count() == 2

    # 2. The bassin team approves it in the Wagtail admin.
    page.goto("/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "secret-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/admin/portes-ouvertes/moderation/")
    page.click("text=Maison des Solidarités")
    page.check("input[name=action][value=approve]")
    page.click("[data-testid=moderation-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/portes-ouvertes/moderation/$"))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED

    # 3. A professional books the morning slot; a second one lands on the waiting list.
    morning = registration.slots.order_by("start_time").first()
    for name, email in [("Alex Pro", "alex@example.org"), ("Noa Attente", "noa@example.org")]:
        page.goto(f"/fr/portes-ouvertes/{week.slug}/")
        page.click(f"[data-testid=slot-{morning.pk}] a.button")
        page.fill("#id_name", name)
        page.fill("#id_email", email)
        page.fill("#id_organisation", "CPAS de Jette")
        page.fill("#id_profession", "Assistant·e social·e")
        page.check("#id_consent")
        page.click("[data-testid=booking-form] button[type=submit]")
        page.wait_for_selector("h1")
    assert Booking.objects.get(email="alex@example.org").status == BookingStatus.CONFIRMED
    assert Booking.objects.get(email="noa@example.org").status == BookingStatus.WAITLISTED
    page.goto(f"/fr/portes-ouvertes/{week.slug}/")
    assert page.locator(f"[data-testid=slot-{morning.pk}] [data-testid=full]").is_visible()

    # 4. The cancel link frees the place; the waiting person is confirmed and e-mailed.
    page.goto(link("/reservation/", to="alex@example.org"))
    page.click("[data-testid=cancel-open]")  # "cancel my booking" asks for confirmation
    page.click("[data-testid=cancel-button]")
    page.wait_for_selector("[data-testid=cancelled]")
    assert Booking.objects.get(email="noa@example.org").status == BookingStatus.CONFIRMED
    promotions = [m for m in mail.outbox if m.to == ["noa@example.org"]]
    assert len(promotions) == 2  # waiting-list notice, then the promotion
    assert "place s'est libérée" in promotions[-1].subject
    page.goto(f"/fr/portes-ouvertes/{week.slug}/")
    assert page.locator(f"[data-testid=slot-{morning.pk}] [data-testid=full]").is_visible()


def test_an_organisation_finds_and_picks_its_directory_entry(browser_page, transactional_db):
    from .test_directory_links import directory_org

    page = browser_page
    today = timezone.localdate()
    week = factories.week(
        registration_opens=today - datetime.timedelta(days=5),
        registration_closes=today + datetime.timedelta(days=5),
        booking_opens=today + datetime.timedelta(days=6),
    )
    org = directory_org()
    page.goto(f"/fr/portes-ouvertes/{week.slug}/inscription/")
    page.fill("#directory-q", "dettes")
    page.click("form[role=search] button[type=submit]")
    page.click(f"[data-testid=pick-{org.slug}]")
    page.wait_for_selector("[data-testid=directory-linked]")
    assert page.input_value("#id_organisation_name") == org.name_fr
    assert page.input_value("#id_street") == "Quai des Charbonnages 1"
    assert page.input_value("#id_postal_code") == "1080"
    page.fill("#id_contact_name", "Camille Hôte")
    page.fill("#id_contact_email", "camille@example.org")
    page.fill("#id_discover", "Nos consultations.")
    page.check("#id_languages_0")
    page.fill("#id_slots-0-date", week.start_date.isoformat())
    page.fill("#id_slots-0-start_time", "09:00")
    page.fill("#id_slots-0-end_time", "12:00")
    page.fill("#id_slots-0-capacity", "3")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_selector("h1:has-text('Inscription reçue')")
    assert Registration.objects.get().directory_organisation == org
