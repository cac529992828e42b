"""Event.languages: from comma-separated codes ("fr,nl") to links to ``bassins.Language``.

Every code is kept: a code the reference does not know yet is added to it (named after
the agenda's former labels, or the code itself). Reversible.
"""

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


def codes_to_links(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Language = apps.get_model("bassins", "Language")
    db = schema_editor.connection.alias
    links = []
    languages = {language.code: language for language in Language.objects.using(db).all()}
    for event_id, text in Event.objects.using(db).values_list("pk", "language_codes"):
        for code in dict.fromkeys(c.strip().lower() for c in text.split(",") if c.strip()):
            if code not in languages:
                name_fr, name_nl = NAMES.get(code, (code, code))
                languages[code] = Language.objects.using(db).create(
                    code=code[:8], name_fr=name_fr, name_nl=name_nl, sort_order=len(languages)
                )
            links.append(Event.languages.through(event_id=event_id, language=languages[code]))
    Event.languages.through.objects.using(db).bulk_create(links, batch_size=1000)


def links_to_codes(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    db = schema_editor.connection.alias
    for event in Event.objects.using(db).prefetch_related("languages"):
        event.language_codes = ",".join(language.code for language in event.languages.all())
        event.save(update_fields=["language_codes"])


class Migration(migrations.Migration):
    dependencies = [
        ("bassins", "0004_language"),
        ("events", "0002_event_venue_organiser_nl"),
    ]

    operations = [
        migrations.RenameField(model_name="event", old_name="languages", new_name="language_codes"),
        migrations.AddField(
            model_name="event",
            name="languages",
            field=models.ManyToManyField(
                blank=True, related_name="events", to="bassins.language", verbose_name="langues"
            ),
        ),
        migrations.RunPython(codes_to_links, links_to_codes),
        migrations.RemoveField(model_name="event", name="language_codes"),
    ]
