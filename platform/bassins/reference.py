"""Reference data of the bassins, loaded by ``manage.py load_reference_data``.

Every fact cites its seed file in ``../shared/seeds/`` (see ../shared/BRIEF.md).
The loader is idempotent: it upserts on natural keys and saves nothing that is
already equal, so a second run changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from wagtail.search import index

from .models import Bassin, BassinArea, Commune, Language, PostalCode, Theme
from .pages import ensure_site_pages

# Seed 003 (Panorama 1, §3.4.1.3): communes, population on 01/01/2024, CPPS target.
# Seed 000 (Forum des pratiques prometteuses): helpdesk phone and e-mail per bassin.
# Seed 004 (CAR #2): priority themes identified per bassin.
# The spoken languages the agenda, the open-door weeks and the directory offer
# (seed 000: the help lines' languages), in the order forms list them.
LANGUAGES = [
    ("fr", "Français", "Frans"),
    ("nl", "Néerlandais", "Nederlands"),
    ("en", "Anglais", "Engels"),
    ("de", "Allemand", "Duits"),
    ("ar", "Arabe", "Arabisch"),
    ("tr", "Turc", "Turks"),
    ("es", "Espagnol", "Spaans"),
    ("ru", "Russe", "Russisch"),
    ("ro", "Roumain", "Roemeens"),
    ("pl", "Polonais", "Pools"),
    ("pt", "Portugais", "Portugees"),
    ("uk", "Ukrainien", "Oekraïens"),
    ("ln", "Lingala", "Lingala"),
    ("hy", "Arménien", "Armeens"),
    (Language.OTHER, "Autres langues", "Andere talen"),
]

POPULATION_DATE = datetime.date(2024, 1, 1)
HELPDESK_HOURS_FR = "Lundi au vendredi, 9h-17h"
HELPDESK_HOURS_NL = "Maandag tot vrijdag, 9u-17u"

BASSINS: list[dict] = [
    {
        "slug": "nord",
        "name_fr": "Nord",
        "name_nl": "Noord",
        "population": 223_509,
        "cpps_target": 4,
        "helpdesk_phone": "02 318 60 54",
        "helpdesk_email": "info@bassin-nord.brussels",
        "priority_themes_fr": "Continuité de l'aide et des soins pour les ex-détenu·es\n"
        "Accès à l'alimentation\nSanté mentale",
        "priority_themes_nl": "Continuïteit van hulp en zorg voor ex-gedetineerden\n"
        "Toegang tot voeding\nGeestelijke gezondheid",
        "areas": [
            ("berchem-sainte-agathe", "", ""),
            ("ganshoren", "", ""),
            ("jette", "", ""),
            ("koekelberg", "", ""),
            (
                "bruxelles",
                "Laeken, Neder-Over-Heembeek et Haren",
                "Laken, Neder-Over-Heembeek en Haren",
            ),
        ],
    },
    {
        "slug": "nord-est",
        "name_fr": "Nord-Est",
        "name_nl": "Noordoost",
        "population": 201_921,
        "cpps_target": 4,
        "helpdesk_phone": "02 318 60 57",
        "helpdesk_email": "info@bassin-nord-est.brussels",
        "priority_themes_fr": "Accès à l'alimentation\nAccès au logement\nRéseau VG(C)",
        "priority_themes_nl": "Toegang tot voeding\nToegang tot huisvesting\nVG(C)-netwerk",
        "areas": [
            ("evere", "", ""),
            ("schaerbeek", "", ""),
            ("saint-josse-ten-noode", "", ""),
        ],
    },
    {
        "slug": "centre-ouest",
        "name_fr": "Centre-Ouest",
        "name_nl": "Centrum-West",
        "population": 312_616,
        "cpps_target": 5,
        "helpdesk_phone": "02 880 29 87",
        "helpdesk_email": "info@bassin-centre-ouest.brussels",
        "priority_themes_fr": "Aide et soins pour les personnes en situation "
        "d'hyper vulnérabilité\n"
        "Logement",
        "priority_themes_nl": "Hulp en zorg voor mensen in een situatie van hyperkwetsbaarheid\n"
        "Huisvesting",
        "areas": [
            ("anderlecht", "", ""),
            ("molenbeek-saint-jean", "", ""),
            ("bruxelles", "Pentagone et quartier européen", "Vijfhoek en Europese wijk"),
        ],
    },
    {
        "slug": "sud",
        "name_fr": "Sud",
        "name_nl": "Zuid",
        "population": 319_935,
        "cpps_target": 3,
        "helpdesk_phone": "02 880 29 88",
        "helpdesk_email": "info@bassin-sud.brussels",
        "priority_themes_fr": "Continuité de l'aide et des soins pour les ex-détenu·es\n"
        "Aides spécifiques et soins spécialisés à domicile",
        "priority_themes_nl": "Continuïteit van hulp en zorg voor ex-gedetineerden\n"
        "Specifieke hulp en gespecialiseerde thuiszorg",
        "areas": [
            ("forest", "", ""),
            ("ixelles", "", ""),
            ("saint-gilles", "", ""),
            ("uccle", "", ""),
            ("watermael-boitsfort", "", ""),
            ("bruxelles", "avenue Louise", "Louizalaan"),
        ],
    },
    {
        "slug": "sud-est",
        "name_fr": "Sud-Est",
        "name_nl": "Zuidoost",
        "population": 188_155,
        "cpps_target": 3,
        "helpdesk_phone": "02 318 60 58",
        "helpdesk_email": "info@bassin-sud-est.brussels",
        "priority_themes_fr": "Aide et soins pour les personnes en situation de mal logement "
        "et sans-abrisme\nRéseaux de solidarité et aides aux transports",
        "priority_themes_nl": "Hulp en zorg voor mensen die slecht gehuisvest of dakloos zijn\n"
        "Solidariteitsnetwerken en vervoershulp",
        "areas": [
            ("auderghem", "", ""),
            ("etterbeek", "", ""),
            ("woluwe-saint-lambert", "", ""),
            ("woluwe-saint-pierre", "", ""),
        ],
    },
]

# The 19 communes of the Region (FR / NL), ../shared/BRIEF.md.
COMMUNES: list[tuple[str, str, str]] = [
    ("anderlecht", "Anderlecht", "Anderlecht"),
    ("auderghem", "Auderghem", "Oudergem"),
    ("berchem-sainte-agathe", "Berchem-Sainte-Agathe", "Sint-Agatha-Berchem"),
    ("bruxelles", "Bruxelles-Ville", "Brussel-Stad"),
    ("etterbeek", "Etterbeek", "Etterbeek"),
    ("evere", "Evere", "Evere"),
    ("forest", "Forest", "Vorst"),
    ("ganshoren", "Ganshoren", "Ganshoren"),
    ("ixelles", "Ixelles", "Elsene"),
    ("jette", "Jette", "Jette"),
    ("koekelberg", "Koekelberg", "Koekelberg"),
    ("molenbeek-saint-jean", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek"),
    ("saint-gilles", "Saint-Gilles", "Sint-Gillis"),
    ("saint-josse-ten-noode", "Saint-Josse-ten-Noode", "Sint-Joost-ten-Node"),
    ("schaerbeek", "Schaerbeek", "Schaarbeek"),
    ("uccle", "Uccle", "Ukkel"),
    ("watermael-boitsfort", "Watermael-Boitsfort", "Watermaal-Bosvoorde"),
    ("woluwe-saint-lambert", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe"),
    ("woluwe-saint-pierre", "Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe"),
]

# Postal codes (../shared/BRIEF.md): (code, locality FR, locality NL, communes,
# suggested bassin, candidate bassins, note FR, note NL).
POSTAL_CODES: list[tuple] = [
    (
        "1000",
        "Bruxelles",
        "Brussel",
        ["bruxelles"],
        "centre-ouest",
        ["centre-ouest", "sud"],
        "Surtout Centre-Ouest (Pentagone) ; la partie avenue Louise relève du bassin Sud.",
        "Vooral Centrum-West (Vijfhoek); het deel Louizalaan hoort bij zorgzone Zuid.",
    ),
    ("1020", "Laeken", "Laken", ["bruxelles"], "nord", ["nord"], "", ""),
    ("1030", "Schaerbeek", "Schaarbeek", ["schaerbeek"], "nord-est", ["nord-est"], "", ""),
    (
        "1040",
        "Etterbeek",
        "Etterbeek",
        ["etterbeek", "bruxelles"],
        "sud-est",
        ["sud-est", "centre-ouest"],
        "Partagé entre Etterbeek (Sud-Est) et le quartier européen de Bruxelles-Ville "
        "(Centre-Ouest).",
        "Gedeeld tussen Etterbeek (Zuidoost) en de Europese wijk van Brussel-Stad (Centrum-West).",
    ),
    (
        "1050",
        "Ixelles",
        "Elsene",
        ["ixelles", "bruxelles"],
        "sud",
        ["sud"],
        "Partagé entre Ixelles et Bruxelles-Ville (avenue Louise), tous deux dans le bassin Sud.",
        "Gedeeld tussen Elsene en Brussel-Stad (Louizalaan), beide in zorgzone Zuid.",
    ),
    ("1060", "Saint-Gilles", "Sint-Gillis", ["saint-gilles"], "sud", ["sud"], "", ""),
    ("1070", "Anderlecht", "Anderlecht", ["anderlecht"], "centre-ouest", ["centre-ouest"], "", ""),
    (
        "1080",
        "Molenbeek-Saint-Jean",
        "Sint-Jans-Molenbeek",
        ["molenbeek-saint-jean"],
        "centre-ouest",
        ["centre-ouest"],
        "",
        "",
    ),
    ("1081", "Koekelberg", "Koekelberg", ["koekelberg"], "nord", ["nord"], "", ""),
    (
        "1082",
        "Berchem-Sainte-Agathe",
        "Sint-Agatha-Berchem",
        ["berchem-sainte-agathe"],
        "nord",
        ["nord"],
        "",
        "",
    ),
    ("1083", "Ganshoren", "Ganshoren", ["ganshoren"], "nord", ["nord"], "", ""),
    ("1090", "Jette", "Jette", ["jette"], "nord", ["nord"], "", ""),
    ("1120", "Neder-Over-Heembeek", "Neder-Over-Heembeek", ["bruxelles"], "nord", ["nord"], "", ""),
    ("1130", "Haren", "Haren", ["bruxelles"], "nord", ["nord"], "", ""),
    ("1140", "Evere", "Evere", ["evere"], "nord-est", ["nord-est"], "", ""),
    (
        "1150",
        "Woluwe-Saint-Pierre",
        "Sint-Pieters-Woluwe",
        ["woluwe-saint-pierre"],
        "sud-est",
        ["sud-est"],
        "",
        "",
    ),
    ("1160", "Auderghem", "Oudergem", ["auderghem"], "sud-est", ["sud-est"], "", ""),
    (
        "1170",
        "Watermael-Boitsfort",
        "Watermaal-Bosvoorde",
        ["watermael-boitsfort"],
        "sud",
        ["sud"],
        "",
        "",
    ),
    ("1180", "Uccle", "Ukkel", ["uccle"], "sud", ["sud"], "", ""),
    ("1190", "Forest", "Vorst", ["forest"], "sud", ["sud"], "", ""),
    (
        "1200",
        "Woluwe-Saint-Lambert",
        "Sint-Lambrechts-Woluwe",
        ["woluwe-saint-lambert"],
        "sud-est",
        ["sud-est"],
        "",
        "",
    ),
    (
        "1210",
        "Saint-Josse-ten-Noode",
        "Sint-Joost-ten-Node",
        ["saint-josse-ten-noode"],
        "nord-est",
        ["nord-est"],
        "",
        "",
    ),
]


# Prevention themes of the 2025 Info Prévention Santé calendar and Vivalis' priority
# themes (seed 003, §3.4.1.4), plus the concertations' themes (seed 001).
THEMES: list[tuple[str, str, str, bool]] = [
    ("cancer-col-uterus", "Cancer du col de l'utérus", "Baarmoederhalskanker", True),
    ("alcool", "Dépendance à l'alcool", "Alcoholafhankelijkheid", True),
    ("cancer-colorectal", "Cancer colorectal", "Darmkanker", True),
    ("tuberculose", "Tuberculose", "Tuberculose", True),
    ("tabac", "Tabac", "Tabak", True),
    ("assuetudes", "Assuétudes (réduction des risques)", "Verslaving (schadebeperking)", True),
    ("hydratation", "Hydratation (coup de chaleur)", "Hydratatie (hitteslag)", True),
    ("cancer-peau", "Cancer de la peau", "Huidkanker", True),
    ("vaccination", "Vaccination", "Vaccinatie", True),
    ("cancer-sein", "Cancer du sein", "Borstkanker", True),
    ("diabete", "Diabète", "Diabetes", True),
    ("vih-ist", "VIH et IST", "Hiv en soa's", True),
    ("cancer", "Cancer", "Kanker", True),
    ("virus-hivernaux", "Virus hivernaux", "Wintervirussen", True),
    ("sante-mentale", "Santé mentale", "Geestelijke gezondheid", False),
    (
        "liaison-hopital-ambulatoire",
        "Liaison hôpital-ambulatoire",
        "Verbinding ziekenhuis-ambulant",
        False,
    ),
    ("perinatalite", "Périnatalité", "Perinatale zorg", False),
    ("logement", "Logement", "Huisvesting", False),
    ("alimentation", "Accès à l'alimentation", "Toegang tot voeding", False),
    ("dettes", "Endettement", "Schulden", False),
    ("handicap", "Handicap", "Handicap", False),
    ("sejour", "Droit de séjour et accès aux soins", "Verblijfsrecht en toegang tot zorg", False),
]


def upsert(model, lookup: dict, values: dict):
    """Create or update one row; save only when something differs. Returns (obj, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj, bool(changed)


def set_m2m(manager, objects) -> bool:
    """Replace a many-to-many set only when it differs."""
    wanted = {o.pk for o in objects}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(objects)
    return True


@transaction.atomic
def load(log=print) -> int:
    """Load spoken languages, bassins, communes, territory and postal codes. Returns the
    number of changes."""
    changes = 0
    for order, (code, name_fr, name_nl) in enumerate(LANGUAGES):
        _, changed = upsert(
            Language, {"code": code}, {"name_fr": name_fr, "name_nl": name_nl, "sort_order": order}
        )
        changes += changed
    communes = {}
    for slug, name_fr, name_nl in COMMUNES:
        communes[slug], changed = upsert(
            Commune, {"slug": slug}, {"name_fr": name_fr, "name_nl": name_nl}
        )
        changes += changed

    for slug, name_fr, name_nl, is_prevention in THEMES:
        theme, changed = upsert(
            Theme,
            {"slug": slug},
            {"name_fr": name_fr, "name_nl": name_nl, "is_prevention_theme": is_prevention},
        )
        changes += changed
        if not changed:  # an unchanged row is not saved: index it here
            index.insert_or_update_object(theme)

    bassins = {}
    for order, data in enumerate(BASSINS):
        values = {k: v for k, v in data.items() if k not in ("slug", "areas")}
        values |= {
            "population_date": POPULATION_DATE,
            "helpdesk_hours_fr": HELPDESK_HOURS_FR,
            "helpdesk_hours_nl": HELPDESK_HOURS_NL,
            "sort_order": order,
        }
        bassin, changed = upsert(Bassin, {"slug": data["slug"]}, values)
        bassins[data["slug"]] = bassin
        changes += changed
        for area_order, (commune_slug, part_fr, part_nl) in enumerate(data["areas"]):
            _, changed = upsert(
                BassinArea,
                {"bassin": bassin, "commune": communes[commune_slug], "part_fr": part_fr},
                {"part_nl": part_nl, "sort_order": area_order},
            )
            changes += changed

    for (
        code,
        name_fr,
        name_nl,
        commune_slugs,
        suggested,
        candidates,
        note_fr,
        note_nl,
    ) in POSTAL_CODES:
        postal_code, changed = upsert(
            PostalCode,
            {"code": code},
            {
                "name_fr": name_fr,
                "name_nl": name_nl,
                "suggested_bassin": bassins[suggested],
                "note_fr": note_fr,
                "note_nl": note_nl,
            },
        )
        changes += changed
        changes += set_m2m(postal_code.communes, [communes[s] for s in commune_slugs])
        changes += set_m2m(postal_code.candidate_bassins, [bassins[s] for s in candidates])

    changes += ensure_site_pages(log)
    log(f"bassins: {changes} change(s)")
    return changes
