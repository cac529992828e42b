"""The exchange space in Debian's Chromium, served by an ASGI server (HTTP and
WebSockets): two members see each other's message appear live, a report reaches the
moderator, the hidden message disappears for the other member; axe finds no WCAG 2.1
A/AA violation on the pages of the space."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from core.signing import make_token
from exchanges import services
from exchanges.models import Message
from exchanges.views import CONFIRM_PURPOSE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def context_for(chromium, base_url, user):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=base_url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def open_channel(page, path):
    page.goto(path)
    expect(page.locator("#threads")).to_have_attribute("data-live", "on")


def test_two_members_talk_live_a_report_reaches_the_moderator_who_hides_it(
    chromium, asgi_server, people, channels
):
    amina, bruno = people["member_a"], people["member_a2"]
    a_context, a_page = context_for(chromium, asgi_server.url, amina.user)
    b_context, b_page = context_for(chromium, asgi_server.url, bruno.user)
    m_context, m_page = context_for(chromium, asgi_server.url, people["moderator"])
    try:
        open_channel(a_page, "/fr/echanges/canal/sud-sante-mentale/")
        open_channel(b_page, "/nl/echanges/canal/sud-sante-mentale/")
        b_page.evaluate("window.notReloaded = true")

        # Amina posts without JavaScript's help (a plain form post and reload)...
        a_page.get_by_label("Votre message").fill("Quelqu'un connaît un SSM qui prend encore ?")
        a_page.get_by_role("button", name="Publier").click()
        a_page.wait_for_load_state()
        message = Message.objects.get()
        # ...and Bruno, reading in Dutch, sees it appear without reloading
        live = b_page.locator(f"#message-{message.pk}")
        expect(live).to_contain_text("Quelqu'un connaît un SSM")
        expect(live.get_by_role("link", name=f"Melden — bericht {message.pk}")).to_be_visible()
        assert b_page.evaluate("window.notReloaded === true")

        # Bruno answers; Amina sees the reply arrive in the thread
        asgi_server.call(
            services.post_message, bruno, channels["sud"], "Ja, SSM Le Méridien", parent=message
        )
        expect(a_page.locator(f"#replies-{message.pk}")).to_contain_text("SSM Le Méridien")

        # Bruno reports the message; the moderator finds it in the admin queue
        b_page.get_by_role("link", name=f"Melden — bericht {message.pk}").click()
        b_page.get_by_label("Waarom meldt u dit bericht?").fill("Te persoonlijk")
        b_page.get_by_role("button", name="De melding versturen").click()
        open_channel(b_page, "/nl/echanges/canal/sud-sante-mentale/")
        expect(b_page.locator(f"#message-{message.pk}")).to_be_visible()
        b_page.evaluate("window.notReloaded = true")

        m_page.goto("/admin/echanges/moderation/")
        row = m_page.locator("[data-testid=reports] tr", has_text="Te persoonlijk")
        expect(row).to_be_visible()
        row.get_by_label("Motif").fill("Hors charte")
        row.get_by_role("button", name="Masquer").click()
        m_page.wait_for_load_state()

        # the hidden message disappears from Bruno's open page, without a reload
        expect(b_page.locator(f"#message-{message.pk}")).to_have_count(0)
        assert b_page.evaluate("window.notReloaded === true")
    finally:
        for context in (a_context, b_context, m_context):
            context.close()


def pages_of_the_space(message, request, token):
    """(who, path) for every page of the space people see, in the French URL form."""
    return [
        ("anonymous", "/fr/echanges/"),
        ("anonymous", "/fr/echanges/inscription/"),
        ("anonymous", f"/fr/echanges/confirmer/{token}/"),
        ("anonymous", "/fr/echanges/connexion/"),
        ("anonymous", "/fr/echanges/mot-de-passe/"),
        ("anonymous", "/fr/echanges/mot-de-passe/envoye/"),
        ("anonymous", "/fr/echanges/mot-de-passe/MQ/jeton-perime/"),
        ("anonymous", "/fr/echanges/mot-de-passe/fait/"),
        ("pending", "/fr/echanges/canal/sud-sante-mentale/"),
        ("member", "/fr/echanges/"),
        ("member", "/fr/echanges/canal/sud-sante-mentale/"),
        ("member", f"/fr/echanges/message/{message.pk}/"),
        ("member", f"/fr/echanges/message/{message.pk}/signaler/"),
        ("member", "/fr/echanges/recherche/?q=audit"),
        ("member", "/fr/echanges/charte/"),
        ("member", "/fr/echanges/preferences/"),
        ("member", "/fr/echanges/referent/"),
        ("member", "/fr/echanges/referent/nouvelle/"),
        ("member", f"/fr/echanges/referent/{request.pk}/"),
        ("member", "/fr/echanges/supprimer-mon-compte/"),
        ("moderator", "/fr/echanges/canal/sud-sante-mentale/"),
        ("moderator", f"/fr/echanges/message/{message.pk}/moderer/"),
        ("referent", "/fr/echanges/referent/"),
        ("referent", f"/fr/echanges/referent/{request.pk}/"),
    ]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_pages_of_the_space_have_no_wcag_21_aa_violation(
    chromium, asgi_server, people, channels, bassins, language
):
    amina = people["member_a"]
    message = asgi_server.call(
        services.post_message,
        amina,
        channels["sud"],
        "Un message pour l'audit : voir /fr/agenda/evenement/1/",
    )
    asgi_server.call(
        services.post_message, people["member_a2"], channels["sud"], "Une réponse", parent=message
    )
    request = asgi_server.call(
        services.open_referent_request, amina, bassins["sud"], "Situation", "Quelles pistes ?"
    )
    token = make_token(CONFIRM_PURPOSE, {"member": people["pending"].pk})
    contexts = {"anonymous": chromium.new_context(base_url=asgi_server.url)}
    pages = {"anonymous": contexts["anonymous"].new_page()}
    for who, user in (
        ("member", amina.user),
        ("pending", people["pending"].user),
        ("moderator", people["moderator"]),
        ("referent", people["referent"]),
    ):
        contexts[who], pages[who] = context_for(chromium, asgi_server.url, user)
    try:
        checked = []
        for who, path in pages_of_the_space(message, request, token):
            path = path.replace("/fr/", f"/{language}/", 1)
            page = pages[who]
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            results = Axe().run(page, options=WCAG_21_AA)
            assert results.violations_count == 0, f"{who} {path}\n{results.generate_report()}"
            checked.append(path)
        # the forms' error states too: an empty sign-up and a message that needs a check
        page = pages["anonymous"]
        page.goto(f"/{language}/echanges/inscription/")
        page.locator("form[novalidate] button[type=submit]").click()
        page.wait_for_load_state()
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"sign-up errors\n{results.generate_report()}"
        page = pages["member"]
        page.goto(f"/{language}/echanges/canal/sud-sante-mentale/")
        page.locator("[data-testid=post-form] textarea").fill("Appelez-la au 0470 12 34 56")
        page.locator("[data-testid=post-form] button[type=submit]").click()
        page.wait_for_load_state()
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"check warning\n{results.generate_report()}"
        assert len(checked) == len(pages_of_the_space(message, request, token))
    finally:
        for context in contexts.values():
            context.close()
