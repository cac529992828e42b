"""Reference data of the agenda, loaded by ``manage.py load_reference_data``.

Kinds are editable data (``EventKind``); this only seeds them. Sources:
seed 001 (CAR #3, March 2025) for the Rendez-vous de la Prévention Santé, the
Semaines Portes Ouvertes and the three concertations thématiques; seed 002
(Ateliers du Changement) for trainings and activities proposed by organisations;
BRIEF "What goes on the agenda" for CAR #4 and the regional Atelier du Changement.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction

from bassins.models import Theme
from bassins.reference import upsert
from core.beat import BeatEntry, ensure_beat_entries

from .models import Event, EventKind
from .services import upsert_external_event

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

# (slug, name_fr, name_nl, proposable by organisations)
KINDS: list[tuple[str, str, str, bool]] = [
    ("portes-ouvertes", "Semaine Portes Ouvertes", "Opendeurweek", False),
    ("rendez-vous-prevention", "Rendez-vous de la Prévention Santé", "Preventieafspraak", False),
    ("concertation", "Concertation thématique", "Thematisch overleg", False),
    ("cab", "Conseil de l'Action du Bassin", "Raad voor de Actie van het Bassin", False),
    ("car", "Conseil de l'Action Régionale", "Raad voor de Regionale Actie", False),
    ("formation", "Formation", "Opleiding", True),
    ("autre", "Autre activité", "Andere activiteit", True),
]

# Seed 001: the three concertations thématiques held in each bassin (editable via Themes).
CONCERTATION_THEMES: list[tuple[str, str, str]] = [
    (
        "prevention-promotion-sante",
        "Prévention et promotion santé",
        "Preventie en gezondheidspromotie",
    ),
    ("sante-mentale", "Santé mentale", "Geestelijke gezondheid"),
    (
        "liaison-hopital-ambulatoire",
        "Liaison hôpital-ambulatoire",
        "Verbinding ziekenhuis-ambulant",
    ),
]

PERIODIC_TASKS = [
    BeatEntry(
        "events: extend occurrence horizon", "events.tasks.extend_horizon", minute="15", hour="3"
    ),
]

# Real regional events (BRIEF "Meetings", from seed 001).
REGIONAL_EVENTS: list[dict] = [
    {
        "key": "car-4-2025",
        "kind_slug": "car",
        "title_fr": "Conseil de l'Action Régionale #4",
        "title_nl": "Raad voor de Regionale Actie #4",
        "start": datetime.datetime(2025, 7, 1, 9, 0, tzinfo=BRUSSELS),
        "end": datetime.datetime(2025, 7, 1, 13, 0, tzinfo=BRUSSELS),
    },
    {
        "key": "atelier-changement-2025-03-12",
        "kind_slug": "autre",
        "title_fr": "Atelier du Changement régional",
        "title_nl": "Regionale Veranderingsworkshop",
        "start": datetime.datetime(2025, 3, 12, 13, 0, tzinfo=BRUSSELS),
        "end": datetime.datetime(2025, 3, 12, 16, 0, tzinfo=BRUSSELS),
    },
]


@transaction.atomic
def load(log=print) -> int:
    changes = 0
    for order, (slug, name_fr, name_nl, proposable) in enumerate(KINDS):
        _, changed = upsert(
            EventKind,
            {"slug": slug},
            {
                "name_fr": name_fr,
                "name_nl": name_nl,
                "is_proposable": proposable,
                "sort_order": order,
            },
        )
        changes += changed
    for slug, name_fr, name_nl in CONCERTATION_THEMES:
        if not Theme.objects.filter(slug=slug).exists():
            Theme.objects.create(slug=slug, name_fr=name_fr, name_nl=name_nl)
            changes += 1
    for data in REGIONAL_EVENTS:
        data = dict(data)
        key = data.pop("key")
        before = _fingerprint(key)
        event = upsert_external_event("reference", key, bassins=[], venue_name="", **data)
        changes += _fingerprint(key) != before
        del event
    ensure_beat_entries(PERIODIC_TASKS)
    log(f"events: {changes} change(s)")
    return changes


def _fingerprint(key: str):
    return (
        Event.objects.filter(source="reference", source_key=key)
        .values_list("sequence", "pk")
        .first()
    )
