"""Places on the map: commune reference points, distances, coordinate checks.

A location's map point is its entered coordinates; without them, the reference point
of its commune, flagged *approximate* (the page says "position approximative").

Commune points (``COMMUNE_POINTS``) — source: the coordinates published for each of
the 19 communes of the Brussels-Capital Region in the infobox of its French-language
Wikipedia article (Wikidata property P625, "coordinate location"), which give them in
degrees and whole minutes. They are each commune's reference point (near its centre
or town hall), not a computed polygon centroid; at whole-minute precision a point is
within about 1 km of the published one, which is what "approximate" promises. To use
true polygon centroids instead (UrbIS / Statbel commune boundaries), replace the
table; nothing else depends on how the points were obtained.

Distances: ``haversine_km`` (great circle, mean Earth radius 6,371 km). Sorting a
search by distance happens in SQL with ``distance_order_expression``, the squared
equirectangular distance (longitude differences scaled by cos(latitude of origin)):
plain arithmetic that SQLite and PostgreSQL both evaluate and that orders points of
the Region exactly as the haversine does to well under a metre at this scale. The
kilometres shown are the haversine's, computed in Python for the rows displayed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_KM = 6371.0

# slug -> ((degrees, minutes) north, (degrees, minutes) east), see the module docstring.
COMMUNE_DMS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "anderlecht": ((50, 50), (4, 18)),
    "auderghem": ((50, 49), (4, 26)),
    "berchem-sainte-agathe": ((50, 52), (4, 17)),
    "bruxelles": ((50, 51), (4, 21)),
    "etterbeek": ((50, 50), (4, 23)),
    "evere": ((50, 52), (4, 24)),
    "forest": ((50, 49), (4, 19)),
    "ganshoren": ((50, 52), (4, 18)),
    "ixelles": ((50, 50), (4, 22)),
    "jette": ((50, 52), (4, 20)),
    "koekelberg": ((50, 51), (4, 20)),
    "molenbeek-saint-jean": ((50, 51), (4, 19)),
    "saint-gilles": ((50, 50), (4, 20)),
    "saint-josse-ten-noode": ((50, 51), (4, 22)),
    "schaerbeek": ((50, 52), (4, 23)),
    "uccle": ((50, 48), (4, 20)),
    "watermael-boitsfort": ((50, 48), (4, 25)),
    "woluwe-saint-lambert": ((50, 51), (4, 26)),
    "woluwe-saint-pierre": ((50, 50), (4, 26)),
}


def _decimal(dm: tuple[int, int]) -> float:
    return round(dm[0] + dm[1] / 60, 5)


COMMUNE_POINTS: dict[str, tuple[float, float]] = {
    slug: (_decimal(lat), _decimal(lon)) for slug, (lat, lon) in COMMUNE_DMS.items()
}

# The Region's centre, where the map opens when it has nothing to show.
BRUSSELS_CENTRE = (50.8466, 4.3528)
# Coordinates of a place in the directory must fall in Belgium (with a margin): a
# latitude and longitude typed the wrong way round (4.35, 50.85) is caught.
BELGIUM_BOX = {"lat": (49.4, 51.6), "lon": (2.4, 6.5)}


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    approximate: bool = False


def commune_point(slug: str | None) -> Point | None:
    found = COMMUNE_POINTS.get(slug or "")
    return Point(found[0], found[1], approximate=True) if found else None


def haversine_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    d_phi = phi2 - phi1
    d_lambda = math.radians(b_lon - a_lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_order_expression(origin: Point, lat_field: str, lon_field: str):
    """Squared equirectangular distance from ``origin`` (degrees², for ORDER BY only)."""
    k = math.cos(math.radians(origin.latitude))
    d_lat = F(lat_field) - Value(origin.latitude)
    d_lon = (F(lon_field) - Value(origin.longitude)) * Value(k)
    return ExpressionWrapper(d_lat * d_lat + d_lon * d_lon, output_field=FloatField())


def check_coordinates(latitude, longitude) -> None:
    """The model's rule for entered coordinates: both or neither, inside Belgium."""
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            _("Indiquez la latitude et la longitude, ou aucune des deux."), code="incomplete"
        )
    if latitude is None:
        return
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError, ArithmeticError):
        return  # not a number: the field's own validation says so
    lat_min, lat_max = BELGIUM_BOX["lat"]
    lon_min, lon_max = BELGIUM_BOX["lon"]
    if not (lat_min <= latitude <= lat_max and lon_min <= longitude <= lon_max):
        raise ValidationError(
            _(
                "Ces coordonnées sont hors de Belgique (latitude vers 50,8 et longitude "
                "vers 4,4 à Bruxelles) : latitude et longitude inversées ?"
            ),
            code="outside",
        )


def format_km(distance: float | None) -> str:
    if distance is None:
        return ""
    if distance < 1:
        return f"{round(distance * 1000, -1):.0f} m"
    return f"{distance:.1f} km".replace(".", ",")
