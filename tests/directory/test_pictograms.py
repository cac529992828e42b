"""Pictograms: one harmonised set, every theme mapped in one place, named in FR and NL,
shown on the directory's cards."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from bassins.models import Theme
from directory import pictograms
from directory.models import Service

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "static" / "pictograms"


def test_every_mapped_icon_is_shipped_and_nothing_else():
    shipped = {p.stem for p in FOLDER.glob("*.svg")}
    assert shipped == set(pictograms.used_icons())
    assert (FOLDER / "LICENSE").read_text().startswith("MIT License")
    assert "@tabler/icons" in (FOLDER / "README.md").read_text()


def test_the_drawings_share_one_style():
    for path in FOLDER.glob("*.svg"):
        svg = path.read_text()
        for attribute in (
            'viewBox="0 0 24 24"',
            'fill="none"',
            'stroke="currentColor"',
            'stroke-width="2"',
            'stroke-linecap="round"',
        ):
            assert attribute in svg, (path.name, attribute)
        assert "<script" not in svg and "href" not in svg


def test_every_mapping_names_a_category():
    assert set(pictograms.THEME_PICTOGRAMS.values()) <= set(pictograms.PICTOGRAMS)
    for key in ("health", "mental-health", "housing", "debts", "food", "legal-aid"):
        assert key in pictograms.PICTOGRAMS
    for key in ("social-rights", "migrants", "disability", "addiction", "family"):
        assert key in pictograms.PICTOGRAMS
    for key in ("children-youth", "elderly", "employment"):
        assert key in pictograms.PICTOGRAMS


@pytest.mark.django_db
def test_every_theme_of_the_platform_has_its_pictogram(reference_data):
    slugs = set(Theme.objects.values_list("slug", flat=True))
    assert slugs
    assert slugs - set(pictograms.THEME_PICTOGRAMS) == set()


def test_names_in_french_and_dutch():
    for picto in pictograms.PICTOGRAMS.values():
        assert picto.name_in("fr") and picto.name_in("nl")
    debts = pictograms.PICTOGRAMS["debts"]
    assert (debts.name_in("fr"), debts.name_in("nl")) == ("Dettes", "Schulden")


def test_the_most_specific_theme_wins():
    assert pictograms.for_themes(["aide-sociale", "dettes"]).key == "debts"
    assert pictograms.for_themes(["orientation", "situation-complexe"]).key == "orientation"
    assert pictograms.for_themes(["inconnu"]).key == "orientation"
    assert pictograms.for_theme("sante-mentale").key == "mental-health"


@pytest.mark.django_db
def test_a_help_line_without_a_specific_theme_shows_the_phone(reference_data):
    line = Service(is_help_line=True, facet_keys=["theme:orientation"])
    assert pictograms.for_service(line).key == "help-line"
    assert pictograms.for_service(Service(facet_keys=["theme:dettes"])).key == "debts"


def test_the_component_names_the_drawing_in_the_active_language():
    template = Template(
        '{% load directory_tags %}{% theme_pictogram "dettes" as p %}'
        '{% include "components/pictogram.html" with picto=p %}'
        "{% pictogram_url p %}"
    )
    with translation.override("nl"):
        html = template.render(Context({}))
    assert 'role="img"' in html and 'aria-label="Schulden"' in html
    assert '<svg aria-hidden="true" focusable="false"' in html
    assert "/static/pictograms/coin-euro.svg" in html
    decorative = Template(
        '{% load directory_tags %}{% theme_pictogram "logement" as p %}'
        '{% include "components/pictogram.html" with picto=p decorative=True %}'
    ).render(Context({}))
    assert 'aria-hidden="true" data' not in decorative
    assert re.search(r'<span class="pictogram[^>]*aria-hidden="true"', decorative)
    assert "role=" not in decorative


@pytest.mark.django_db
def test_cards_show_the_category(client, directory_data):
    html = client.get("/fr/repertoire/", {"q": "dettes"}).content.decode()
    card = html[html.index('id="service-hotline-mediation-de-dettes"') :]
    card = card[: card.index("</article>")]
    assert 'data-pictogram="debts"' in card and "Dettes" in card
    html = client.get("/nl/sociale-kaart/", {"q": "schulden"}).content.decode()
    assert 'data-pictogram="debts"' in html and "Schulden" in html
