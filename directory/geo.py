"""Places on the map: commune reference points, distances, coordinate checks.

A location's map point is its entered coordinates; without them, the reference point
of its commune, flagged *approximate* (the page says "position approximative").

Commune points (``COMMUNE_POINTS``): each commune's reference point as a Wikipedia
infobox publishes it (the commune's article; Wikidata property P625, "coordinate
location"), near its centre or town hall, not a computed polygon centroid. Each row
names the edition that confirms it. A point is kept where a published infobox gives the
same figure at whole-minute precision (about 1 km, which is what "approximate"
promises); where none did, it was replaced by the most precise figure published.
docs/directory.md lists what each edition says and what was corrected. To use true
polygon centroids instead (UrbIS / Statbel commune boundaries), replace the table;
nothing else depends on how the points were obtained.

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

# slug -> (latitude north, longitude east) in degrees; the comment gives the figure as
# published and where (see the module docstring).
COMMUNE_POINTS: dict[str, tuple[float, float]] = {
    "anderlecht": (50.83333, 4.3),  # ru.wikipedia 50°50′ N, 4°18′ E
    "auderghem": (50.81667, 4.43333),  # de., en.wikipedia 50°49′ N, 4°26′ E
    "berchem-sainte-agathe": (50.86667, 4.3),  # en.wikipedia 50°52′ N, 4°18′ E (corrected)
    "bruxelles": (50.85, 4.35),  # en.wikipedia 50°50′48″ N, 4°21′09″ E
    "etterbeek": (50.83333, 4.38333),  # en., de.wikipedia 50°50′ N, 4°23′ E
    "evere": (50.86667, 4.4),  # en., de.wikipedia 50°52′ N, 4°24′ E
    "forest": (50.81667, 4.31667),  # en.wikipedia 50°48′47″ N, 4°19′29″ E
    "ganshoren": (50.86667, 4.3),  # es., ru.wikipedia 50°52′13″ N, 4°18′28″ E
    "ixelles": (50.83333, 4.36667),  # en.wikipedia 50°50′ N, 4°22′ E
    "jette": (50.86667, 4.33333),  # en., de.wikipedia 50°52′ N, 4°20′ E
    "koekelberg": (50.86083, 4.33167),  # de.wikipedia 50.8608° N, 4.3317° E (corrected)
    "molenbeek-saint-jean": (50.85, 4.31667),  # en.wikipedia 50°51′28″ N, 4°18′57″ E
    "saint-gilles": (50.82528, 4.345),  # de.wikipedia 50.8253° N, 4.3450° E (corrected)
    "saint-josse-ten-noode": (50.85, 4.36667),  # de.wikipedia 50°51′ N, 4°22′ E
    "schaerbeek": (50.86667, 4.38333),  # bg.wikipedia 50.867° N, 4.383° E
    "uccle": (50.8, 4.33333),  # en.wikipedia 50°48′ N, 4°20′ E
    "watermael-boitsfort": (50.8, 4.41667),  # en.wikipedia 50°48′ N, 4°25′ E
    "woluwe-saint-lambert": (50.85, 4.41667),  # en., de.wikipedia 50°51′ N, 4°25′ E (corrected)
    "woluwe-saint-pierre": (50.83333, 4.46667),  # en., de.wikipedia 50°50′ N, 4°28′ E (corrected)
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
