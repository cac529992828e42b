"""PostgreSQL full-text search: the unaccent extension and a GIN index on the vector.

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


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_search_gin")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
