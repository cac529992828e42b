"""The directory's languages become the shared reference ``bassins.Language``.

The rows are copied with their ids, so the services' and phones' links only change the
table they point to. Reversible: going back copies the rows to ``directory_language`` (but for codes longer
than its two letters).
"""

from django.core.management.color import no_style
from django.db import migrations, models


def _copy(apps, schema_editor, source, target):
    Source = apps.get_model(*source)
    Target = apps.get_model(*target)
    db = schema_editor.connection.alias
    width = Target._meta.get_field("code").max_length
    rows = list(Source.objects.using(db).all())
    # Going back, codes longer than the directory's two letters ("other") cannot be kept.
    too_long = [row.pk for row in rows if len(row.code) > width]
    if too_long:
        for model_name in ("Service", "Phone"):
            through = apps.get_model("directory", model_name).languages.through
            through.objects.using(db).filter(language_id__in=too_long).delete()
    Target.objects.using(db).bulk_create(
        Target(
            pk=row.pk,
            code=row.code,
            name_fr=row.name_fr,
            name_nl=row.name_nl,
            sort_order=row.sort_order,
        )
        for row in rows
        if row.pk not in too_long
    )
    # Rows inserted with their ids: the next id must follow them (PostgreSQL sequences).
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Target]):
            cursor.execute(sql)


def to_bassins(apps, schema_editor):
    _copy(apps, schema_editor, ("directory", "Language"), ("bassins", "Language"))


def to_directory(apps, schema_editor):
    _copy(apps, schema_editor, ("bassins", "Language"), ("directory", "Language"))


class Migration(migrations.Migration):
    dependencies = [
        ("bassins", "0004_language"),
        ("directory", "0004_facet_keys_gin"),
    ]
    # Before any other app adds languages to the reference, so the copied ids are free.
    run_before = [
        ("events", "0003_event_languages_reference"),
        ("opendoors", "0003_registration_languages_reference"),
        ("calendars", "0002_calendarsource_language_reference"),
    ]

    operations = [
        migrations.RunPython(to_bassins, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="phone",
            name="languages",
            field=models.ManyToManyField(blank=True, related_name="phones", to="bassins.language"),
        ),
        migrations.AlterField(
            model_name="service",
            name="languages",
            field=models.ManyToManyField(
                blank=True, related_name="services", to="bassins.language"
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, to_directory),
        migrations.DeleteModel(name="Language"),
    ]
