"""Five commune reference points corrected after checking them against the published
Wikipedia coordinates (directory.geo, docs/directory.md): places shown at their
commune's point (no coordinates of their own, ``map_approximate``) move with it.

The points are written out here rather than read from directory.geo, so that this
migration does the same thing whatever the table says later."""

from django.db import migrations

# slug -> (point before, point after), (latitude, longitude) in degrees.
CORRECTED = {
    "berchem-sainte-agathe": ((50.86667, 4.28333), (50.86667, 4.3)),
    "koekelberg": ((50.85, 4.33333), (50.86083, 4.33167)),
    "saint-gilles": ((50.83333, 4.33333), (50.82528, 4.345)),
    "woluwe-saint-lambert": ((50.85, 4.43333), (50.85, 4.41667)),
    "woluwe-saint-pierre": ((50.83333, 4.43333), (50.83333, 4.46667)),
}


def _move(apps, which: int) -> None:
    Location = apps.get_model("directory", "Location")
    for slug, points in CORRECTED.items():
        latitude, longitude = points[which]
        Location.objects.filter(map_approximate=True, commune__slug=slug).update(
            map_latitude=latitude, map_longitude=longitude
        )


def forwards(apps, schema_editor):
    _move(apps, 1)


def backwards(apps, schema_editor):
    _move(apps, 0)


class Migration(migrations.Migration):
    dependencies = [("directory", "0011_drop_search_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
