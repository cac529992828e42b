"""The search reads the Snowball stems of ``search_text`` / ``search_title`` on every
database (SQL and each process's index): the PostgreSQL tsvector and its GIN index go,
and on PostgreSQL the stem columns get trigram indexes, so the SQL search (the
definition, answering inside transactions and with the index off) finds a stem with
an index scan rather than reading every row."""

from django.db import migrations

STEM_INDEXES = {
    "directory_service_text_trgm": "search_text",
    "directory_service_title_trgm": "search_title",
}


def to_stems(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_search_gin")
        for name, column in STEM_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} "
                f"ON directory_service USING gin ({column} gin_trgm_ops)"
            )


def to_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in STEM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_search_gin "
            "ON directory_service USING gin (search_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_location_map_point")]

    operations = [
        migrations.RunPython(to_stems, to_vector),
        migrations.RemoveField(model_name="service", name="search_vector"),
    ]
