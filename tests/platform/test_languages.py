"""French and Dutch everywhere: the switch keeps the page, bad prefixes get a 404
in the right language, never a 500."""

import re

import pytest
from wagtail.models import Locale

from bassins.models import ContentPage, HomePage


def switch_link(html: str, language: str) -> str:
    match = re.search(rf'href="([^"]*)"[^>]*data-testid="switch-{language}"', html)
    assert match, f"no switch to {language}"
    return match.group(1).replace("&amp;", "&")


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([a-z-]+)"', html).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, target",
    [
        ("/fr/", "/nl/"),
        ("/nl/", "/fr/"),
        ("/fr/nord/", "/nl/noord/"),
        ("/nl/centrum-west/", "/fr/centre-ouest/"),
        ("/fr/a-propos/", "/nl/over-ons/"),
    ],
)
def test_language_switch_keeps_the_wagtail_page(client, reference_data, path, target):
    response = client.get(path)
    assert response.status_code == 200
    other = "nl" if path.startswith("/fr/") else "fr"
    link = switch_link(response.content.decode(), other)
    assert link == target
    landed = client.get(link)
    assert landed.status_code == 200
    assert html_lang(landed.content.decode()) == other


@pytest.mark.django_db
def test_language_switch_follows_a_translation_whose_slug_differs(client, reference_data):
    home_fr = HomePage.objects.get(locale__language_code="fr")
    home_nl = HomePage.objects.get(locale__language_code="nl")
    page = ContentPage(title="Contact", slug="contact")
    home_fr.add_child(instance=page)
    page.save_revision().publish()
    translated = ContentPage(
        title="Contact NL",
        slug="contacteer-ons",
        locale=Locale.objects.get(language_code="nl"),
        translation_key=page.translation_key,
    )
    home_nl.add_child(instance=translated)
    translated.save_revision().publish()
    html = client.get("/fr/contact/").content.decode()
    assert switch_link(html, "nl") == "/nl/contacteer-ons/"


@pytest.mark.django_db
@pytest.mark.urls("tests.platform.urls_plain_view")
def test_language_switch_keeps_a_django_view_path_and_query_string(client, reference_data):
    response = client.get("/fr/essai/nord/?q=sant%C3%A9&page=2")
    assert response.status_code == 200
    assert switch_link(response.content.decode(), "nl") == "/nl/essai/nord/?q=sant%C3%A9&page=2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, accept, language, title",
    [
        ("/fr/inconnu/", "nl", "fr", "Page introuvable"),
        ("/nl/onbekend/", "fr", "nl", "Pagina niet gevonden"),
        ("/fr/nord/inconnu/", "", "fr", "Page introuvable"),
        ("/de/", "", "fr", "Page introuvable"),
        ("/de/nord/", "nl", "nl", "Pagina niet gevonden"),
        ("/en/", "fr", "fr", "Page introuvable"),
        ("/pt-br/sud/", "nl-BE,nl;q=0.9", "nl", "Pagina niet gevonden"),
    ],
)
def test_unknown_pages_and_language_prefixes_get_a_404_in_the_right_language(
    client, reference_data, path, accept, language, title
):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    html = response.content.decode()
    assert html_lang(html) == language
    assert title in html
    assert f'href="/{language}/"' in html  # the way back home stays in that language


@pytest.mark.django_db
def test_a_path_without_language_is_redirected_to_the_visitors_language(client, reference_data):
    response = client.get("/nord/", HTTP_ACCEPT_LANGUAGE="nl")
    assert (response.status_code, response["Location"]) == (302, "/nl/nord/")  # then a 301
    response = client.get("/nord/")
    assert (response.status_code, response["Location"]) == (302, "/fr/nord/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/fr/%00/", "/fr/" + "x" * 3000 + "/", "/nl/noord/?page=abc", "/fr/..%2F..%2Fetc/passwd"],
)
def test_odd_paths_never_give_a_500(client, reference_data, path):
    assert client.get(path).status_code in (200, 301, 302, 400, 404)


@pytest.mark.django_db
@pytest.mark.urls("tests.platform.urls_plain_view")
@pytest.mark.parametrize(
    "path, language, text",
    [("/fr/panne/", "fr", "Une erreur est survenue"), ("/nl/panne/", "nl", "Er is een fout")],
)
def test_server_error_page_speaks_the_language_of_the_url(client, path, language, text):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 500
    html = response.content.decode()
    assert html_lang(html) == language and text in html


@pytest.mark.django_db
def test_a_404_from_a_language_neutral_endpoint_is_not_redirected(client):
    """An API or feed that resolved and answered 404 keeps its 404 (no /fr/ hop)."""
    response = client.get("/api/directory/organisations/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_an_unprefixed_page_path_still_goes_to_the_language(client):
    response = client.get("/nord/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/nord/"
