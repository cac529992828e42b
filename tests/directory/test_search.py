"""Search: relevance in FR and NL, facets consistent with results, open now, query counts."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.queries import Criteria, search_services

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
BRUSSELS = ZoneInfo("Europe/Brussels")


def slugs(criteria, language="fr", now=None):
    return [s.slug for s in search_services(criteria, language, now=now).queryset]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("dettes", "hotline-mediation-de-dettes"),  # plural
        ("dette", "hotline-mediation-de-dettes"),  # singular
        ("médiation de dettes", "hotline-mediation-de-dettes"),
        ("MEDIATION DETTE", "hotline-mediation-de-dettes"),  # case and accents
        ("handicap", "brap-permanence"),
        ("séjour précaire", "medimmigrant-permanence"),
        ("sejour", "medimmigrant-permanence"),
        ("détenus", "caw-detenus"),
        ("situation complexe", "helpdesk-regional"),
    ],
)
def test_french_queries_find_the_right_line_first_or_among_results(directory_data, query, expected):
    found = slugs(Criteria(q=query))
    assert expected in found[:8], (query, found[:8])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("schulden", "hotline-mediation-de-dettes"),
        ("schuld", "hotline-mediation-de-dettes"),
        ("handicap", "brap-permanence"),
        ("verblijf", "medimmigrant-permanence"),
        ("gedetineerden", "caw-detenus"),
    ],
)
def test_dutch_queries_find_the_line(directory_data, query, expected):
    assert expected in slugs(Criteria(q=query), "nl")[:8]


def test_debt_line_ranks_first_for_dettes(directory_data):
    assert slugs(Criteria(q="dettes", sort="relevance"))[0] == "hotline-mediation-de-dettes"


def test_unrelated_word_finds_nothing(directory_data):
    assert slugs(Criteria(q="xylophone")) == []


def test_facet_counts_match_the_results_they_lead_to(directory_data):
    base = Criteria(q="aide")
    result = search_services(base)
    total = result.queryset.count()
    for facet, values in result.facets.items():
        for value in values:
            narrowed = Criteria(q="aide", **{facet: [value.key]})
            assert search_services(narrowed).queryset.count() == value.count, (facet, value.key)
            assert value.count <= total
    assert (
        result.counts["professionals"]
        == search_services(Criteria(q="aide", professionals=True)).queryset.count()
    )


def test_bassin_filter_includes_whole_region_lines(directory_data):
    found = slugs(Criteria(bassin=["nord"], help_lines=True))
    assert "helpdesk-nord" in found
    assert "medimmigrant-permanence" in found  # whole region
    assert "helpdesk-sud" not in found


def test_commune_filter_finds_the_raq_of_the_commune(directory_data):
    found = slugs(Criteria(commune=["koekelberg"]))
    assert found == ["raq-11"]


def test_sort_by_name_and_freshness(directory_data):
    by_name = search_services(Criteria(help_lines=True, sort="name")).queryset
    names = [s.name_fr.lower() for s in by_name]
    assert names == sorted(names)
    fresh = list(search_services(Criteria(sort="fresh")).queryset)
    assert [s.last_verified for s in fresh] == sorted(
        (s.last_verified for s in fresh), reverse=True
    )


# "open now": Medimmigrant answers Mon/Thu/Fri 10-13 and Tue 14-18 (seed 000).
TUESDAY_15H = datetime.datetime(2026, 3, 24, 15, 0, tzinfo=BRUSSELS)
SUNDAY_15H = datetime.datetime(2026, 3, 29, 15, 0, tzinfo=BRUSSELS)


def test_open_now_on_tuesday_afternoon_but_not_on_sunday(directory_data):
    tuesday = slugs(Criteria(open_now=True), now=TUESDAY_15H)
    assert "medimmigrant-permanence" in tuesday
    assert "hotline-mediation-de-dettes" in tuesday  # Mon-Fri 9-17
    assert "brap-permanence" not in tuesday  # Tuesday mornings only
    assert slugs(Criteria(open_now=True), now=SUNDAY_15H) == []


@pytest.mark.parametrize(
    "instant_utc, expected_open",
    [
        # Spring forward on 29 March 2026: the same 08:30 UTC is 09:30 before, 10:30 after.
        (datetime.datetime(2026, 3, 23, 8, 30, tzinfo=UTC), False),
        (datetime.datetime(2026, 3, 30, 8, 30, tzinfo=UTC), True),
        # Fall back on 25 October 2026: 11:30 UTC is 13:30 before, 12:30 after.
        (datetime.datetime(2026, 10, 19, 11, 30, tzinfo=UTC), False),
        (datetime.datetime(2026, 10, 26, 11, 30, tzinfo=UTC), True),
    ],
)
def test_open_now_follows_brussels_wall_clock_across_dst(
    directory_data, instant_utc, expected_open
):
    found = slugs(Criteria(open_now=True, q="medimmigrant"), now=instant_utc)
    assert ("medimmigrant-permanence" in found) is expected_open


def test_closure_overrides_the_weekly_slot(directory_data):
    from directory.models import ScheduleException, Service

    service = Service.objects.get(slug="medimmigrant-permanence")
    ScheduleException.objects.create(
        service=service, start=datetime.date(2026, 3, 24), end=datetime.date(2026, 3, 24)
    )
    assert "medimmigrant-permanence" not in slugs(Criteria(open_now=True), now=TUESDAY_15H)


# --- Pages -----------------------------------------------------------------------------


def titles(response):
    return re.findall(r'class="card-title"><a[^>]*>([^<]*)', response.content.decode())


def test_search_page_in_french_and_dutch(client, directory_data):
    fr = client.get("/fr/repertoire/", {"q": "dettes"})
    assert fr.status_code == 200
    assert titles(fr)[0] == "Hotline Médiation de dettes"
    nl = client.get("/nl/sociale-kaart/", {"q": "schulden"})
    assert nl.status_code == 200
    assert titles(nl)[0] == "Hotline schuldbemiddeling"
    assert 'lang="nl"' in nl.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "<script>"},
        {"q": "x" * 500},
        {"sort": "sideways"},
        {"bassin": [f"b{i}" for i in range(40)]},
    ],
)
def test_bad_filters_get_a_clear_400(client, directory_data, params):
    response = client.get("/fr/repertoire/", params)
    assert response.status_code == 400
    assert "Réinitialiser" in response.content.decode()
    api = client.get("/api/directory/search", params)
    assert api.status_code == 400
    assert "errors" in api.json()


def test_malformed_page_number_falls_back_to_first_page(client, directory_data):
    assert client.get("/fr/repertoire/", {"page": "abc"}).status_code == 200
    assert client.get("/fr/repertoire/", {"page": "999"}).status_code == 200


def _count_queries(client, url, params=None):
    client.get(url, params or {})  # warm the caches (glossary, site navigation)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_search_page_queries_do_not_grow_with_data(
    client, directory_data, make_services, django_assert_max_num_queries
):
    params = {"q": "permanence", "theme": "dettes", "professionals": "on"}
    before = _count_queries(client, "/fr/repertoire/", params)
    broad_before = _count_queries(client, "/fr/repertoire/")
    make_services(30)
    assert _count_queries(client, "/fr/repertoire/", params) == before
    assert _count_queries(client, "/fr/repertoire/") == broad_before
    with django_assert_max_num_queries(25):
        client.get("/nl/sociale-kaart/", {"q": "schulden", "bassin": "nord"})


def test_organisation_page_queries_do_not_grow_with_services(
    client, directory_data, django_assert_max_num_queries
):
    from directory.models import Organisation, Phone, Service

    before = _count_queries(client, "/fr/repertoire/organisation/brusano/")
    org = Organisation.objects.get(slug="brusano")
    for i in range(10):
        service = Service.objects.create(
            organisation=org, slug=f"brusano-extra-{i}", name_fr=f"Extra {i}"
        )
        Phone.objects.create(service=service, number=f"02 000 00 {i:02d}")
    assert _count_queries(client, "/fr/repertoire/organisation/brusano/") == before
    with django_assert_max_num_queries(25):
        client.get("/nl/sociale-kaart/organisatie/brusano/")


def test_organisation_page_shows_lines_hours_and_tel_links(client, directory_data):
    response = client.get("/fr/repertoire/organisation/medimmigrant/")
    html = response.content.decode()
    assert 'href="tel:+3280014960"' in html
    assert 'href="tel:+3222741433"' in html
    assert "mardi 14:00-18:00" in html
    assert "Vérifié le" in html
    assert "Questions fréquentes" in html
    nl = client.get("/nl/sociale-kaart/organisatie/medimmigrant/").content.decode()
    assert "Medimmigrant — telefonische permanentie" in nl


def test_unknown_organisation_is_404(client, directory_data):
    assert client.get("/fr/repertoire/organisation/nope/").status_code == 404


def test_api_search_and_organisation(client, directory_data):
    data = client.get("/api/directory/search", {"q": "handicap", "lang": "nl"}).json()
    assert data["results"][0]["name"] == "BrAP — telefonische permanentie handicap"
    assert "facets" in data and "bassin" in data["facets"]
    org_id = data["results"][0]["organisation"]["id"]
    org = client.get(f"/api/directory/organisations/{org_id}").json()
    assert org["services"][0]["phones"][0]["number"] == "02 201 76 43"
    # LocaleMiddleware turns any unprefixed 404 into a redirect to /fr/... (shared urls);
    # the chain still ends in a 404.
    missing = client.get(
        "/api/directory/organisations/00000000-0000-0000-0000-000000000000", follow=True
    )
    assert missing.status_code == 404


def test_api_query_count_is_bounded(client, directory_data, make_services):
    before = _count_queries(client, "/api/directory/search", {"q": "permanence"})
    make_services(20)
    assert _count_queries(client, "/api/directory/search", {"q": "permanence"}) == before


@pytest.mark.parametrize(
    "params",
    [
        {"bassin": "atlantide"},
        {"bassin": ["nord", "atlantide"]},
        {"commune": "gotham"},
        {"theme": "inconnu"},
        {"public": "martiens"},
        {"language": "xx"},
        {"modality": "pigeon"},
    ],
)
def test_an_unknown_filter_value_is_a_400_with_a_message_everywhere(client, directory_data, params):
    page = client.get("/fr/repertoire/", params)
    assert page.status_code == 400
    assert "Valeur inconnue" in page.content.decode()
    for path in (
        "/api/directory/search",
        "/api/directory/export.csv",
        "/api/directory/export.json",
        "/api/directory/hsds.zip",
    ):
        response = client.get(path, params)
        assert response.status_code == 400, path
        errors = response.json()["errors"]
        assert any(e["code"] == "unknown" for field in errors.values() for e in field)


def test_known_filter_values_still_filter(client, directory_data):
    response = client.get("/api/directory/search", {"bassin": "nord", "language": "fr"})
    assert response.status_code == 200 and response.json()["count"] > 0


def test_a_search_costs_nine_queries_whatever_the_filters(
    client, directory_data, make_services, django_assert_num_queries
):
    """One query for the facets, the total and "open now" together; the page; seven
    prefetches of what the cards show. Facet labels and synonyms come from the cache.
    (Every search here has results: an empty page needs neither page nor prefetches.)"""
    make_services(5)
    for params in (
        {"q": "dettes", "bassin": "nord"},
        {},
        {"theme": ["dettes", "logement"], "professionals": "on"},
        {"q": "sans papiers soins", "language": "nl", "sort": "name"},
    ):
        client.get("/fr/repertoire/", params)  # warm the caches
        with django_assert_num_queries(9):
            assert client.get("/fr/repertoire/", params).status_code == 200
        with django_assert_num_queries(9):
            assert client.get("/api/directory/search", params).status_code == 200


def test_facet_labels_follow_an_edit_of_the_reference_tables(client, directory_data):
    from bassins.models import Theme

    client.get("/fr/repertoire/", {"theme": "dettes"})  # the labels are cached
    theme = Theme.objects.get(slug="dettes")
    theme.name_fr = "Dettes et surendettement"
    theme.save()
    data = client.get("/api/directory/search", {"theme": "dettes"}).json()
    assert "Dettes et surendettement" in [v["label"] for v in data["facets"]["theme"]]
    theme.delete()
    assert client.get("/api/directory/search", {"theme": "dettes"}).status_code == 400
