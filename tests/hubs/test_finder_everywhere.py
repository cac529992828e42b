"""The finder is on the home page and wherever a bassin is chosen, with FR and NL
suggestions, and leads to the page it was found on."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_home_page_offers_the_finder_with_french_and_dutch_names(reference_data, client, language):
    html = client.get(f"/{language}/").content.decode()
    assert 'data-testid="bassin-finder"' in html
    assert 'list="bassin-finder-options-hub"' in html
    assert '<option value="Schaarbeek">' in html and '<option value="Schaerbeek">' in html
    local = "1030 Schaerbeek" if language == "fr" else "1030 Schaarbeek"
    assert f'<option value="{local}">' in html


@pytest.mark.parametrize(
    "path, target",
    [
        ("/fr/agenda/", "agenda"),
        ("/nl/agenda/", "agenda"),
        ("/fr/info-prevention/inscription/", "newsletter"),
        ("/fr/repertoire/", "directory"),
        ("/nl/agenda/voorstellen/", "propose"),
    ],
)
def test_pages_where_a_bassin_is_chosen_offer_the_finder(reference_data, client, path, target):
    html = client.get(path).content.decode()
    assert 'data-testid="bassin-finder"' in html
    assert f'name="vers" value="{target}"' in html


def test_a_proposal_found_through_the_finder_has_its_bassin_ticked(reference_data, client):
    from bassins.models import Bassin

    nord = Bassin.objects.get(slug="nord")
    html = client.get("/fr/agenda/proposer/", {"bassin": "nord"}).content.decode()
    assert f'value="{nord.pk}" id="id_bassins_0" checked' in html or (
        f'value="{nord.pk}"' in html and "checked" in html
    )
