"""The layout's header navigation and footer are kept per process (CACHES["layout"]) for
what they show: a renamed bassin or a new helpdesk number shows on the next page, in
both languages, and a Wagtail page still marks its own bassin."""

import pytest
from django.core.cache import caches

from bassins.models import Bassin


@pytest.fixture(autouse=True)
def _empty_layout_cache():
    caches["layout"].clear()
    yield
    caches["layout"].clear()


def test_a_change_of_a_bassin_shows_at_once_in_the_kept_header_and_footer(reference_data, client):
    nord = Bassin.objects.get(slug="nord")
    first = client.get("/fr/agenda/").content.decode()
    assert client.get("/nl/agenda/").status_code == 200
    assert f">{nord.name_fr}</a>" in first
    assert client.get("/fr/agenda/mois/").content.decode().count(nord.helpdesk_phone) == 1
    assert any(key for key in caches["layout"]._cache)  # the layout was kept

    nord.name_fr = "Nord renommé"
    nord.name_nl = "Noord hernoemd"
    nord.helpdesk_phone = "02 555 00 00"
    nord.save()

    # The same URL: the agenda's page cache is replaced too (a bassin's change is an
    # agenda change, events.signals).
    page = client.get("/fr/agenda/mois/").content.decode()
    assert ">Nord renommé</a>" in page and "02 555 00 00" in page
    dutch = client.get("/nl/agenda/").content.decode()
    assert ">Noord hernoemd</a>" in dutch and "Nord renommé" not in dutch


def test_each_bassin_page_marks_its_own_bassin_in_the_kept_navigation(reference_data, client):
    for slug, name in (("nord", "Nord"), ("sud", "Sud"), ("nord", "Nord")):
        page = client.get(f"/fr/{slug}/")
        assert page.status_code == 200
        html = page.content.decode()
        nav = html[
            html.index('<nav class="bassin-nav"') : html.index("</nav>", html.index("bassin-nav"))
        ]
        assert nav.count('aria-current="page"') == 1
        assert f'aria-current="page">{name}</a>' in nav
    agenda = client.get("/fr/agenda/").content.decode()
    assert 'aria-current="page">Nord</a>' not in agenda
