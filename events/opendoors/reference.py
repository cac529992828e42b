"""Reference data of the Semaines Portes Ouvertes, and their scheduled tasks.

The 2025 editions come from seed 001 (Conseil de l'Action Régionale #3, March
2025: "Le programme 2025 est disponible : Backstage - Nord-Est : du 12 au 16 mai,
Patch'work - Centre-Ouest : du 19 au 23 mai, Le Grand Bain - Sud-Est : du 3 au 7
novembre, Melting Papot' - Sud : du 17 au 21 novembre, Babbel No·o·rd - Nord :
du 1er au 5 décembre"). Seed 002 describes the sessions of 3 hours offered twice
a day (9h-12h, 14h-17h): they are the weeks' default slot formats. The
registration and booking windows are not in the seeds; we set registration from
ten weeks to four weeks before the week and booking from four weeks before to the
Thursday of the week, which the teams adjust in the admin.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from bassins.models import Bassin
from bassins.reference import upsert
from bassins.rights import team_groups
from core.beat import BeatEntry, ensure_beat_entries

from .models import OpenDoorWeek, default_slot_formats

SOURCE = "seed 001 (CAR #3, mars 2025)"

# (bassin slug, slug, name FR, name NL, first day, last day) — seed 001.
EDITIONS_2025 = [
    ("nord-est", "backstage-2025", "Backstage", "Backstage", "2025-05-12", "2025-05-16"),
    ("centre-ouest", "patchwork-2025", "Patch'work", "Patch'work", "2025-05-19", "2025-05-23"),
    ("sud-est", "le-grand-bain-2025", "Le Grand Bain", "Le Grand Bain", "2025-11-03", "2025-11-07"),
    ("sud", "melting-papot-2025", "Melting Papot'", "Melting Papot'", "2025-11-17", "2025-11-21"),
    ("nord", "babbel-noord-2025", "Babbel No·o·rd", "Babbel No·o·rd", "2025-12-01", "2025-12-05"),
]

DESCRIPTION_FR = (
    "Les organisations social-santé du bassin {bassin} ouvrent leurs portes : "
    "les professionnel·les réservent une visite pour découvrir leurs services et "
    "rencontrer leurs équipes."
)
DESCRIPTION_NL = (
    "De social-gezondheidsorganisaties van zorgzone {bassin} openen hun deuren: "
    "professionals reserveren een bezoek om hun diensten en teams te leren kennen."
)

# name, task, crontab (minute, hour) in Europe/Brussels.
PERIODIC_TASKS = [
    BeatEntry(
        "Portes ouvertes : rappels de la veille",
        "events.opendoors.tasks.send_visit_reminders",
        minute="0",
        hour="17",
    ),
    BeatEntry(
        "Portes ouvertes : formulaire d'appréciation",
        "events.opendoors.tasks.send_appreciation_requests",
        minute="0",
        hour="10",
    ),
    BeatEntry(
        "Portes ouvertes : effacement des données des visiteurs",
        "events.opendoors.tasks.erase_expired_visitor_data",
        minute="30",
        hour="3",
    ),
]


def week_values(bassin, name_fr, name_nl, start, end) -> dict:
    team = team_groups(bassin).first()
    return {
        "bassin": bassin,
        "year": start.year,
        "name_fr": name_fr,
        "name_nl": name_nl,
        "start_date": start,
        "end_date": end,
        "description_fr": DESCRIPTION_FR.format(bassin=bassin.name_fr),
        "description_nl": DESCRIPTION_NL.format(bassin=bassin.name_nl),
        "registration_opens": start - datetime.timedelta(weeks=10),
        "registration_closes": start - datetime.timedelta(weeks=4, days=1),
        "booking_opens": start - datetime.timedelta(weeks=4),
        "booking_closes": end - datetime.timedelta(days=1),
        "slot_formats": default_slot_formats(),
        "team": team,
    }


@transaction.atomic
def load(log=print) -> int:
    """Create or update the 2025 weeks (seed 001) and the beat tasks. Idempotent."""
    changes = 0
    bassins = {b.slug: b for b in Bassin.objects.all()}
    for bassin_slug, slug, name_fr, name_nl, start, end in EDITIONS_2025:
        bassin = bassins.get(bassin_slug)
        if bassin is None:
            log(f"opendoors: bassin {bassin_slug} missing, week {slug} skipped")
            continue
        values = week_values(
            bassin,
            name_fr,
            name_nl,
            datetime.date.fromisoformat(start),
            datetime.date.fromisoformat(end),
        )
        values["slug"] = slug
        values["source"] = SOURCE
        lookup = {"bassin": values.pop("bassin"), "year": values.pop("year"), "is_demo": False}
        _, changed = upsert(OpenDoorWeek, lookup, values)
        changes += changed
    changes += ensure_beat_entries(PERIODIC_TASKS)
    log(f"opendoors: {changes} change(s)")
    return changes
