"""Places and the map: map points, distance sorting, the GeoJSON endpoint, the map
page, the printed local map, embeds (no cookie, framing allowed only there)."""

from __future__ import annotations

import datetime
import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bassins.models import Commune
from directory import geo
from directory.models import Location, Organisation, Service

pytestmark = pytest.mark.django_db

ATOMIUM = (Decimal("50.894941"), Decimal("4.341547"))  # Laeken (1020)
FLAGEY = (Decimal("50.827500"), Decimal("4.372000"))  # Ixelles (1050)


def place(slug, postal_code, coordinates=None, *, commune=None, bassin="nord", n_services=1):
    org = Organisation.objects.create(slug=slug, name_fr=f"Asbl {slug}", name_nl=f"Vzw {slug}")
    location = Location.objects.create(
        organisation=org,
        address="Rue de test 1",
        postal_code=postal_code,
        commune=Commune.objects.get(slug=commune) if commune else None,
        latitude=coordinates[0] if coordinates else None,
        longitude=coordinates[1] if coordinates else None,
    )
    services = []
    for i in range(n_services):
        service = Service.objects.create(
            organisation=org,
            location=location,
            slug=f"{slug}-{i}",
            name_fr=f"Permanence {slug} {i}",
            name_nl=f"Permanentie {slug} {i}",
            area_whole_region=True,
            last_verified=datetime.date(2026, 1, 1),
        )
        services.append(service)
    return location, services


def test_every_commune_of_the_region_has_a_reference_point(reference_data):
    slugs = set(Commune.objects.values_list("slug", flat=True))
    assert slugs == set(geo.COMMUNE_POINTS)
    for lat, lon in geo.COMMUNE_POINTS.values():
        assert 50.76 < lat < 50.92 and 4.24 < lon < 4.49  # inside the Region's box


def test_a_place_without_coordinates_is_at_its_communes_point_approximately(reference_data):
    location, _ = place("sans-coord", "1030")  # one commune: Schaerbeek, found from the code
    assert location.commune.slug == "schaerbeek"
    assert (location.map_latitude, location.map_longitude) == geo.COMMUNE_POINTS["schaerbeek"]
    assert location.map_approximate is True
    location.latitude, location.longitude = Decimal("50.867"), Decimal("4.377")
    location.save()
    assert (location.map_latitude, location.map_longitude, location.map_approximate) == (
        50.867,
        4.377,
        False,
    )


def test_a_corrected_commune_point_moves_the_places_shown_there_and_only_those(
    reference_data,
):
    """Migration 0012: places at their commune's old point (approximate) move to the
    corrected one; a place with its own coordinates stays; the step undoes cleanly."""
    migration = importlib.import_module("directory.migrations.0012_commune_points_verified")
    old_point, new_point = migration.CORRECTED["koekelberg"]
    assert geo.COMMUNE_POINTS["koekelberg"] == new_point
    shown_at_commune, _ = place("koek-approx", "1081")
    own_coordinates, _ = place("koek-exact", "1081", (Decimal("50.8625"), Decimal("4.3240")))
    Location.objects.filter(pk=shown_at_commune.pk).update(
        map_latitude=old_point[0], map_longitude=old_point[1]
    )
    migration.forwards(django_apps, None)
    shown_at_commune.refresh_from_db()
    own_coordinates.refresh_from_db()
    assert (shown_at_commune.map_latitude, shown_at_commune.map_longitude) == new_point
    assert (own_coordinates.map_latitude, own_coordinates.map_longitude) == (50.8625, 4.324)
    migration.backwards(django_apps, None)
    shown_at_commune.refresh_from_db()
    assert (shown_at_commune.map_latitude, shown_at_commune.map_longitude) == old_point


def test_shared_postal_code_without_commune_has_no_map_point(reference_data):
    location, _ = place("partage", "1040")  # Etterbeek or Bruxelles-Ville: not guessed
    assert location.commune is None
    assert location.map_latitude is None


def test_coordinates_must_be_both_given_and_in_belgium(reference_data):
    org = Organisation.objects.create(slug="o", name_fr="O")
    swapped = Location(
        organisation=org,
        address="x",
        postal_code="1030",
        latitude=Decimal("4.35"),
        longitude=Decimal("50.85"),
    )
    with pytest.raises(ValidationError) as error:
        swapped.full_clean()
    assert "inversées" in str(error.value)
    half = Location(organisation=org, address="x", postal_code="1030", latitude=Decimal("50.8"))
    with pytest.raises(ValidationError):
        half.full_clean()


def test_haversine_matches_a_known_distance():
    # One degree along a meridian is 2 * pi * 6371 / 360 = 111.19 km.
    assert geo.haversine_km(50, 4, 51, 4) == pytest.approx(111.19, abs=0.01)
    assert geo.haversine_km(50.85, 4.35, 50.85, 4.35) == 0


def test_search_near_a_postal_code_sorts_by_distance_and_shows_it(client, reference_data):
    place("loin", "1020", ATOMIUM)
    place("pres", "1050", FLAGEY)
    response = client.get("/fr/repertoire/", {"near": "1050"})
    assert response.status_code == 200
    names = [s.organisation.slug for s in response.context["page_obj"] if s.location_id]
    assert names[:2] == ["pres", "loin"]
    assert "À " in response.content.decode()
    assert 'data-testid="near-origin"' in response.content.decode()


def test_search_near_me_sorts_by_distance(client, reference_data):
    place("loin", "1020", ATOMIUM)
    place("pres", "1050", FLAGEY)
    response = client.get("/fr/repertoire/", {"lat": "50.8950", "lon": "4.3415"})
    names = [s.organisation.slug for s in response.context["page_obj"] if s.location_id]
    assert names[:2] == ["loin", "pres"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"near": "99999"}, "Code postal invalide"),
        ({"near": "9000"}, "Code postal inconnu"),
        ({"lat": "91", "lon": "4"}, "hors limites"),
        ({"lat": "50", "lon": "181"}, "hors limites"),
        ({"lat": "1e309", "lon": "4"}, "Coordonnée invalide"),
        ({"lat": "9" * 40, "lon": "4"}, "Coordonnée invalide"),
        ({"lat": "nan", "lon": "4"}, "Coordonnée invalide"),
        ({"lat": "50.8"}, "ensemble"),
        ({"sort": "distance"}, "indiquez un code postal"),
    ],
)
def test_bad_places_are_refused_with_a_message(client, reference_data, params, message):
    for url in ("/fr/repertoire/", "/fr/repertoire/carte/", "/fr/repertoire/integrer/"):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert message in response.content.decode(), url
    api = client.get("/api/directory/map.geojson", params)
    assert api.status_code == 400
    assert message in json.dumps(api.json(), ensure_ascii=False)


def test_geojson_one_feature_per_place_numbered_by_distance(client, reference_data):
    place("loin", "1020", ATOMIUM, n_services=2)
    place("pres", "1050", FLAGEY)
    place("approx", "1030")
    response = client.get("/api/directory/map.geojson", {"near": "1050", "lang": "nl"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    features = [f for f in data["features"] if f["properties"]["name"].startswith("Vzw")]
    by_name = {f["properties"]["name"]: f for f in features}
    assert len(by_name["Vzw loin"]["properties"]["services"]) == 2
    assert by_name["Vzw pres"]["geometry"]["coordinates"] == [4.372, 50.8275]
    assert by_name["Vzw approx"]["properties"]["approximate"] is True
    numbers = [f["properties"]["n"] for f in data["features"]]
    assert numbers == list(range(1, len(numbers) + 1))
    distances = [f["properties"]["distance_km"] for f in data["features"]]
    assert distances == sorted(distances)
    assert by_name["Vzw pres"]["properties"]["url"].startswith("/nl/")
    assert data["origin"]["approximate"] is True


def test_geojson_costs_a_fixed_number_of_queries(client, reference_data, django_assert_num_queries):
    place("a", "1020", ATOMIUM)
    client.get("/api/directory/map.geojson", {"near": "1050"})
    # the postal code checked by the form, its point, the validated facets (none), the places
    with CaptureQueriesContext(connection) as first:
        client.get("/api/directory/map.geojson", {"near": "1050"})
    assert len(first.captured_queries) <= 4
    for i in range(5):
        place(f"more-{i}", "1030", n_services=2)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/api/directory/map.geojson", {"near": "1050"})


def test_map_page_costs_a_fixed_number_of_queries(
    client, reference_data, django_assert_num_queries
):
    place("a", "1020", ATOMIUM)
    assert client.get("/fr/repertoire/carte/", {"near": "1050"}).status_code == 200
    with CaptureQueriesContext(connection) as before:
        client.get("/fr/repertoire/carte/", {"near": "1050"})
    for i in range(5):
        place(f"more-{i}", "1030")
    with django_assert_num_queries(len(before.captured_queries)):
        client.get("/fr/repertoire/carte/", {"near": "1050"})


def test_map_page_uses_vendored_leaflet_and_the_tile_setting(client, reference_data, settings):
    settings.MAP_TILE_URL = "http://tiles.test/{z}/{x}/{y}.png"
    content = client.get("/nl/sociale-kaart/kaart/", {"bassin": "nord"}).content.decode()
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in content
    assert "leaflet.markercluster.js" in content
    assert "http://tiles.test/{z}/{x}/{y}.png" in content
    assert "unpkg" not in content and "cdn" not in content.lower()
    assert "/api/directory/map.geojson?bassin=nord&amp;lang=nl" in content


def test_printed_local_map_numbers_the_places_like_the_list(client, reference_data):
    _, (with_place,) = place("imprime", "1050", FLAGEY)
    line = Service.objects.filter(is_help_line=True, location__isnull=True).first()
    for service in (line, with_place):
        client.post("/fr/repertoire/ma-liste/ajouter/", {"service": str(service.public_id)})
    response = client.get("/fr/repertoire/ma-liste/", {"print": "1"})
    content = response.content.decode()
    assert response.context["places"] == [
        {"n": 2, "lat": 50.8275, "lon": 4.372, "approximate": False, "name": with_place.name_fr}
    ]
    assert 'data-testid="print-map"' in content
    assert "Rue de test 1, 1050" in content
    assert "Sans adresse sur la carte" in content  # the help line keeps number 1


def test_embed_sets_no_cookie_and_may_be_framed(client, reference_data):
    place("emb", "1020", ATOMIUM)
    response = client.get("/fr/repertoire/integrer/", {"bassin": "nord"})
    assert response.status_code == 200
    assert response.cookies == {} or not list(response.cookies.values())
    assert "Set-Cookie" not in str(response.serialize_headers())
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    assert 'data-testid="embed-entry"' in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()
    nl = client.get("/nl/sociale-kaart/integreren/", {"commune": "jette"})
    assert nl.status_code == 200 and nl.content.decode().count('lang="nl"') == 1


def test_embed_sets_no_cookie_even_with_a_session(client, reference_data):
    service = Service.objects.first()
    client.post("/fr/repertoire/ma-liste/ajouter/", {"service": str(service.public_id)})
    response = client.get("/fr/repertoire/integrer/", {"bassin": "nord"})
    assert not list(response.cookies.values())


def test_every_other_page_refuses_to_be_framed(client, reference_data):
    for url in ("/fr/repertoire/", "/fr/repertoire/carte/", "/fr/agenda/", "/fr/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Content-Security-Policy"] == "frame-ancestors 'none'", url


def test_search_page_offers_the_iframe_snippet_of_its_filters(client, reference_data, settings):
    settings.SITE_URL = "https://maillage.example"
    content = client.get("/fr/repertoire/", {"bassin": "nord", "page": "2"}).content.decode()
    assert (
        "&lt;iframe src=&quot;https://maillage.example/fr/repertoire/integrer/?bassin=nord&quot;"
        in content
    )
