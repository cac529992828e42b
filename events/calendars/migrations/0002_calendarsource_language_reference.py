"""A calendar source's default language: a code of the ``bassins.Language`` reference
(same column, same values; a code the reference lacks is added first). Reversible."""

import django.db.models.deletion
from django.db import migrations, models

NAMES = {
    "fr": ("Français", "Frans"),
    "nl": ("Néerlandais", "Nederlands"),
    "en": ("Anglais", "Engels"),
    "ar": ("Arabe", "Arabisch"),
    "tr": ("Turc", "Turks"),
    "es": ("Espagnol", "Spaans"),
    "pt": ("Portugais", "Portugees"),
    "ro": ("Roumain", "Roemeens"),
}


def add_missing_codes(apps, schema_editor):
    CalendarSource = apps.get_model("calendars", "CalendarSource")
    Language = apps.get_model("bassins", "Language")
    db = schema_editor.connection.alias
    known = set(Language.objects.using(db).values_list("code", flat=True))
    used = set(CalendarSource.objects.using(db).values_list("language", flat=True))
    for code in sorted(used - known):
        name_fr, name_nl = NAMES.get(code, (code, code))
        Language.objects.using(db).create(
            code=code, name_fr=name_fr, name_nl=name_nl, sort_order=100
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bassins", "0004_language"),
        ("calendars", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_missing_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calendarsource",
            name="language",
            field=models.ForeignKey(
                db_column="language",
                default="fr",
                help_text="Langue des événements quand le calendrier ne la précise pas.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="bassins.language",
                to_field="code",
                verbose_name="langue par défaut",
            ),
        ),
    ]
