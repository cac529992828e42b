# ruff: noqa: E501
"""Starter list of the search's synonym groups: the words Brussels social-health
professionals type for the same thing, in French and Dutch, and the sector's common
abbreviations (CPAS/OCMW, RAQ, CHW, CPPS, ...). Loaded once by ``reference.py``
(a group is created when its name is missing and never overwritten afterwards: the
regional team owns the list in Wagtail). Each entry: (name, French terms, Dutch terms).

The abbreviations and their expansions are those of seed 003 (lexique and §3) and of
the reference data; the Dutch terms are those the Dutch-speaking Brussels sector uses
in the seeds (Steunpunt schuldbemiddeling, zorgzone, buurtwerker, ...).
"""

# fmt: off
SYNONYMS = [
    ("Dettes", [
        "dettes", "surendettement", "endettement", "endetté", "médiation de dettes",
        "règlement collectif de dettes", "difficultés financières", "problèmes d'argent",
        "situation financière",
    ], [
        "schulden", "schuldenlast", "schuldbemiddeling", "collectieve schuldenregeling",
        "geldproblemen", "financiële problemen", "financiële situatie",
    ]),
    ("Sans-papiers", [
        "sans-papiers", "sans titre de séjour", "séjour irrégulier", "séjour illégal",
        "séjour précaire", "personne en séjour précaire", "sans statut",
    ], [
        "mensen zonder papieren", "zonder papieren", "mensen zonder wettig verblijf",
        "zonder wettig verblijf", "precair verblijf", "zonder verblijfsvergunning",
        "zonder verblijfsstatuut", "irregulier verblijf",
    ]),
    ("Handicap", [
        "handicap", "handicapé", "personne handicapée", "personne en situation de handicap",
        "PMR", "personne à mobilité réduite",
    ], [
        "persoon met een handicap", "personen met een handicap", "beperking",
        "mindervalide",
    ]),
    ("Stationnement", [
        "carte de stationnement", "stationnement", "parking",
    ], [
        "parkeerkaart", "parkeren",
    ]),
    ("CPAS", [
        "CPAS", "centre public d'action sociale",
    ], [
        "OCMW", "openbaar centrum voor maatschappelijk welzijn",
    ]),
    ("RAQ", [
        "RAQ", "relais d'action de quartier", "travailleur social de quartier",
    ], [
        "buurtwerker",
    ]),
    ("CHW", [
        "CHW", "community health worker", "agent de santé communautaire",
    ], [
        "gezondheidswerker in de buurt",
    ]),
    ("CPPS", [
        "CPPS", "chargé de prévention et promotion santé", "chargés de prévention",
    ], [
        "preventiemedewerker", "medewerker preventie en gezondheidspromotie",
    ]),
    ("Bassin d'aide et de soins", [
        "bassin", "bassin d'aide et de soins",
    ], [
        "zorgzone",
    ]),
    ("CAW", [
        "CAW", "centre d'aide sociale générale",
    ], [
        "centrum algemeen welzijnswerk", "algemeen welzijnswerk",
    ]),
    ("Sans-abri", [
        "sans-abri", "SDF", "sans domicile fixe", "à la rue", "en rue", "squat",
    ], [
        "dakloos", "daklozen", "thuislozen", "dak- en thuislozen", "krakers",
    ]),
    ("Drogues", [
        "drogue", "toxicomanie", "toxicomane", "assuétudes", "usager de drogues",
        "addiction", "consommation de substances",
    ], [
        "drugs", "druggebruik", "druggebruikers", "verslaving", "middelengebruik",
    ]),
    ("Prison", [
        "prison", "détenu", "détention", "prisonnier", "incarcéré",
    ], [
        "gevangenis", "gedetineerde", "gedetineerden", "gevangene", "detentie",
    ]),
    ("Santé mentale", [
        "santé mentale", "psy", "psychologique", "psychosocial", "souffrance psychique",
    ], [
        "geestelijke gezondheid", "psychisch", "psychologisch", "psychosociaal",
    ]),
    ("Aide médicale urgente", [
        "AMU", "aide médicale urgente",
    ], [
        "DMH", "dringende medische hulp",
    ]),
    ("Mutualité", [
        "mutuelle", "mutualité", "mutualités",
    ], [
        "ziekenfonds", "ziekenfondsen", "mutualiteit",
    ]),
    ("INAMI", ["INAMI"], ["RIZIV"]),
    ("Cocom", [
        "Cocom", "Commission communautaire commune",
    ], [
        "GGC", "Gemeenschappelijke Gemeenschapscommissie",
    ]),
    ("FDSS", [
        "FDSS", "FDSSB", "Fédération des services sociaux",
    ], [
        "Federatie van Bicommunautaire Sociale Diensten",
    ]),
    ("Logement", [
        "logement", "se loger", "habitat",
    ], [
        "huisvesting", "wonen", "woning",
    ]),
    ("Aide alimentaire", [
        "aide alimentaire", "colis alimentaire", "nourriture", "alimentation",
    ], [
        "voedselhulp", "voedselpakket", "voeding",
    ]),
    ("Dépistage", [
        "dépistage", "screening",
    ], [
        "opsporing", "kankeropsporing",
    ]),
    ("Aidants proches", [
        "aidant proche", "aidants proches",
    ], [
        "mantelzorger", "mantelzorgers", "mantelzorg",
    ]),
    ("Personnes âgées", [
        "personnes âgées", "seniors", "aînés", "65 ans et plus",
    ], [
        "ouderen", "senioren", "65-plussers",
    ]),
    ("Interprète", [
        "interprète", "interprétariat", "traduction", "traducteur",
    ], [
        "tolk", "tolken", "tolkendienst", "vertaling",
    ]),
    ("Médiation interculturelle", [
        "médiation interculturelle", "médiateur interculturel", "ICB",
    ], [
        "interculturele bemiddeling", "interculturele bemiddelaar",
    ]),
    ("Tabac", [
        "tabac", "arrêter de fumer", "arrêt du tabac", "tabagisme",
    ], [
        "rookstop", "stoppen met roken", "tabak",
    ]),
    ("Vaccination", [
        "vaccination", "vaccin",
    ], [
        "vaccinatie", "inenting",
    ]),
    ("Situation complexe", [
        "situation complexe", "cas complexe", "multiproblématique",
    ], [
        "complexe situatie", "multiproblematiek",
    ]),
    ("Accès aux soins", [
        "accès aux soins", "soins de santé",
    ], [
        "toegang tot zorg", "gezondheidszorg",
    ]),
    ("Numéro gratuit", [
        "numéro vert", "numéro gratuit", "ligne gratuite",
    ], [
        "gratis nummer", "gratis lijn",
    ]),
    ("Orientation", [
        "orientation", "orienter", "où s'adresser",
    ], [
        "doorverwijzing", "doorverwijzen", "oriëntatie",
    ]),
]
# fmt: on
