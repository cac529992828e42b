"""PostgreSQL: GIN index on the facet keys used by the facet filters (no-op on SQLite)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_facets_gin "
            "ON directory_service USING gin (facet_keys jsonb_path_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_facets_gin")


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_indexes_inline_maintainer_language")]

    operations = [migrations.RunPython(create_index, drop_index)]
