"""Find your bassin: a postal code or a commune (FR or NL) leads to its bassin, and the
places shared between bassins (Bruxelles-Ville) list their parts, as the reference data
describes them."""

import pytest

from bassins.lookup import BadLookup, lookup, lookup_postal_code

pytestmark = pytest.mark.django_db


def slugs(result):
    return [match.slug for match in result.matches]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("1030", ["nord-est"]),
        ("1030 Schaerbeek", ["nord-est"]),
        ("Schaarbeek", ["nord-est"]),
        ("schaerbeek", ["nord-est"]),
        ("saint gilles", ["sud"]),
        ("Sint-Gillis", ["sud"]),
        ("1020", ["nord"]),
        ("1120", ["nord"]),
        ("1130", ["nord"]),
        ("Laeken", ["nord"]),
        ("Laken", ["nord"]),
        ("1050", ["sud"]),
        ("1180", ["sud"]),
    ],
)
def test_a_place_in_one_bassin_gives_that_bassin(territory, query, expected):
    result = lookup(query, "fr")
    assert sorted(set(slugs(result))) == expected
    assert not result.shared
    assert result.single.slug == expected[0]


def test_1000_is_mostly_centre_ouest_with_the_avenue_louise_in_sud(territory):
    result = lookup("1000", "fr")
    assert result.shared
    assert slugs(result) == ["centre-ouest", "sud"]
    assert result.matches[0].suggested and not result.matches[1].suggested
    assert result.matches[1].part == "avenue Louise"
    assert "Centre-Ouest" in result.note


def test_1040_is_shared_between_etterbeek_and_the_european_quarter(territory):
    result = lookup("1040", "nl")
    assert result.shared
    assert {(m.slug, m.commune) for m in result.matches} == {
        ("sud-est", "Etterbeek"),
        ("centre-ouest", "Brussel-Stad"),
    }
    assert result.matches[0].slug == "sud-est"  # the suggested bassin comes first


@pytest.mark.parametrize("name", ["Bruxelles-Ville", "Bruxelles", "Brussel", "brussel-stad"])
def test_bruxelles_ville_lists_its_three_parts(territory, name):
    result = lookup(name, "fr")
    assert result.shared
    assert sorted(slugs(result)) == ["centre-ouest", "nord", "sud"]
    assert all(match.part for match in result.matches)


@pytest.mark.parametrize("query", ["", "   ", "10a", "10300", "x" * 81, "12 rue"])
def test_malformed_input_is_refused_with_a_message(territory, query):
    with pytest.raises(BadLookup) as error:
        lookup(query, "fr")
    assert str(error.value)


def test_a_code_outside_brussels_finds_nothing(territory):
    assert not lookup("2000", "fr").found
    assert not lookup("Antwerpen", "fr").found


def test_the_api_variant_wants_exactly_four_digits(territory):
    assert lookup_postal_code("1210").single.slug == "nord-est"
    for value in ("", "121", "1210 Saint-Josse", "abcd"):
        with pytest.raises(BadLookup):
            lookup_postal_code(value)


# --- The finder's pages ---------------------------------------------------------------


@pytest.mark.parametrize(
    "target, location",
    [
        ("", "/fr/nord-est/"),
        ("agenda", "/fr/agenda/nord-est/"),
        ("newsletter", "/fr/info-prevention/nord-est/inscription/"),
        ("directory", "/fr/repertoire/?bassin=nord-est"),
        ("propose", "/fr/agenda/proposer/?bassin=nord-est"),
        ("unknown", "/fr/nord-est/"),
    ],
)
def test_the_finder_leads_to_the_bassin_or_to_the_asked_page(territory, client, target, location):
    response = client.get("/fr/trouver-mon-bassin/", {"q": "1030", "vers": target})
    assert response.status_code == 302
    assert response["Location"] == location


def test_a_shared_postal_code_asks_which_part(territory, client):
    response = client.get("/fr/trouver-mon-bassin/", {"q": "1000", "vers": "agenda"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/fr/agenda/centre-ouest/"' in html
    assert 'href="/fr/agenda/sud/"' in html
    assert "avenue Louise" in html


def test_the_finder_explains_bad_input_with_a_400(territory, client):
    response = client.get("/nl/mijn-zorgzone-vinden/", {"q": "10a"})
    assert response.status_code == 400
    assert "vier cijfers" in response.content.decode()


def test_the_finder_says_when_a_place_is_not_in_brussels(territory, client):
    response = client.get("/fr/trouver-mon-bassin/", {"q": "Namur"})
    assert response.status_code == 404
    assert "Namur" in response.content.decode()


# --- JSON for partners -------------------------------------------------------------------


def test_api_answers_the_bassin_of_a_postal_code(territory, client):
    response = client.get("/api/bassins/lookup", {"postal_code": "1030"})
    assert response.status_code == 200
    data = response.json()
    assert data["shared"] is False
    assert [b["slug"] for b in data["bassins"]] == ["nord-est"]
    assert data["bassins"][0]["url"].endswith("/fr/nord-est/")


def test_api_lists_the_shared_parts_in_dutch(territory, client):
    data = client.get("/api/bassins/lookup", {"postal_code": "1000", "lang": "nl"}).json()
    assert data["shared"] is True
    assert [(b["name"], b["part"]) for b in data["bassins"]] == [
        ("Centrum-West", "Vijfhoek en Europese wijk"),
        ("Zuid", "Louizalaan"),
    ]


@pytest.mark.parametrize(
    "params",
    [{}, {"postal_code": "103"}, {"postal_code": "abcd"}, {"postal_code": "1030", "lang": "de"}],
)
def test_api_refuses_bad_input_with_a_400(territory, client, params):
    response = client.get("/api/bassins/lookup", params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_api_answers_404_outside_brussels(territory, client):
    response = client.get("/api/bassins/lookup", {"postal_code": "2000"})
    assert response.status_code == 404
    assert response.json()["bassins"] == []
