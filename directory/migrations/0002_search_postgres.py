"""PostgreSQL search: the unaccent extension, GIN indexes on the vector and the facet keys.

Both are skipped on SQLite: ``CreateExtension`` already does nothing on other
vendors, and the index is created with vendor-checked SQL.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_search_gin "
            "ON directory_service USING gin (search_vector)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_facets_gin "
            "ON directory_service USING gin (facet_keys jsonb_path_ops)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_search_gin")
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_facets_gin")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
