# The spoken-language reference moves here from the directory (rows copied by
# directory 0005, which keeps their ids): events and open-door weeks use it too.

import core.i18n
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bassins', '0003_bassinteam'),
    ]

    operations = [
        migrations.CreateModel(
            name='Language',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=8, unique=True, verbose_name='code ISO 639-1')),
                ('name_fr', models.CharField(max_length=60, verbose_name='nom (FR)')),
                ('name_nl', models.CharField(max_length=60, verbose_name='nom (NL)')),
                ('sort_order', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'langue',
                'ordering': ['sort_order', 'code'],
            },
            bases=(core.i18n.BilingualNameMixin, models.Model),
        ),
    ]
