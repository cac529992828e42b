# ruff: noqa: E501
"""Reference data of the directory, loaded by ``manage.py load_reference_data``.

Every help line and outreach scheme named in the seeds (see ``reference_data.py``
for the seed of each fact), the FAQ of the lines (seed 000), the lexique
(seed 003, chapter 4, ``glossary_data.py``), the default "Quelle ligne appeler ?"
tree, the weekly Celery beat task that sends verification reminders and the monthly
one that asks for availabilities.
Idempotent: upserts on natural keys (slugs) and rewrites child rows only when
they differ, so a second run reports 0 changes.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from bassins.models import Bassin, Commune, Language, Theme
from bassins.reference import set_m2m, upsert
from core.beat import BeatEntry, ensure_beat_entry

from .glossary_data import GLOSSARY
from .models import (
    ContactModality,
    DecisionAnswer,
    DecisionQuestion,
    FaqEntry,
    GlossaryTerm,
    Organisation,
    Phone,
    ScheduleSlot,
    Service,
    SynonymGroup,
    TargetPublic,
)
from .reference_data import (
    BASSIN_LINES,
    BRUSANO_HELPDESK_FAQ,
    CHW_ZONES,
    EXTRA_THEMES,
    MODALITIES,
    ORGANISATIONS,
    PUBLICS,
    RAQ,
    WEEKDAYS_9_17,
)
from .search import rebuild_search_index
from .synonym_data import SYNONYMS

# The date the seeds describe (seed 000 is the January 2025 edition).
SEED_VERIFIED = datetime.date(2025, 1, 28)


def _brusano() -> dict:
    """Brusano: the five bassin helpdesks, the regional helpdesk and the CPPS teams
    (seed 000 "Brusano"; seed 003 note 103 and §3.4)."""
    services = []
    for slug, name_fr, name_nl, phone, email in BASSIN_LINES:
        services.append(
            {
                "slug": f"helpdesk-{slug}",
                "name_fr": f"Helpdesk Brusano — Bassin {name_fr}",
                "name_nl": f"Helpdesk Brusano — Zorgzone {name_nl}",
                "description_fr": "Aide à l'orientation des professionnel·les du social-santé qui "
                "accompagnent une personne en situation complexe, quelle que soit la thématique "
                f"(bassin {name_fr}).",
                "description_nl": "Oriëntatiehulp voor welzijns- en gezondheidsprofessionals die "
                "iemand in een complexe situatie begeleiden, ongeacht het thema "
                f"(zorgzone {name_nl}).",
                "is_help_line": True,
                "for_whom": "professionals",
                "themes": ["orientation", "situation-complexe"],
                "publics": ["professionnels"],
                "modalities": ["telephone", "email"],
                "languages": ["fr", "nl"],
                "area_bassins": [slug],
                "email": email,
                "phones": [(phone, "voice", "Helpdesk", "Helpdesk", ["fr", "nl"])],
                "schedule": WEEKDAYS_9_17,
                "faq": BRUSANO_HELPDESK_FAQ,
            }
        )
    services.append(
        {
            "slug": "helpdesk-regional",
            "name_fr": "Helpdesk Brusano — régional",
            "name_nl": "Helpdesk Brusano — gewestelijk",
            "description_fr": "Numéro et e-mail d'aide à l'orientation pour tout·e professionnel·le "
            "du social-santé en difficulté dans l'accompagnement d'une situation complexe.",
            "description_nl": "Nummer en e-mail voor oriëntatiehulp voor elke welzijns- en "
            "gezondheidsprofessional die vastloopt in de begeleiding van een complexe situatie.",
            "is_help_line": True,
            "for_whom": "professionals",
            "themes": ["orientation", "situation-complexe"],
            "publics": ["professionnels"],
            "modalities": ["telephone", "email"],
            "languages": ["fr", "nl"],
            "area_whole_region": True,
            "email": "helpdesk@brusano.brussels",
            "phones": [("02 880 29 80", "voice", "Helpdesk", "Helpdesk", ["fr", "nl"])],
            "schedule": WEEKDAYS_9_17,
            "faq": BRUSANO_HELPDESK_FAQ,
        }
    )
    for slug, name_fr, name_nl, _phone, email in BASSIN_LINES:
        services.append(
            {
                "slug": f"cpps-{slug}",
                "name_fr": f"Chargé·es de prévention et promotion santé (CPPS) — Bassin {name_fr}",
                "name_nl": f"Medewerkers preventie en gezondheidspromotie — Zorgzone {name_nl}",
                "description_fr": "L'équipe de 3 à 5 CPPS du bassin : Info Prévention Santé, "
                "Rendez-vous de la Prévention Santé mensuels dans les quartiers, actions avec la "
                "ligne 0.5 pour les publics très vulnérables.",
                "description_nl": "Het team van 3 tot 5 preventiemedewerkers van de zorgzone: "
                "Info Prévention Santé, maandelijkse preventieafspraken in de wijken, acties met de "
                "lijn 0.5 voor zeer kwetsbare groepen.",
                "for_whom": "both",
                "themes": ["prevention-promotion-sante", "vaccination", "cancer"],
                "publics": ["professionnels", "habitants-quartier"],
                "modalities": ["en-personne", "email"],
                "languages": ["fr", "nl"],
                "area_bassins": [slug],
                "email": email,
            }
        )
    return {
        "slug": "brusano",
        "name_fr": "Brusano",
        "name_nl": "Brusano",
        "description_fr": "Structure d'appui à la première ligne social-santé bruxelloise ; anime "
        "les cinq bassins d'aide et de soins et leurs helpdesks.",
        "description_nl": "Ondersteuningsstructuur voor de Brusselse eerste lijn welzijn en "
        "gezondheid; trekt de vijf zorgzones en hun helpdesks.",
        "website": "https://www.brusano.brussels",
        "email": "helpdesk@brusano.brussels",
        "source": "seed 000, seed 003",
        "services": services,
    }


def _raq_organisations() -> list[dict]:
    """Host organisations and their RAQ (seed 003, table "Quartiers RAQ / Hébergeurs")."""
    hosts: dict[str, dict] = {}
    for number, quarter_fr, quarter_nl, communes, bassin, host_name, host_slug in RAQ:
        host = hosts.setdefault(
            host_slug,
            {
                "slug": host_slug,
                "name_fr": host_name,
                "name_nl": host_name,
                "description_fr": "Partenaire hébergeur d'un Relais d'Action de Quartier (RAQ).",
                "description_nl": "Gastorganisatie van een Relais d'Action de Quartier (RAQ).",
                "source": "seed 003",
                "services": [],
            },
        )
        host["services"].append(
            {
                "slug": f"raq-{number}",
                "name_fr": f"Relais d'Action de Quartier (RAQ) — {quarter_fr}",
                "name_nl": f"Relais d'Action de Quartier (RAQ) — {quarter_nl}",
                "description_fr": "Aller-vers et travail communautaire : un·e travailleur·euse social·e de quartier qui va vers les habitant·es "
                "éloigné·es des services (marchés, maraudes, fêtes de quartier), les oriente, "
                "relie les acteurs social-santé du quartier et mène des actions collectives de "
                "prévention. Coordonné par la FDSSB.",
                "description_nl": "Outreach en opbouwwerk: een buurtwerker die naar bewoners gaat die ver van de diensten staan "
                "(markten, straatrondes, buurtfeesten), hen doorverwijst, de welzijns- en "
                "gezondheidsactoren van de wijk verbindt en collectieve preventieacties voert. "
                "Gecoördineerd door de FDSSB.",
                "for_whom": "public",
                "walk_in": True,
                "themes": ["travail-communautaire", "aide-sociale", "prevention-promotion-sante"],
                "publics": ["habitants-quartier"],
                "modalities": ["en-personne", "telephone"],
                "languages": ["fr", "nl"],
                "area_communes": communes,
                "area_bassins": [bassin],
            }
        )
    return list(hosts.values())


def _chw_services() -> list[dict]:
    return [
        {
            "slug": f"chw-{slug}",
            "name_fr": f"Community Health Workers — {team_fr}",
            "name_nl": f"Community Health Workers — {team_nl}",
            "description_fr": "Travailleur·euses qui accompagnent les habitant·es fragilisé·es vers "
            "les soins de santé (information, accompagnement individuel, activités de groupe de "
            "littératie en santé), en lien avec les services locaux. Zones complémentaires de "
            "celles des RAQ.",
            "description_nl": "Medewerkers die kwetsbare bewoners naar de gezondheidszorg "
            "begeleiden (informatie, individuele begeleiding, groepsactiviteiten rond "
            "gezondheidsgeletterdheid), samen met lokale diensten.",
            "for_whom": "public",
            "themes": ["acces-aux-soins", "prevention-promotion-sante"],
            "publics": ["habitants-quartier"],
            "modalities": ["en-personne", "telephone", "visite-domicile"],
            "languages": ["fr", "nl"],
            "area_communes": communes,
            "area_bassins": bassins,
        }
        for slug, team_fr, team_nl, communes, bassins in CHW_ZONES
    ]


def all_organisations() -> list[dict]:
    organisations = [dict(o) for o in ORGANISATIONS]
    for organisation in organisations:
        if organisation["slug"] == "intermut":
            organisation["services"] = _chw_services()
    return organisations + [_brusano()] + _raq_organisations()


def _replace_children(manager, wanted: list[tuple], key, create) -> bool:
    """Rewrite child rows only when their content differs from ``wanted``."""
    current = [key(obj) for obj in manager.all()]
    if current == wanted:
        return False
    manager.all().delete()
    for order, row in enumerate(wanted):
        create(order, row)
    return True


def _time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def load_service(organisation: Organisation, data: dict, order: int, lookups: dict) -> int:
    changes = 0
    scalar = {
        key: data.get(key, default)
        for key, default in (
            ("name_fr", ""),
            ("name_nl", ""),
            ("description_fr", ""),
            ("description_nl", ""),
            ("is_help_line", False),
            ("for_whom", "both"),
            ("interpretation_fr", ""),
            ("interpretation_nl", ""),
            ("is_free", True),
            ("by_appointment", False),
            ("needs_referral", False),
            ("walk_in", False),
            ("access_notes_fr", ""),
            ("access_notes_nl", ""),
            ("email", ""),
            ("website", ""),
            ("area_whole_region", False),
        )
    }
    scalar |= {"organisation": organisation, "sort_order": order}
    existing = Service.objects.filter(slug=data["slug"]).first()
    if existing is None:
        scalar["last_verified"] = SEED_VERIFIED
    service, changed = upsert(Service, {"slug": data["slug"]}, scalar)
    changes += changed
    changes += set_m2m(service.themes, [lookups["themes"][s] for s in data.get("themes", [])])
    changes += set_m2m(service.publics, [lookups["publics"][s] for s in data.get("publics", [])])
    changes += set_m2m(
        service.modalities, [lookups["modalities"][s] for s in data.get("modalities", [])]
    )
    changes += set_m2m(
        service.languages, [lookups["languages"][s] for s in data.get("languages", [])]
    )
    changes += set_m2m(
        service.area_bassins, [lookups["bassins"][s] for s in data.get("area_bassins", [])]
    )
    changes += set_m2m(
        service.area_communes, [lookups["communes"][s] for s in data.get("area_communes", [])]
    )

    phones = [
        (number, kind, d_fr, d_nl, tuple(sorted(langs)))
        for number, kind, d_fr, d_nl, langs in data.get("phones", [])
    ]

    def make_phone(order, row):
        number, kind, d_fr, d_nl, langs = row
        phone = Phone.objects.create(
            service=service,
            number=number,
            kind=kind,
            description_fr=d_fr,
            description_nl=d_nl,
            sort_order=order,
        )
        phone.languages.set([lookups["languages"][c] for c in langs])

    changes += _replace_children(
        service.phones.prefetch_related("languages"),
        phones,
        lambda p: (
            p.number,
            p.kind,
            p.description_fr,
            p.description_nl,
            tuple(sorted(lang.code for lang in p.languages.all())),
        ),
        make_phone,
    )
    slots = [(day, _time(opens), _time(closes)) for day, opens, closes in data.get("schedule", [])]
    slots.sort()
    changes += _replace_children(
        service.schedule,
        slots,
        lambda s: (s.weekday, s.opens_at, s.closes_at),
        lambda order, row: ScheduleSlot.objects.create(
            service=service, weekday=row[0], opens_at=row[1], closes_at=row[2]
        ),
    )
    changes += _replace_children(
        service.faq,
        [tuple(row) for row in data.get("faq", [])],
        lambda f: (f.question_fr, f.question_nl, f.answer_fr, f.answer_nl),
        lambda order, row: FaqEntry.objects.create(
            service=service,
            question_fr=row[0],
            question_nl=row[1],
            answer_fr=row[2],
            answer_nl=row[3],
            sort_order=order,
        ),
    )
    return changes


# Default "Quelle ligne appeler ?" tree; the regional team edits it in Wagtail after
# the first load, so existing questions are never overwritten.
DECISION_TREE = [
    {
        "slug": "situation",
        "is_root": True,
        "text_fr": "De quoi s'agit-il principalement ?",
        "text_nl": "Waarover gaat het vooral?",
        "help_fr": "Choisissez ce qui pèse le plus dans la situation. Vous pourrez revenir en arrière.",
        "help_nl": "Kies wat het zwaarst doorweegt in de situatie. U kunt altijd terugkeren.",
        "answers": [
            (
                "dettes",
                "Des dettes, un surendettement",
                "Schulden, overmatige schuldenlast",
                "dettes-qui",
                [],
                "",
                "",
            ),
            (
                "handicap",
                "Un handicap",
                "Een handicap",
                None,
                ["brap-permanence"],
                "Le BrAP répond aussi en français et peut faire appel à un interprète.",
                "BrAP antwoordt ook in het Frans en kan een tolk inschakelen.",
            ),
            (
                "sejour",
                "L'accès aux soins d'une personne sans titre de séjour ou en séjour précaire",
                "Toegang tot zorg voor iemand zonder of met een precair verblijf",
                None,
                ["medimmigrant-permanence"],
                "",
                "",
            ),
            (
                "detention",
                "Une personne détenue",
                "Een gedetineerde",
                None,
                ["caw-detenus"],
                "",
                "",
            ),
            (
                "question-sociale",
                "Une question sociale (logement, alimentation, argent, démarches) d'une personne sans accompagnement",
                "Een sociale vraag (wonen, voeding, geld, administratie) van iemand zonder begeleiding",
                None,
                ["allo-aide-sociale", "caw-onthaal"],
                "",
                "",
            ),
            (
                "complexe",
                "Une situation complexe qui mêle plusieurs problèmes",
                "Een complexe situatie met meerdere problemen",
                "bassin",
                [],
                "",
                "",
            ),
        ],
    },
    {
        "slug": "dettes-qui",
        "text_fr": "Êtes-vous médiateur·rice de dettes, ou formé·e par le Centre d'appui ?",
        "text_nl": "Bent u schuldbemiddelaar, of volgde u een opleiding bij het Steunpunt?",
        "answers": [
            ("oui", "Oui", "Ja", None, ["hotline-mediation-de-dettes"], "", ""),
            (
                "non",
                "Non",
                "Nee",
                None,
                ["hotline-mediation-de-dettes", "allo-aide-sociale"],
                "La hotline Médiation de dettes est réservée aux médiateur·rices formé·es : "
                "orientez la personne vers un service de médiation de dettes agréé (CPAS ou association). "
                "Allo? Aide sociale peut vous dire lequel.",
                "De hotline schuldbemiddeling is voorbehouden aan opgeleide bemiddelaars: verwijs de "
                "persoon naar een erkende dienst schuldbemiddeling (OCMW of vzw). Allo? Aide sociale "
                "zegt u welke.",
            ),
        ],
    },
    {
        "slug": "bassin",
        "text_fr": "Dans quel bassin la personne vit-elle ?",
        "text_nl": "In welke zorgzone woont de persoon?",
        "help_fr": "Le helpdesk de son bassin connaît le réseau local.",
        "help_nl": "De helpdesk van de zorgzone kent het lokale netwerk.",
        "answers": [
            (slug, f"Bassin {name_fr}", f"Zorgzone {name_nl}", None, [f"helpdesk-{slug}"], "", "")
            for slug, name_fr, name_nl, _phone, _email in BASSIN_LINES
        ]
        + [
            (
                "inconnu",
                "Je ne sais pas / ailleurs",
                "Ik weet het niet / elders",
                None,
                ["helpdesk-regional"],
                "",
                "",
            ),
        ],
    },
]


def load_decision_tree(log=print) -> int:
    changes = 0
    questions = {}
    for data in DECISION_TREE:
        question = DecisionQuestion.objects.filter(slug=data["slug"]).first()
        if question is None:
            question = DecisionQuestion.objects.create(
                slug=data["slug"],
                is_root=data.get("is_root", False),
                text_fr=data["text_fr"],
                text_nl=data["text_nl"],
                help_fr=data.get("help_fr", ""),
                help_nl=data.get("help_nl", ""),
            )
            changes += 1
        questions[data["slug"]] = question
    for data in DECISION_TREE:
        question = questions[data["slug"]]
        for order, (slug, label_fr, label_nl, next_slug, services, adv_fr, adv_nl) in enumerate(
            data["answers"]
        ):
            if question.answers.filter(slug=slug).exists():
                continue
            answer = DecisionAnswer.objects.create(
                question=question,
                slug=slug,
                sort_order=order,
                label_fr=label_fr,
                label_nl=label_nl,
                next_question=questions.get(next_slug) if next_slug else None,
                advice_fr=adv_fr,
                advice_nl=adv_nl,
            )
            answer.services.set(Service.objects.filter(slug__in=services))
            answer.save()
            changes += 1
    return changes


def load_synonyms() -> int:
    """The starter synonym groups (``synonym_data.py``): a group is created when no group
    has its name; an existing one is the regional team's and is left as it is."""
    existing = set(SynonymGroup.objects.values_list("name", flat=True))
    created = [
        SynonymGroup(name=name, terms_fr="\n".join(fr), terms_nl="\n".join(nl))
        for name, fr, nl in SYNONYMS
        if name not in existing
    ]
    for group in created:
        group.save()
    return len(created)


def search_index_is_stale() -> bool:
    """Services indexed before the search columns had their current form (no names
    column): rebuilt once by the loader, which every deployment runs after migrating."""
    return Service.objects.filter(search_names="").exclude(name_fr="").exists()


REMINDER_TASK = BeatEntry(
    "directory: verification reminders",
    "directory.tasks.send_verification_reminders",
    minute="0",
    hour="8",
    day_of_week="1",
)

AVAILABILITY_TASK = BeatEntry(
    "directory: availability requests",
    "directory.tasks.send_availability_requests",
    minute="0",
    hour="9",
    day_of_month="1",
)


@transaction.atomic
def load(log=print) -> int:
    changes = 0
    lookups: dict[str, dict] = {"languages": {}, "publics": {}, "modalities": {}, "themes": {}}
    lookups["languages"] = {language.code: language for language in Language.objects.all()}
    for order, (slug, name_fr, name_nl) in enumerate(MODALITIES):
        lookups["modalities"][slug], changed = upsert(
            ContactModality,
            {"slug": slug},
            {"name_fr": name_fr, "name_nl": name_nl, "sort_order": order},
        )
        changes += changed
    for slug, name_fr, name_nl in PUBLICS:
        lookups["publics"][slug], changed = upsert(
            TargetPublic, {"slug": slug}, {"name_fr": name_fr, "name_nl": name_nl}
        )
        changes += changed
    for slug, name_fr, name_nl in EXTRA_THEMES:
        _, changed = upsert(Theme, {"slug": slug}, {"name_fr": name_fr, "name_nl": name_nl})
        changes += changed
    lookups["themes"] = {t.slug: t for t in Theme.objects.all()}
    lookups["bassins"] = {b.slug: b for b in Bassin.objects.all()}
    lookups["communes"] = {c.slug: c for c in Commune.objects.all()}

    for data in all_organisations():
        values = {
            "name_fr": data["name_fr"],
            "name_nl": data.get("name_nl", ""),
            "alternate_name": data.get("alternate_name", ""),
            "description_fr": data.get("description_fr", ""),
            "description_nl": data.get("description_nl", ""),
            "website": data.get("website", ""),
            "email": data.get("email", ""),
            "source_fr": data.get("source", ""),
        }
        if not Organisation.objects.filter(slug=data["slug"]).exists():
            values["last_verified"] = SEED_VERIFIED
        organisation, changed = upsert(Organisation, {"slug": data["slug"]}, values)
        changes += changed
        for order, service_data in enumerate(data["services"]):
            changes += load_service(organisation, service_data, order, lookups)

    for slug, term_fr, term_nl, var_fr, var_nl, def_fr, def_nl in GLOSSARY:
        _, changed = upsert(
            GlossaryTerm,
            {"slug": slug},
            {
                "term_fr": term_fr,
                "term_nl": term_nl,
                "variants_fr": var_fr,
                "variants_nl": var_nl,
                "definition_fr": def_fr,
                "definition_nl": def_nl,
            },
        )
        changes += changed

    changes += load_synonyms()
    changes += load_decision_tree(log)
    if search_index_is_stale():
        log(f"directory: search columns rebuilt for {rebuild_search_index()} service(s)")
    changes += ensure_beat_entry(REMINDER_TASK)
    changes += ensure_beat_entry(AVAILABILITY_TASK)
    log(f"directory: {changes} change(s)")
    return changes
