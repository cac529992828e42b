"""Map reads: the places of a search as GeoJSON, the numbered places of "My list".

One map feature per *place* (location), carrying the services of the search found
there, so an organisation's three services at one address are one marker. Features
are numbered in the order of the list under the map (distance from the origin when
there is one, else name), and the page builds that list from the same features, so
every marker is in the list and the other way round.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .geo import BRUSSELS_CENTRE, Point, format_km, haversine_km
from .models import Service

PLACE_COLUMNS = (
    "location_id",
    "location__public_id",
    "location__map_latitude",
    "location__map_longitude",
    "location__map_approximate",
    "location__address",
    "location__postal_code",
    "location__commune__name_fr",
    "location__commune__name_nl",
    "organisation__name_fr",
    "organisation__name_nl",
    "organisation__slug",
    "name_fr",
    "name_nl",
    "slug",
)


def _tr(fr: str, nl: str, language: str) -> str:
    return (nl or fr) if language == "nl" else fr


def place_rows(queryset: QuerySet) -> QuerySet:
    """``PLACE_COLUMNS`` of the services of ``queryset`` that have a map point: one query.
    (An indexed search reads the same tuples from its index: ``DirectoryIndex.place_rows``.)"""
    return (
        queryset.filter(location__map_latitude__isnull=False).order_by().values_list(*PLACE_COLUMNS)
    )


def map_places(rows: Iterable[tuple], language: str, origin: Point | None = None) -> list[dict]:
    """The places of ``rows`` (``place_rows``), one per location, numbered."""
    with translation.override(language):
        org_base = reverse("directory:organisation", args=["__slug__"])
    places: dict[int, dict] = {}
    for row in rows:
        (location_id, public_id, lat, lon, approximate, address, postal_code, commune_fr,
         commune_nl, org_fr, org_nl, org_slug, name_fr, name_nl, slug) = row  # fmt: skip
        place = places.get(location_id)
        org_url = org_base.replace("__slug__", org_slug)
        if place is None:
            place = places[location_id] = {
                "id": str(public_id),
                "lat": lat,
                "lon": lon,
                "approximate": approximate,
                "name": _tr(org_fr, org_nl, language),
                "address": address,
                "postal_code": postal_code,
                "commune": _tr(commune_fr or "", commune_nl or "", language),
                "url": org_url,
                "services": [],
            }
        place["services"].append(
            {"name": _tr(name_fr, name_nl, language), "url": f"{org_url}#service-{slug}"}
        )
    result = list(places.values())
    for place in result:
        place["services"].sort(key=lambda s: s["name"].lower())
        if origin is not None:
            place["distance_km"] = round(
                haversine_km(origin.latitude, origin.longitude, place["lat"], place["lon"]), 3
            )
            place["distance"] = format_km(place["distance_km"])
    if origin is not None:
        result.sort(key=lambda p: (p["distance_km"], p["name"].lower()))
    else:
        result.sort(key=lambda p: (p["name"].lower(), p["id"]))
    for number, place in enumerate(result, start=1):
        place["n"] = number
    return result


def feature_collection(places: list[dict], origin: Point | None = None) -> dict:
    """GeoJSON (RFC 7946: [longitude, latitude]) of ``map_places``."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": place["id"],
                "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                "properties": {k: v for k, v in place.items() if k not in ("lat", "lon", "id")},
            }
            for place in places
        ],
    }
    if origin is not None:
        collection["origin"] = {
            "type": "Point",
            "coordinates": [origin.longitude, origin.latitude],
            "approximate": origin.approximate,
        }
    return collection


def search_geojson(result, language: str, origin: Point | None, key: tuple) -> bytes:
    """The GeoJSON of the places of a search (``queries.SearchResult``). An indexed search
    reads its places from the index, and the body is kept with the index under ``key``
    (the request's filters and language) for the directory version."""

    def render() -> bytes:
        if result.index is None:
            rows = place_rows(result.matches()).iterator(chunk_size=5000)
        else:
            rows = result.index.place_rows(result.ids)
        collection = feature_collection(map_places(rows, language, origin), origin)
        return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()

    if result.index is None:
        return render()
    return result.index.kept_body(("geojson", language, key), render)


def my_list_places(entries: list[Service]) -> list[dict]:
    """The numbered entries of "My list" for its printed map: number = position in the
    list; entries without a map point (a help line) keep their number, no marker."""
    points = []
    for number, service in enumerate(entries, start=1):
        service.list_number = number
        location = service.location if service.location_id else None
        if location is not None and location.map_latitude is not None:
            points.append(
                {
                    "n": number,
                    "lat": location.map_latitude,
                    "lon": location.map_longitude,
                    "approximate": location.map_approximate,
                    "name": str(service.tr("name")),
                }
            )
    return points


def map_settings() -> dict:
    """What the map script needs from the settings (tile server and its attribution)."""
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "maxZoom": settings.MAP_TILE_MAX_ZOOM,
    }


def picker_settings() -> dict:
    """``map_settings`` plus what the coordinate picker loads (admin and edit link)."""
    return {
        **map_settings(),
        "centre": list(BRUSSELS_CENTRE),
        "leafletJs": static("vendor/leaflet-1.9.4/leaflet.js"),
        "leafletCss": static("vendor/leaflet-1.9.4/leaflet.css"),
        "label": str(_("Cliquez sur la carte ou déplacez le repère pour placer le lieu")),
    }
