"""Browser: subscribe → confirm via the e-mailed link → change preferences → unsubscribe."""

import re

import pytest
from django.core import mail

from newsletters.models import Subscriber, SubscriberStatus


@pytest.mark.browser
def test_subscribe_confirm_change_preferences_and_unsubscribe(
    transactional_db, reference_data, browser_page, live_server
):
    page = browser_page
    page.goto("/fr/info-prevention/nord/inscription/")
    page.get_by_label("Votre adresse e-mail").fill("lea@example.org")
    page.get_by_label("Nederlands").check()
    page.get_by_role("button", name="M'abonner").click()
    page.get_by_role("heading", name="Vérifiez votre boîte e-mail").wait_for()
    assert Subscriber.objects.get(email="lea@example.org").status == SubscriberStatus.PENDING

    [message] = mail.outbox
    link = re.search(r"https?://\S+/nl/info-preventie/bevestigen/\S+/", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page.goto(path)
    page.get_by_test_id("confirmed").wait_for()  # Dutch page: the chosen language
    assert Subscriber.objects.get(email="lea@example.org").status == SubscriberStatus.ACTIVE

    form = page.get_by_test_id("preferences-form")
    form.locator("input[name=digest_bassins]").nth(3).check()  # Sud: weekly agenda
    form.get_by_label("Français").check()
    form.get_by_role("button").click()
    page.get_by_test_id("saved").wait_for()
    subscriber = Subscriber.objects.get(email="lea@example.org")
    assert subscriber.language == "fr"
    assert list(subscriber.digest_bassins.values_list("slug", flat=True)) == ["sud"]
    assert page.url.split(live_server.url, 1)[1].startswith("/fr/info-prevention/preferences/")

    page.get_by_test_id("unsubscribe-all").click()
    page.get_by_test_id("unsubscribed").wait_for()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
