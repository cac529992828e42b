"""Demo agenda relative to ``today`` (``manage.py load_demo_data``); every row is_demo.

Shapes follow BRIEF "What goes on the agenda" (seeds 001 and 003): per bassin, a
monthly Rendez-vous de la Prévention Santé in five partner venues (one series per
venue), the three concertations thématiques, a Conseil de l'Action du Bassin and a
training proposed by an organisation; region-wide, one training cycle registered for
on Maillage as a whole series; plus one cancelled and one moved occurrence.
Venue names are generic ("Maison de quartier – Jette"): they claim no real partnership.
"""

from __future__ import annotations

import datetime
import zoneinfo

import recurrence
from django.db import transaction

from bassins.models import Bassin, Commune

from .models import Event, RegistrationMode, RegistrationScope
from .services import cancel_occurrence, move_occurrence, upsert_external_event

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
SOURCE = "demo"

VENUES: dict[str, list[tuple[str, str, str]]] = {
    "nord": [
        ("Maison de quartier – Jette", "Rue Léopold Ier 329", "1090"),
        ("Gemeenschapscentrum – Ganshoren", "Avenue de Villegas 41", "1083"),
        ("Lokaal dienstencentrum – Laeken", "Rue Marie-Christine 100", "1020"),
        ("Projet de cohésion sociale – Berchem-Sainte-Agathe", "Rue de Grand-Bigard 10", "1082"),
        ("AMO – Koekelberg", "Rue de l'Église Sainte-Anne 12", "1081"),
    ],
    "nord-est": [
        ("Maison de quartier – Schaerbeek", "Rue Royale Sainte-Marie 60", "1030"),
        ("Gemeenschapscentrum – Evere", "Rue de Paris 20", "1140"),
        ("Lokaal dienstencentrum – Saint-Josse", "Rue de la Limite 44", "1210"),
        ("Projet de cohésion sociale – Schaerbeek", "Avenue Rogier 150", "1030"),
        ("AMO – Evere", "Square Hoedemaekers 10", "1140"),
    ],
    "centre-ouest": [
        ("Maison de quartier – Molenbeek", "Rue de la Colonne 56", "1080"),
        ("Gemeenschapscentrum – Anderlecht", "Rue Wayez 38", "1070"),
        ("Lokaal dienstencentrum – Bruxelles Pentagone", "Rue Haute 298", "1000"),
        ("Projet de cohésion sociale – Anderlecht", "Boulevard Sylvain Dupuis 241", "1070"),
        ("AMO – Molenbeek", "Chaussée de Gand 105", "1080"),
    ],
    "sud": [
        ("Maison de quartier – Saint-Gilles", "Rue de Mérode 125", "1060"),
        ("Gemeenschapscentrum – Forest", "Chaussée de Bruxelles 110", "1190"),
        ("Lokaal dienstencentrum – Ixelles", "Rue Gray 102", "1050"),
        ("Projet de cohésion sociale – Uccle", "Rue du Doyenné 60", "1180"),
        ("AMO – Watermael-Boitsfort", "Place Keym 10", "1170"),
    ],
    "sud-est": [
        ("Maison de quartier – Etterbeek", "Rue des Champs 53", "1040"),
        ("Gemeenschapscentrum – Woluwe-Saint-Lambert", "Avenue Paul Hymans 117", "1200"),
        ("Lokaal dienstencentrum – Auderghem", "Boulevard du Souverain 189", "1160"),
        (
            "Projet de cohésion sociale – Woluwe-Saint-Pierre",
            "Avenue Charles Thielemans 93",
            "1150",
        ),
        ("AMO – Etterbeek", "Avenue d'Auderghem 115", "1040"),
    ],
}
# The programme's theme (seed 001): what a person filtering the agenda on prevention
# chooses. The theme of the month changes from one date to the next, so it is not a
# property of the series.
RENDEZVOUS_THEME = "prevention-promotion-sante"
# Dutch names of the venue kinds ("Maison de quartier – Jette" -> "Buurthuis – Jette").
VENUE_KINDS_NL = {
    "Maison de quartier": "Buurthuis",
    "Projet de cohésion sociale": "Project sociale cohesie",
}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
CONCERTATIONS = [
    (
        "prevention-promotion-sante",
        "Concertation prévention et promotion santé",
        "Overleg preventie en gezondheidspromotie",
    ),
    ("sante-mentale", "Concertation santé mentale", "Overleg geestelijke gezondheid"),
    (
        "liaison-hopital-ambulatoire",
        "Concertation liaison hôpital-ambulatoire",
        "Overleg verbinding ziekenhuis-ambulant",
    ),
]


def _venue_name_nl(venue: str, communes_nl: dict[str, str]) -> str:
    """The Dutch name of a demo venue, or "" when its name reads the same in Dutch."""
    kind, _, place = venue.partition(" – ")
    dutch = f"{VENUE_KINDS_NL.get(kind, kind)} – {communes_nl.get(place, place)}"
    return "" if dutch == venue else dutch


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _month_start(today: datetime.date, offset: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + offset
    return index // 12, index % 12 + 1


@transaction.atomic
def load(today: datetime.date, log=print) -> int:
    changes = 0

    def upsert(key: str, **fields) -> Event:
        nonlocal changes
        before = (
            Event.objects.filter(source=SOURCE, source_key=key)
            .values_list("sequence", flat=True)
            .first()
        )
        event = upsert_external_event(SOURCE, key, is_demo=True, **fields)
        changes += before is None or event.sequence != before
        return event

    first_series = None
    communes_nl = dict(Commune.objects.values_list("name_fr", "name_nl"))
    communes_nl["Bruxelles Pentagone"] = "Brussel Vijfhoek"
    for b_index, bassin in enumerate(Bassin.objects.order_by("sort_order")):
        year, month = _month_start(today, -2)
        for v_index, (venue, address, postal_code) in enumerate(VENUES.get(bassin.slug, [])):
            place = venue.split(" – ")[-1]
            weekday = (b_index + v_index) % 5
            nth = 1 + v_index % 3
            day = _nth_weekday(year, month, weekday, nth)
            rule = f"RRULE:FREQ=MONTHLY;COUNT=12;BYDAY={nth}{WEEKDAYS[weekday]}"
            event = upsert(
                f"rdv-{bassin.slug}-{v_index}",
                kind_slug="rendez-vous-prevention",
                title_fr=f"Rendez-vous de la Prévention Santé – {place}",
                title_nl=f"Preventieafspraak – {communes_nl.get(place, place)}",
                description_fr=(
                    "Atelier collectif mensuel sur la thématique de prévention du mois, "
                    "avec les partenaires du quartier. Ouvert aux habitant·es. "
                    "(Donnée de démonstration.)"
                ),
                description_nl=(
                    "Maandelijkse groepsworkshop over het preventiethema van de maand, "
                    "met de partners uit de wijk. Open voor bewoners. (Demogegevens.)"
                ),
                bassins=[bassin],
                start=_at(day, 14 if v_index % 2 else 10),
                end=_at(day, 16 if v_index % 2 else 12),
                venue_name=venue,
                venue_name_nl=_venue_name_nl(venue, communes_nl),
                venue_address=address,
                postal_code=postal_code,
                audience="residents",
                languages=["fr", "nl"],
                organiser=f"Bassin {bassin.name_fr}",
                organiser_nl=f"Zorgzone {bassin.name_nl}",
                themes=[RENDEZVOUS_THEME],
                recurrence=recurrence.deserialize(rule),
            )
            first_series = first_series or event
        for c_index, (theme, title_fr, title_nl) in enumerate(CONCERTATIONS):
            y, m = _month_start(today, c_index % 2)
            day = _nth_weekday(y, m, 3, 2 + c_index % 2)
            upsert(
                f"ct-{bassin.slug}-{theme}",
                kind_slug="concertation",
                title_fr=f"{title_fr} – bassin {bassin.name_fr}",
                title_nl=f"{title_nl} – zorgzone {bassin.name_nl}",
                description_fr="Concertation thématique du bassin. (Donnée de démonstration.)",
                description_nl="Thematisch overleg van de zorgzone. (Demogegevens.)",
                bassins=[bassin],
                start=_at(day, 9, 30),
                end=_at(day, 12),
                venue_name=VENUES[bassin.slug][0][0],
                themes=[theme],
                recurrence=recurrence.deserialize("RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=6"),
            )
        y, m = _month_start(today, 1)
        cab_day = _nth_weekday(y, m, 1, 3)
        upsert(
            f"cab-{bassin.slug}",
            kind_slug="cab",
            title_fr=f"Conseil de l'Action du Bassin {bassin.name_fr}",
            title_nl=f"Raad voor de Actie van de Zorgzone {bassin.name_nl}",
            description_fr="Réunion du CAB. (Donnée de démonstration.)",
            description_nl="Vergadering van de RAB. (Demogegevens.)",
            bassins=[bassin],
            start=_at(cab_day, 9),
            end=_at(cab_day, 12, 30),
            venue_name=VENUES[bassin.slug][1][0],
        )
        training_day = today + datetime.timedelta(days=10 + 3 * b_index)
        upsert(
            f"formation-{bassin.slug}",
            kind_slug="formation",
            title_fr="Formation : repérer et orienter les situations de précarité",
            title_nl="Opleiding: kwetsbare situaties herkennen en doorverwijzen",
            description_fr="Formation proposée par une organisation. (Donnée de démonstration.)",
            description_nl="Opleiding voorgesteld door een organisatie. (Demogegevens.)",
            bassins=[bassin],
            start=_at(training_day, 13, 30),
            end=_at(training_day, 16, 30),
            venue_name=VENUES[bassin.slug][2][0],
            organiser="ASBL de démonstration",
            organiser_nl="Demovzw",
            audience="professionals",
        )
    # A region-wide training cycle: one registration on Maillage books its four weekly
    # sessions from one pool of places. Its first Thursday is one to two weeks ahead, so
    # the demo takes registrations on the day it is loaded.
    cycle_day = today + datetime.timedelta(days=7 + (3 - today.weekday()) % 7)
    venue, address, postal_code = VENUES["centre-ouest"][2]
    upsert(
        "cycle-sante-mentale",
        kind_slug="formation",
        title_fr="Cycle de formation : premiers secours en santé mentale (4 séances)",
        title_nl="Opleidingscyclus: eerste hulp bij psychische problemen (4 sessies)",
        description_fr=(
            "Quatre jeudis après-midi pour repérer une détresse psychique, en parler et "
            "orienter vers l'aide adaptée. Une seule inscription vaut pour les quatre "
            "séances. (Donnée de démonstration.)"
        ),
        description_nl=(
            "Vier donderdagnamiddagen om psychische nood te herkennen, bespreekbaar te "
            "maken en naar de juiste hulp door te verwijzen. Eén inschrijving geldt voor "
            "de vier sessies. (Demogegevens.)"
        ),
        bassins=[],
        start=_at(cycle_day, 13, 30),
        end=_at(cycle_day, 16, 30),
        venue_name=venue,
        venue_name_nl=_venue_name_nl(venue, communes_nl),
        venue_address=address,
        postal_code=postal_code,
        organiser="ASBL de démonstration",
        organiser_nl="Demovzw",
        audience="professionals",
        languages=["fr", "nl"],
        themes=["sante-mentale"],
        recurrence=recurrence.deserialize("RRULE:FREQ=WEEKLY;COUNT=4"),
        registration=RegistrationMode.INTERNAL,
        registration_scope=RegistrationScope.SERIES,
        capacity=12,
    )
    if first_series is not None:
        upcoming = list(
            first_series.occurrences.filter(start__date__gte=today).order_by("start")[:3]
        )
        if len(upcoming) >= 3:
            cancelled, moved = upcoming[1], upcoming[2]
            if cancelled.status != "cancelled":
                cancel_occurrence(
                    first_series,
                    cancelled.recurrence_id,
                    "Salle indisponible (démo)",
                    "Zaal niet beschikbaar (demo)",
                )
                changes += 1
            if moved.status != "moved":
                move_occurrence(
                    first_series,
                    moved.recurrence_id,
                    start=moved.start + datetime.timedelta(days=1),
                    venue_name="Salle communale (démo)",
                )
                changes += 1
    log(f"events demo: {changes} change(s)")
    return changes
