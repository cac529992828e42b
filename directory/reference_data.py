# ruff: noqa: E501
"""The facts the directory ships with, as plain data (loaded by ``reference.py``).

Sources, in ``../shared/seeds/``:
- seed 000 (Forum des pratiques prometteuses, January 2025): Medimmigrant, BrAP,
  Centre d'appui Médiation de dettes, Brusano helpdesks: phones, hours, languages,
  publics, themes and the example questions used for the FAQ.
- seed 003 (Panorama 1, Vivalis 2025): Allo? Aide sociale, CAW, Brusano's regional
  helpdesk (note 103); RAQ neighbourhoods and host organisations (§3.2, table of
  "Quartiers RAQ / Hébergeurs"); CHW zones (§3.3.2.1); CeS target groups (§3.5.1);
  CPPS teams per bassin (§3.4, seed 003 table 2.3 and §3.4.1.3); Cover, Artha,
  STEK-Peterbos, Foyer's intercultural mediators (§3.6); the lexique (chapter 4).
Descriptions are written for the directory, not copied. Addresses are not in the
seeds, so reference entries carry an area of action and no street address.
"""

# fmt: off
MODALITIES = [
    ("telephone", "Téléphone", "Telefoon"),
    ("email", "E-mail", "E-mail"),
    ("chat", "Chat", "Chat"),
    ("en-personne", "En personne", "Ter plaatse"),
    ("visite-domicile", "Visite à domicile", "Huisbezoek"),
]

PUBLICS = [
    ("professionnels", "Professionnel·les du social-santé", "Professionals uit welzijn en gezondheid"),
    ("sejour-precaire", "Personnes en séjour précaire et leur entourage",
     "Mensen met een precair verblijfsstatuut en hun omgeving"),
    ("handicap", "Personnes en situation de handicap", "Personen met een handicap"),
    ("aidants-proches", "Aidant·es proches", "Mantelzorgers"),
    ("mediateurs-dettes", "Médiateur·rices de dettes", "Schuldbemiddelaars"),
    ("detenus", "Personnes détenues", "Gedetineerden"),
    ("habitants-quartier", "Habitant·es et usager·es du quartier", "Buurtbewoners en -gebruikers"),
    ("usagers-drogues", "Usager·es de drogues", "Druggebruikers"),
    ("sans-abri", "Personnes sans abri, en squat ou en hébergement d'urgence",
     "Dak- en thuislozen, krakers, mensen in noodopvang"),
    ("seniors", "Personnes de 65 ans et plus", "65-plussers"),
    ("familles-monoparentales", "Familles monoparentales", "Eenoudergezinnen"),
    ("femmes-depistage", "Femmes concernées par un dépistage du cancer",
     "Vrouwen voor wie een kankeropsporing aangewezen is"),
    ("personnes-migrantes", "Personnes issues de l'immigration", "Mensen met een migratieachtergrond"),
    ("tout-public", "Tout public", "Iedereen"),
]

# New themes for the shared taxonomy (bassins.Theme); slugs do not clash with
# bassins/reference.py THEMES.
EXTRA_THEMES = [
    ("orientation", "Orientation dans l'offre social-santé", "Doorverwijzing in het welzijns- en zorgaanbod"),
    ("acces-aux-soins", "Accès aux soins", "Toegang tot zorg"),
    ("aide-sociale", "Aide sociale", "Sociale hulp"),
    ("droits-sociaux", "Droits sociaux", "Sociale rechten"),
    ("prevention-promotion-sante", "Prévention et promotion de la santé", "Preventie en gezondheidspromotie"),
    ("travail-communautaire", "Travail communautaire", "Buurtwerk en opbouwwerk"),
    ("mediation-interculturelle", "Médiation interculturelle", "Interculturele bemiddeling"),
    ("situation-complexe", "Situations complexes", "Complexe situaties"),
    ("justice-detention", "Justice et détention", "Justitie en detentie"),
]

WEEKDAYS_9_17 = [(d, "09:00", "17:00") for d in range(5)]
BRUSANO_HELPDESK_FAQ = [
    ("Quelles situations puis-je soumettre au helpdesk ?",
     "Welke situaties kan ik aan de helpdesk voorleggen?",
     "Toute situation social-santé complexe que vous accompagnez comme professionnel·le : "
     "plusieurs problèmes à la fois, un réseau qui s'arrête, une ressource introuvable. Par "
     "exemple un jeune avec double diagnostic qui atteint 18 ans et doit quitter son centre.",
     "Elke complexe welzijns- of gezondheidssituatie die u als professional begeleidt: meerdere "
     "problemen tegelijk, een netwerk dat wegvalt, een hulpbron die u niet vindt. Bijvoorbeeld "
     "een jongere met dubbele diagnose die 18 wordt en zijn centrum moet verlaten."),
    ("Le helpdesk répond-il aux particuliers ?", "Antwoordt de helpdesk ook particulieren?",
     "Non, il est réservé aux professionnel·les. Une personne sans accompagnement peut appeler "
     "Allo? Aide sociale (0800 35 243).",
     "Nee, hij is voorbehouden aan professionals. Wie geen begeleiding heeft, kan Allo? Aide "
     "sociale bellen (0800 35 243)."),
    ("Comment travaille le helpdesk ?", "Hoe werkt de helpdesk?",
     "Il écoute, analyse, clarifie les besoins puis oriente, d'abord vers l'offre généraliste "
     "de proximité et seulement ensuite vers un service spécialisé (« stepped care »).",
     "Hij luistert, analyseert, verheldert de noden en verwijst door, eerst naar het algemene "
     "aanbod in de buurt en pas daarna naar gespecialiseerde diensten ('stepped care')."),
]

# Bassin helpdesks and CPPS teams (seed 000, "Brusano"; seed 003 §3.4).
BASSIN_LINES = [
    ("nord", "Nord", "Noord", "02 318 60 54", "info@bassin-nord.brussels"),
    ("nord-est", "Nord-Est", "Noordoost", "02 318 60 57", "info@bassin-nord-est.brussels"),
    ("centre-ouest", "Centre-Ouest", "Centrum-West", "02 880 29 87", "info@bassin-centre-ouest.brussels"),
    ("sud", "Sud", "Zuid", "02 880 29 88", "info@bassin-sud.brussels"),
    ("sud-est", "Sud-Est", "Zuidoost", "02 318 60 58", "info@bassin-sud-est.brussels"),
]

# RAQ neighbourhoods and host organisations (seed 003, §3.2.2.2 table).
# (number, neighbourhood FR, NL, communes, bassin, host organisation, host slug)
RAQ = [
    (1, "Saint-Josse-ten-Noode", "Sint-Joost-ten-Node", ["saint-josse-ten-noode"], "nord-est",
     "CAP Brabantia (Caritas)", "cap-brabantia"),
    (2, "Schaerbeek - Quartier Nord", "Schaarbeek - Noordwijk", ["schaerbeek"], "nord-est",
     "Centre de Développement et d'Animation Schaerbeekois (CEDAS)", "cedas"),
    (3, "Schaerbeek - Quartier Brabant", "Schaarbeek - Brabantwijk", ["schaerbeek"], "nord-est",
     "Services sociaux des Quartiers 1030 - Wijkmaatschappelijk Werk 1030", "services-sociaux-quartiers-1030"),
    (4, "Molenbeek-Saint-Jean - Quartier Maritime", "Sint-Jans-Molenbeek - Maritiemwijk",
     ["molenbeek-saint-jean"], "centre-ouest", "Centre communautaire Maritime", "centre-communautaire-maritime"),
    (5, "Molenbeek-Saint-Jean - Molenbeek historique", "Sint-Jans-Molenbeek - Historisch Molenbeek",
     ["molenbeek-saint-jean"], "centre-ouest", "Solidarité Savoir - Ribaucare", "solidarite-savoir"),
    (6, "Molenbeek-Saint-Jean - Gare de l'Ouest", "Sint-Jans-Molenbeek - Weststation",
     ["molenbeek-saint-jean"], "centre-ouest", "CAP La Porte Verte - Snijboontje", "porte-verte-snijboontje"),
    (7, "Cureghem - Bara et Rosée", "Kuregem - Bara en Dauw", ["anderlecht"], "centre-ouest",
     "Les Pissenlits", "les-pissenlits"),
    (8, "Cureghem - Rosée et Vétérinaire", "Kuregem - Dauw en Veeartsen", ["anderlecht"], "centre-ouest",
     "Wijkgezondheidscentrum Medikuregem", "medikuregem"),
    (9, "Ixelles - Matonge, Louise-Longue-Haie, Flagey-Malibran, Hôpital Etterbeek-Ixelles",
     "Elsene - Matonge, Louiza-Lange Haag, Flagey-Malibran, Ziekenhuis Etterbeek-Elsene",
     ["ixelles"], "sud", "Centre de Service Social de Bruxelles Sud-Est (CSSBSE)", "cssbse"),
    (19, "Ixelles - Boondael (avec le RAQ 9)", "Elsene - Boondaal (met RAQ 9)",
     ["ixelles"], "sud", "Centre de Service Social de Bruxelles Sud-Est (CSSBSE)", "cssbse"),
    (10, "Bruxelles - Marolles", "Brussel - Marollen", ["bruxelles"], "centre-ouest",
     "Entr'Aide des Marolles", "entraide-des-marolles"),
    (11, "Koekelberg", "Koekelberg", ["koekelberg"], "nord",
     "CAP Les Amis d'Accompagner", "amis-d-accompagner"),
    (12, "Saint-Gilles - Bosnie", "Sint-Gillis - Bosnië", ["saint-gilles"], "sud",
     "Service social juif", "service-social-juif"),
    (13, "Saint-Gilles - Porte de Hal", "Sint-Gillis - Hallepoort", ["saint-gilles"], "sud",
     "Entraide Saint-Gilles (Brabantia)", "entraide-saint-gilles"),
    (14, "Forest - Haut Saint-Gilles, Van Volxem et Bas-Forest", "Vorst - Hoog Sint-Gillis, Van Volxem en Laag-Vorst",
     ["forest", "saint-gilles"], "sud", "LD3 - Miro", "ld3-miro"),
    (15, "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", ["woluwe-saint-lambert"], "sud-est",
     "Wolu-Services", "wolu-services"),
    (16, "Schaerbeek - Collignon, chaussée d'Haecht", "Schaarbeek - Collignon, Haachtsesteenweg",
     ["schaerbeek"], "nord-est", "Episol", "episol"),
    (17, "Bruxelles - Madou", "Brussel - Madou", ["bruxelles"], "centre-ouest",
     "Espace Cultures & Développement", "espace-cultures-developpement"),
    (18, "Bruxelles - Anneessens", "Brussel - Anneessens", ["bruxelles"], "centre-ouest",
     "Espace Social Télé-Service", "tele-service"),
]

# CHW zones (seed 003, §3.3.2.1): team, communes, bassins.
CHW_ZONES = [
    ("jette-laeken", "Team Jette-Laeken", "Team Jette-Laken", ["jette", "bruxelles"], ["nord"]),
    ("anderlecht", "Team Anderlecht", "Team Anderlecht", ["anderlecht"], ["centre-ouest"]),
    ("schaerbeek", "Team Schaerbeek", "Team Schaarbeek", ["schaerbeek"], ["nord-est"]),
    ("bruxelles-noh", "Team 1000 Bruxelles et Neder-Over-Heembeek",
     "Team 1000 Brussel en Neder-Over-Heembeek", ["bruxelles"], ["centre-ouest", "nord"]),
]

# Organisations with their services. Keys mirror the model fields; "phones" are
# (number, kind, description_fr, description_nl, languages); "schedule" is
# (weekday 0=Monday, opens, closes); "faq" is (question_fr, question_nl, answer_fr, answer_nl).
ORGANISATIONS = [
    {
        "slug": "medimmigrant",
        "name_fr": "Medimmigrant", "name_nl": "Medimmigrant",
        "description_fr": "Association bruxelloise active depuis 1994 sur l'accès aux soins de santé "
        "des personnes en séjour précaire ou sans titre de séjour.",
        "description_nl": "Brusselse vzw die sinds 1994 werkt rond de toegang tot gezondheidszorg "
        "voor mensen met een precair of zonder verblijfsstatuut.",
        "website": "https://www.medimmigrant.be", "email": "info@medimmigrant.be",
        "source": "seed 000",
        "services": [{
            "slug": "medimmigrant-permanence",
            "name_fr": "Medimmigrant — permanence téléphonique",
            "name_nl": "Medimmigrant — telefonische permanentie",
            "description_fr": "Informations sur l'accès aux soins de santé des personnes en séjour "
            "illégal ou précaire, leurs droits sociaux quand elles sont malades, le séjour pour "
            "raisons médicales et le soutien médical en cas de retour volontaire.",
            "description_nl": "Informatie over de toegang tot gezondheidszorg voor mensen zonder of "
            "met een precair verblijf, hun sociale rechten bij ziekte, verblijf om medische redenen "
            "en medische ondersteuning bij vrijwillige terugkeer.",
            "is_help_line": True, "for_whom": "both",
            "themes": ["sejour", "acces-aux-soins", "droits-sociaux"],
            "publics": ["sejour-precaire", "professionnels"],
            "modalities": ["telephone", "email"], "languages": ["fr", "nl", "en"],
            "area_whole_region": True, "email": "info@medimmigrant.be",
            "phones": [("0800 14 960", "freephone", "Numéro vert", "Gratis nummer", ["fr", "nl", "en"]),
                       ("02 274 14 33", "voice", "", "", ["fr", "nl", "en"])],
            "schedule": [(0, "10:00", "13:00"), (1, "14:00", "18:00"), (3, "10:00", "13:00"),
                         (4, "10:00", "13:00")],
            "faq": [
                ("Qui peut payer les soins d'une personne sans titre de séjour ?",
                 "Wie kan de zorg betalen van iemand zonder verblijfsvergunning?",
                 "C'est la question type de la ligne : aide médicale urgente via le CPAS, "
                 "Fedasil, assurance maladie... L'équipe vous dit ce qui s'applique à la situation.",
                 "Dat is de typische vraag voor deze lijn: dringende medische hulp via het OCMW, "
                 "Fedasil, ziekteverzekering... Het team zegt wat op de situatie van toepassing is."),
                ("Puis-je appeler pour trouver un médecin qui parle la langue de la personne ?",
                 "Kan ik bellen om een arts te vinden die de taal van de persoon spreekt?",
                 "Oui, les questions pratiques (trouver un médecin, comprendre le système de "
                 "santé belge) sont bienvenues.",
                 "Ja, praktische vragen (een arts vinden, het Belgische zorgsysteem begrijpen) "
                 "zijn welkom."),
                ("Qui peut appeler ?", "Wie mag bellen?",
                 "Les personnes en séjour précaire, leur entourage et les professionnel·les qui "
                 "les accompagnent, en français, néerlandais ou anglais.",
                 "Mensen met een precair verblijf, hun omgeving en de professionals die hen "
                 "begeleiden, in het Frans, Nederlands of Engels."),
            ],
        }],
    },
    {
        "slug": "brap",
        "name_fr": "BrAP — Brussels Aanmeldingspunt voor Personen met een handicap",
        "name_nl": "BrAP — Brussels Aanmeldingspunt voor Personen met een handicap",
        "alternate_name": "BrAP",
        "description_fr": "Point d'information néerlandophone de soutien et de services aux personnes "
        "en situation de handicap à Bruxelles, pour les instances francophones comme "
        "néerlandophones.",
        "description_nl": "Nederlandstalig informatiepunt voor ondersteuning en diensten aan personen "
        "met een handicap in Brussel, zowel voor Franstalige als Nederlandstalige instanties.",
        "website": "https://www.brap.be", "email": "info@brap.be", "source": "seed 000",
        "services": [{
            "slug": "brap-permanence",
            "name_fr": "BrAP — permanence téléphonique handicap",
            "name_nl": "BrAP — telefonische permanentie handicap",
            "description_fr": "Écoute les demandes, donne l'information utile, aide à trouver des "
            "solutions et oriente vers le réseau pour toute question liée au handicap à Bruxelles "
            "(carte de stationnement, loisirs adaptés, sport...). Permanences physiques chez des "
            "partenaires ; travaille avec DOP pour un plan de soutien.",
            "description_nl": "Luistert naar vragen, geeft informatie, zoekt mee naar oplossingen en "
            "verwijst door voor elke vraag over handicap in Brussel (parkeerkaart, aangepaste "
            "vrijetijd, sport...). Fysieke permanenties bij partners; werkt samen met DOP.",
            "is_help_line": True, "for_whom": "both",
            "themes": ["handicap", "orientation"],
            "publics": ["handicap", "aidants-proches", "professionnels"],
            "modalities": ["telephone", "email", "en-personne"], "languages": ["fr", "nl", "en"],
            "interpretation_fr": "Autres langues avec un service d'interprétariat",
            "interpretation_nl": "Andere talen via een tolkendienst",
            "area_whole_region": True, "email": "info@brap.be",
            "phones": [("02 201 76 43", "voice", "", "", ["fr", "nl", "en"])],
            "schedule": [(0, "09:00", "12:00"), (1, "09:00", "12:00"), (2, "09:00", "12:00"),
                         (3, "14:00", "17:00"), (4, "09:00", "12:00")],
            "faq": [
                ("Puis-je appeler pour une carte de stationnement pour personne handicapée ?",
                 "Kan ik bellen over een parkeerkaart voor personen met een handicap?",
                 "Oui : le BrAP explique les droits et la démarche à suivre.",
                 "Ja: BrAP legt uit waar men recht op heeft en hoe men het aanvraagt."),
                ("Le BrAP répond-il aussi en français ?", "Antwoordt BrAP ook in het Frans?",
                 "Oui, en français, néerlandais et anglais, et dans d'autres langues avec un "
                 "interprète.",
                 "Ja, in het Frans, Nederlands en Engels, en in andere talen met een tolk."),
                ("Quelles questions peut-on poser ?", "Welke vragen kan men stellen?",
                 "Toute question sur le handicap à Bruxelles, par exemple des activités adaptées "
                 "pendant les vacances scolaires pour un enfant avec un handicap mental.",
                 "Elke vraag over handicap in Brussel, bijvoorbeeld aangepaste activiteiten in de "
                 "schoolvakantie voor een kind met een verstandelijke beperking."),
            ],
        }],
    },
    {
        "slug": "centre-appui-mediation-dettes",
        "name_fr": "Centre d'appui aux services de médiation de dettes",
        "name_nl": "Steunpunt schuldbemiddeling",
        "description_fr": "Centre d'appui des services de médiation de dettes de la Région "
        "bruxelloise : expertise juridique et économique, formations, outils.",
        "description_nl": "Steunpunt voor de diensten schuldbemiddeling in het Brussels Gewest: "
        "juridische en economische expertise, opleidingen, hulpmiddelen bij schulden.",
        "website": "https://www.mediationdedettes.be", "email": "juriste@mediationdedettes.be",
        "source": "seed 000",
        "services": [{
            "slug": "hotline-mediation-de-dettes",
            "name_fr": "Hotline Médiation de dettes",
            "name_nl": "Hotline schuldbemiddeling",
            "description_fr": "Permanence téléphonique qui donne aux médiateur·rices de dettes des "
            "conseils juridiques, économiques et méthodologiques : règlement collectif de dettes, "
            "analyse d'un décompte, délais pour contester, saisies. Réponse immédiate, par e-mail "
            "après recherche, ou orientation vers un service juridique partenaire.",
            "description_nl": "Telefonische permanentie die schuldbemiddelaars juridisch, economisch "
            "en methodologisch advies geeft over schulden: collectieve schuldenregeling, een "
            "afrekening analyseren, termijnen om te betwisten, beslag.",
            "is_help_line": True, "for_whom": "professionals",
            "themes": ["dettes", "droits-sociaux"],
            "publics": ["mediateurs-dettes", "professionnels"],
            "modalities": ["telephone", "email"], "languages": ["fr", "nl"],
            "needs_referral": False,
            "access_notes_fr": "Pour les médiateur·rices de dettes et les professionnel·les formé·es "
            "par le Centre d'appui.",
            "access_notes_nl": "Voor schuldbemiddelaars en professionals die een opleiding bij het "
            "Steunpunt volgden.",
            "area_whole_region": True, "email": "juriste@mediationdedettes.be",
            "phones": [("02 217 88 05", "voice", "Hotline", "Hotline", ["fr", "nl"])],
            "schedule": WEEKDAYS_9_17,
            "faq": [
                ("Je ne suis pas médiateur·rice de dettes : puis-je appeler ?",
                 "Ik ben geen schuldbemiddelaar: mag ik bellen?",
                 "La hotline est réservée aux médiateur·rices et aux professionnel·les formé·es par "
                 "le Centre d'appui. Pour une personne endettée, adressez-vous à un service de "
                 "médiation de dettes agréé (CPAS ou association).",
                 "De hotline is voorbehouden aan schuldbemiddelaars en professionals die bij het "
                 "Steunpunt een opleiding volgden. Voor iemand met schulden: een erkende dienst "
                 "schuldbemiddeling (OCMW of vzw)."),
                ("Qu'est-ce qu'un règlement collectif de dettes ?",
                 "Wat is een collectieve schuldenregeling?",
                 "Une procédure judiciaire qui organise le remboursement de toutes les dettes sous le "
                 "contrôle d'un médiateur désigné par le tribunal. La hotline aide à l'expliquer et "
                 "à vérifier si elle convient.",
                 "Een gerechtelijke procedure die de terugbetaling van alle schulden regelt onder "
                 "toezicht van een door de rechtbank aangestelde bemiddelaar. De hotline helpt om na "
                 "te gaan of ze past."),
            ],
        }],
    },
    {
        "slug": "fdssb",
        "name_fr": "Fédération des Services Sociaux Bicommunautaires (FDSSB)",
        "name_nl": "Federatie van Bicommunautaire Sociale Diensten (FDSSB)",
        "alternate_name": "FDSS",
        "description_fr": "Fédération qui coordonne les Relais d'Action de Quartier et le numéro "
        "vert Allo? Aide sociale.",
        "description_nl": "Federatie die de Relais d'Action de Quartier en het gratis nummer "
        "Allo? Aide sociale coördineert.",
        "website": "https://www.fdss.be", "source": "seed 003",
        "services": [{
            "slug": "allo-aide-sociale",
            "name_fr": "Allo? Aide sociale", "name_nl": "Allo? Aide sociale",
            "description_fr": "Numéro vert d'orientation gratuit et confidentiel pour les questions "
            "sociales : logement, nourriture, situation financière ou familiale compliquée, "
            "démarches administratives, isolement.",
            "description_nl": "Gratis en vertrouwelijk oriëntatienummer voor sociale vragen: "
            "huisvesting, voeding, moeilijke financiële of gezinssituatie, administratie, "
            "eenzaamheid.",
            "is_help_line": True, "for_whom": "both",
            "themes": ["aide-sociale", "orientation", "logement", "alimentation"],
            "publics": ["tout-public", "professionnels"],
            "modalities": ["telephone"], "languages": ["fr", "nl"],
            "area_whole_region": True,
            "phones": [("0800 35 243", "freephone", "Numéro vert", "Gratis nummer", ["fr", "nl"])],
            "schedule": [],
            "faq": [
                ("Une personne sans accompagnement peut-elle appeler ?",
                 "Kan iemand zonder begeleiding bellen?",
                 "Oui, le numéro est ouvert à tous, gratuitement et de manière confidentielle.",
                 "Ja, het nummer staat open voor iedereen, gratis en vertrouwelijk."),
            ],
        }],
    },
    {
        "slug": "caw-brussel",
        "name_fr": "CAW Brussel", "name_nl": "CAW Brussel",
        "description_fr": "Centre d'aide sociale générale néerlandophone (Centrum Algemeen "
        "Welzijnswerk) ; accueil Brussel Centrum.",
        "description_nl": "Centrum Algemeen Welzijnswerk; onthaal Brussel Centrum.",
        "website": "https://www.caw.be", "source": "seed 003",
        "services": [
            {
                "slug": "caw-onthaal",
                "name_fr": "CAW Brussel — accueil, numéro gratuit",
                "name_nl": "CAW Brussel — onthaal, gratis nummer",
                "description_fr": "Ligne gratuite pour toute personne qui cherche de l'aide sociale.",
                "description_nl": "Gratis lijn voor iedereen die welzijnshulp zoekt.",
                "is_help_line": True, "for_whom": "public",
                "themes": ["aide-sociale", "orientation"], "publics": ["tout-public"],
                "modalities": ["telephone", "en-personne"], "languages": ["nl", "fr"],
                "area_whole_region": True,
                "phones": [("0800 13 500", "freephone", "Numéro gratuit", "Gratis nummer", ["nl", "fr"])],
                "schedule": [],
            },
            {
                "slug": "caw-detenus",
                "name_fr": "CAW Brussel — ligne gratuite pour les personnes détenues",
                "name_nl": "CAW Brussel — gratis lijn voor gedetineerden",
                "description_fr": "Ligne gratuite réservée aux personnes détenues (détenus et détenues en prison).",
                "description_nl": "Gratis lijn voorbehouden aan gedetineerden.",
                "is_help_line": True, "for_whom": "public",
                "themes": ["justice-detention", "aide-sociale"], "publics": ["detenus"],
                "modalities": ["telephone"], "languages": ["nl", "fr"],
                "area_whole_region": True,
                "phones": [("0800 90 109", "freephone", "Pour les détenus", "Voor gedetineerden", ["nl", "fr"])],
                "schedule": [],
            },
        ],
    },
    {
        "slug": "intermut",
        "name_fr": "Intermut (IM asbl) — Community Health Workers",
        "name_nl": "Intermut (IM vzw) — Community Health Workers",
        "alternate_name": "CHW",
        "description_fr": "Coordination du dispositif fédéral des Community Health Workers, "
        "subventionné par l'INAMI.",
        "description_nl": "Coördinatie van het federale programma Community Health Workers, "
        "gesubsidieerd door het RIZIV.",
        "website": "https://www.chw-intermut.be", "source": "seed 003",
        "services": [],  # one service per CHW zone, built from CHW_ZONES
    },
    {
        "slug": "conseillers-en-sante",
        "name_fr": "Conseillers en Santé (projet intermutualiste)",
        "name_nl": "Gezondheidsconsulenten (intermutualistisch project)",
        "alternate_name": "CeS",
        "description_fr": "Seize conseiller·es en santé des cinq mutualités, coordonné·es par les "
        "Mutualités Libres et subventionné·es par la Cocom.",
        "description_nl": "Zestien gezondheidsconsulenten van de vijf ziekenfondsen, gecoördineerd "
        "door de Onafhankelijke Ziekenfondsen en gesubsidieerd door de GGC.",
        "website": "https://www.lm-ml.be", "source": "seed 003",
        "services": [
            {
                "slug": "ces-appels-proactifs",
                "name_fr": "Conseillers en Santé — appels de prévention",
                "name_nl": "Gezondheidsconsulenten — preventieoproepen",
                "description_fr": "Appels téléphoniques proactifs, en semaine de 9h à 17h, vers des "
                "groupes cibles : personnes de 65 ans et plus et familles monoparentales de 48 "
                "quartiers fragilisés ; femmes de 56 à 69 ans pour le dépistage du cancer du sein ; "
                "femmes de 25 à 64 ans pour le cancer du col de l'utérus ; habitant·es de "
                "Saint-Josse de 50 à 74 ans pour le cancer colorectal.",
                "description_nl": "Proactieve telefoongesprekken, op weekdagen van 9u tot 17u, met "
                "doelgroepen: 65-plussers en eenoudergezinnen in 48 kwetsbare wijken; vrouwen van 56 "
                "tot 69 jaar voor borstkankeropsporing; vrouwen van 25 tot 64 jaar voor "
                "baarmoederhalskanker; inwoners van Sint-Joost van 50 tot 74 jaar voor darmkanker.",
                "for_whom": "public",
                "themes": ["prevention-promotion-sante", "cancer-sein", "cancer-col-uterus",
                           "cancer-colorectal"],
                "publics": ["seniors", "familles-monoparentales", "femmes-depistage"],
                "modalities": ["telephone"], "languages": ["fr", "nl"],
                "area_whole_region": True,
            },
            {
                "slug": "ces-ateliers",
                "name_fr": "Conseillers en Santé — ateliers santé",
                "name_nl": "Gezondheidsconsulenten — gezondheidsworkshops",
                "description_fr": "Ateliers de prévention et d'information sur l'accès aux soins pour "
                "le public et les professionnel·les, dans les bureaux de mutuelle ou chez des "
                "associations partenaires.",
                "description_nl": "Workshops over preventie en toegang tot zorg voor het publiek en "
                "professionals, in kantoren van ziekenfondsen of bij partnerverenigingen.",
                "for_whom": "both",
                "themes": ["prevention-promotion-sante", "acces-aux-soins"],
                "publics": ["tout-public", "professionnels"],
                "modalities": ["en-personne"], "languages": ["fr", "nl"],
                "area_whole_region": True,
            },
        ],
    },
    {
        "slug": "projet-lama",
        "name_fr": "Projet Lama", "name_nl": "Projet Lama",
        "description_fr": "Centre médico-social pour personnes toxicomanes, qui coordonne les "
        "équipes mobiles Cover et Artha.",
        "description_nl": "Medisch-sociaal centrum voor druggebruikers dat de mobiele teams Cover "
        "en Artha coördineert.",
        "source": "seed 003",
        "services": [
            {
                "slug": "cover",
                "name_fr": "Cover — équipe mobile socio-sanitaire",
                "name_nl": "Cover — mobiel sociaal-medisch team",
                "description_fr": "Équipe mobile pluridisciplinaire pour les personnes en hébergement "
                "d'urgence, en squat ou en rue qui consomment des substances : réduction des risques, "
                "accompagnement psychosocial, soutien psychologique, consultation médicale en "
                "toxicomanie ; formations pour les professionnel·les du secteur sans-abri.",
                "description_nl": "Multidisciplinair mobiel team voor mensen in noodopvang, kraakpanden "
                "of op straat die middelen gebruiken: schadebeperking, psychosociale begeleiding, "
                "psychologische steun, medische consultatie; vorming voor professionals.",
                "for_whom": "both",
                "themes": ["assuetudes", "acces-aux-soins"],
                "publics": ["sans-abri", "usagers-drogues", "professionnels"],
                "modalities": ["en-personne"], "languages": ["fr", "nl", "en"],
                "area_whole_region": True,
            },
            {
                "slug": "artha",
                "name_fr": "Artha — accompagnement mobile des usager·es de drogues sans titre de séjour",
                "name_nl": "Artha — mobiele begeleiding van druggebruikers zonder verblijfsvergunning",
                "description_fr": "Accompagnement psychosocial et juridique, médiation interculturelle "
                "vers les services, permanences sociales chez des partenaires ; sensibilisation et "
                "formation des professionnel·les.",
                "description_nl": "Psychosociale en juridische begeleiding, interculturele bemiddeling "
                "naar de diensten, sociale permanenties bij partners; vorming voor professionals.",
                "for_whom": "both",
                "themes": ["assuetudes", "sejour", "mediation-interculturelle"],
                "publics": ["usagers-drogues", "sejour-precaire", "professionnels"],
                "modalities": ["en-personne"], "languages": ["fr", "nl", "en"],
                "area_whole_region": True,
            },
        ],
    },
    {
        "slug": "saamo-brussel",
        "name_fr": "SAAMO Brussel", "name_nl": "SAAMO Brussel",
        "description_fr": "Organisation de travail communautaire (samenlevingsopbouw) qui agit avec "
        "les personnes en situation de vulnérabilité, notamment sur le logement.",
        "description_nl": "Organisatie voor samenlevingsopbouw die samen met mensen in een kwetsbare "
        "situatie werkt, onder meer rond wonen.",
        "website": "https://www.saamo.be", "source": "seed 003",
        "services": [{
            "slug": "stek-peterbos",
            "name_fr": "STEK-Peterbos et Zorgzaam Peterbos Solidaire",
            "name_nl": "STEK-Peterbos en Zorgzaam Peterbos Solidaire",
            "description_fr": "Lieu de rencontre convivial au Peterbos (Anderlecht) : informations, "
            "orientation par des travailleur·euses sociaux, activités de santé en groupe "
            "(marche, boxe, gymnastique 60+), groupe d'arrêt du tabac, prévention du diabète.",
            "description_nl": "Gezellige ontmoetingsplek in Peterbos (Anderlecht): informatie, "
            "doorverwijzing door sociaal werkers, gezondheidsactiviteiten in groep, rookstopgroep, "
            "diabetespreventie.",
            "for_whom": "public",
            "themes": ["travail-communautaire", "prevention-promotion-sante", "tabac", "diabete"],
            "publics": ["habitants-quartier"],
            "modalities": ["en-personne"], "languages": ["nl", "fr"],
            "area_communes": ["anderlecht"], "area_bassins": ["centre-ouest"],
        }],
    },
    {
        "slug": "foyer",
        "name_fr": "Foyer", "name_nl": "Foyer",
        "description_fr": "Association bruxelloise dont un des services est la médiation "
        "interculturelle en santé.",
        "description_nl": "Brusselse vzw met onder meer een dienst interculturele bemiddeling in de "
        "gezondheidszorg.",
        "source": "seed 003",
        "services": [{
            "slug": "foyer-icb",
            "name_fr": "Médiateurs interculturels en santé (ICB) du Foyer",
            "name_nl": "Interculturele bemiddelaars in de gezondheidszorg (ICB) van Foyer",
            "description_fr": "Service multilingue, sans rendez-vous, qui aide les personnes issues de "
            "l'immigration, les personnes âgées peu à l'aise avec le numérique et les personnes sans "
            "titre de séjour à comprendre les soins et à y accéder ; vidéos multilingues.",
            "description_nl": "Meertalige dienst zonder afspraak die mensen met een migratieachtergrond, "
            "ouderen met weinig digitale vaardigheden en mensen zonder verblijfsvergunning helpt de "
            "zorg te begrijpen en te bereiken; meertalige video's.",
            "for_whom": "both", "walk_in": True,
            "themes": ["mediation-interculturelle", "acces-aux-soins", "vaccination"],
            "publics": ["personnes-migrantes", "seniors", "sejour-precaire"],
            "modalities": ["en-personne", "telephone"],
            "languages": ["nl", "fr", "en", "ar", "tr", "uk"],
            "area_whole_region": True,
        }],
    },
]
# fmt: on
