"""The easy directory: pictogram tiles, then few words, phone first, in FR and NL,
from the same search as the full directory, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.queries import Criteria, search_services

pytestmark = pytest.mark.django_db


def test_the_full_directory_links_to_it(client, directory_data):
    html = client.get("/fr/repertoire/").content.decode()
    assert 'href="/fr/repertoire/facile/"' in html
    nl = client.get("/nl/sociale-kaart/").content.decode()
    assert 'href="/nl/sociale-kaart/eenvoudig/"' in nl


def test_home_shows_one_tile_per_category_with_services(client, directory_data):
    response = client.get("/fr/repertoire/facile/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<h2" in html
    assert 'data-pictogram="debts"' in html and "Dettes" in html
    assert "?help_lines=on" in html
    tile = re.search(r'<a class="easy-tile" data-pictogram="debts" href="([^"]+)"', html)
    assert tile and "theme=dettes" in tile.group(1)
    nl = client.get("/nl/sociale-kaart/eenvoudig/").content.decode()
    assert '<html lang="nl">' in nl and "Schulden" in nl and "Kies een thema" in nl


def test_a_theme_lists_the_same_services_as_the_full_search_phone_first(client, directory_data):
    html = client.get("/fr/repertoire/facile/", {"theme": "dettes"}).content.decode()
    expected = search_services(Criteria(theme=["dettes"])).queryset.count()
    assert html.count('data-testid="easy-card"') == min(expected, 10)
    card = html[html.index('data-testid="easy-card"') :]
    card = card[: card.index("</li>")]
    # The call button comes right after the name.
    assert card.index('class="easy-call"') < card.index("Plus d'informations")
    assert 'href="tel:+32' in card


def test_help_lines_tile(client, directory_data):
    html = client.get("/fr/repertoire/facile/", {"help_lines": "on"}).content.decode()
    expected = search_services(Criteria(help_lines=True)).queryset.count()
    assert f"{expected} services" in html


@pytest.mark.parametrize(
    "params", [{"theme": "<script>"}, {"theme": "inconnu"}, {"help_lines": "peut-etre"}]
)
def test_bad_input_is_a_clear_400(client, directory_data, params):
    response = client.get("/fr/repertoire/facile/", params)
    assert response.status_code == 400
    assert "adresse n'est pas valide" in response.content.decode()


def _queries(client, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get("/fr/repertoire/facile/", params or {}).status_code == 200
    return len(context.captured_queries)


def test_queries_do_not_grow_with_data(client, directory_data, make_services):
    _queries(client)  # warm the per-process caches (site, glossary, facet labels, synonyms)
    _queries(client, {"q": "permanence"})
    home, found = _queries(client), _queries(client, {"q": "permanence"})
    make_services(15)
    assert _queries(client) == home
    assert _queries(client, {"q": "permanence"}) == found


def test_few_words_an_unknown_availability_is_not_shown(client, directory_data):
    html = client.get("/fr/repertoire/facile/", {"help_lines": "on"}).content.decode()
    assert "Disponibilité inconnue" not in html
    full = client.get("/fr/repertoire/", {"help_lines": "on"}).content.decode()
    assert "Disponibilité inconnue" in full
