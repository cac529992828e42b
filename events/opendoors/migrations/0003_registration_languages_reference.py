"""Registration.languages: from a JSON list of codes to links to ``bassins.Language``.

Every code is kept: a code the reference does not know yet is added to it ("other" is
the reference's "other languages"). Reversible.
"""

from django.db import migrations, models

NAMES = {
    "fr": ("Français", "Frans"),
    "nl": ("Néerlandais", "Nederlands"),
    "en": ("Anglais", "Engels"),
    "other": ("Autres langues", "Andere talen"),
}


def codes_to_links(apps, schema_editor):
    Registration = apps.get_model("opendoors", "Registration")
    Language = apps.get_model("bassins", "Language")
    db = schema_editor.connection.alias
    links = []
    languages = {language.code: language for language in Language.objects.using(db).all()}
    for registration_id, codes in Registration.objects.using(db).values_list(
        "pk", "language_codes"
    ):
        for code in dict.fromkeys(str(c).strip().lower() for c in codes or [] if str(c).strip()):
            if code not in languages:
                name_fr, name_nl = NAMES.get(code, (code, code))
                languages[code] = Language.objects.using(db).create(
                    code=code[:8], name_fr=name_fr, name_nl=name_nl, sort_order=len(languages)
                )
            links.append(
                Registration.languages.through(
                    registration_id=registration_id, language=languages[code]
                )
            )
    Registration.languages.through.objects.using(db).bulk_create(links, batch_size=1000)


def links_to_codes(apps, schema_editor):
    Registration = apps.get_model("opendoors", "Registration")
    db = schema_editor.connection.alias
    for registration in Registration.objects.using(db).prefetch_related("languages"):
        registration.language_codes = [language.code for language in registration.languages.all()]
        registration.save(update_fields=["language_codes"])


class Migration(migrations.Migration):
    dependencies = [
        ("bassins", "0004_language"),
        ("opendoors", "0002_registration_directory_organisation"),
    ]

    operations = [
        migrations.RenameField(
            model_name="registration", old_name="languages", new_name="language_codes"
        ),
        migrations.AddField(
            model_name="registration",
            name="languages",
            field=models.ManyToManyField(
                related_name="+", to="bassins.language", verbose_name="langues parlées"
            ),
        ),
        migrations.RunPython(codes_to_links, links_to_codes),
        migrations.RemoveField(model_name="registration", name="language_codes"),
    ]
