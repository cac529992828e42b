# ruff: noqa: E501
"""The 15 terms of the lexique of seed 003 (Panorama 1, chapter 4), rewritten in our
own words in French and Dutch. (slug, term FR, term NL, variants FR, variants NL,
definition FR, definition NL); variants are other spellings linked in content."""

# fmt: off
GLOSSARY = [
    ("aller-vers", "Aller-vers / outreach", "Outreach (aanklampend werken)",
     "aller-vers|outreach|travail de proximité", "outreach|aanklampend werken|outreachend",
     "Aller à la rencontre des personnes là où elles vivent ou passent (rue, domicile, marché, "
     "téléphone, réseaux sociaux) plutôt que d'attendre qu'elles poussent la porte d'un service. "
     "L'outreach en est la forme actuelle : une posture ouverte, sans jugement, qui part de là où "
     "la personne en est et vise surtout celles que les services classiques n'atteignent pas.",
     "Mensen opzoeken waar ze wonen of komen (straat, thuis, markt, telefoon, sociale media) in "
     "plaats van te wachten tot ze zelf naar een dienst stappen. Outreach is de hedendaagse vorm: "
     "een open houding zonder oordeel, die vertrekt van waar de persoon staat en vooral wie door "
     "het klassieke aanbod niet bereikt wordt."),
    ("ambulatoire", "Ambulatoire", "Ambulant",
     "ambulatoire|ambulatoires", "ambulant|ambulante",
     "Se dit de l'aide ou des soins donnés dans un lieu où la personne vient quelques heures sans y "
     "dormir, par opposition à l'hébergement (hôpital, maison de repos) et à l'aide à domicile. À "
     "Bruxelles, le mot désigne aussi le « secteur ambulatoire » de la Cocof : services sociaux, "
     "médiation de dettes, maisons médicales, plannings familiaux, santé mentale...",
     "Hulp of zorg op een plek waar iemand enkele uren komt zonder er te overnachten, in "
     "tegenstelling tot residentiële opvang (ziekenhuis, woonzorgcentrum) en thuiszorg. In Brussel "
     "verwijst het ook naar de 'ambulante sector' van de Cocof: sociale diensten, "
     "schuldbemiddeling, wijkgezondheidscentra, geestelijke gezondheid..."),
    ("case-manager", "Case manager", "Casemanager",
     "case manager|case managers|case management", "casemanager|casemanagers|casemanagement",
     "Professionnel·le social-santé, extérieur·e à l'équipe qui accompagne, appelé·e pour les "
     "situations les plus complexes. Il ou elle fait entendre les besoins de la personne, construit "
     "ou complète le réseau, établit un plan de soutien, en assure le suivi et facilite la "
     "circulation de l'information, pour une durée limitée.",
     "Welzijns- of zorgprofessional van buiten het begeleidende team, ingeschakeld bij de meest "
     "complexe situaties. Brengt de noden van de persoon naar voren, bouwt het netwerk uit, maakt "
     "een ondersteuningsplan, volgt het op en zorgt dat informatie doorstroomt, voor een beperkte "
     "tijd."),
    ("centres-social-sante-integres", "Centres social-santé intégrés (CSSI)",
     "Geïntegreerde welzijns- en gezondheidscentra",
     "centre social-santé intégré|centres social-santé intégrés|CSSI",
     "geïntegreerd welzijns- en gezondheidscentrum|geïntegreerde welzijns- en gezondheidscentra",
     "Structure de première ligne qui réunit, souvent sous un même toit, un service social général, "
     "une maison médicale et une offre en santé mentale, pour répondre à l'ensemble des besoins "
     "d'une personne ou d'une famille.",
     "Eerstelijnsvoorziening die, vaak onder één dak, een algemene sociale dienst, een "
     "wijkgezondheidscentrum en geestelijke gezondheidszorg samenbrengt om alle noden van een "
     "persoon of gezin op te vangen."),
    ("clss", "CLSS — Contrat local social-santé", "LWGC — Lokaal welzijns- en gezondheidscontract",
     "CLSS|contrat local social-santé|contrats locaux social-santé", "LWGC|lokaal welzijns- en gezondheidscontract",
     "Contrat entre la Cocom et un CPAS pour mieux organiser l'aide et les soins dans un quartier "
     "social-santé : relier les acteurs, rendre l'ambulatoire plus accessible, travailler entre "
     "secteurs et renforcer le pouvoir d'agir des habitant·es, avec un·e référent·e de quartier.",
     "Contract tussen de GGC en een OCMW om hulp en zorg in een welzijns- en gezondheidswijk beter "
     "te organiseren: actoren verbinden, de ambulante sector toegankelijker maken, sectoroverschrijdend "
     "werken en de bewoners versterken, met een wijkreferent."),
    ("community-engagement", "Community engagement", "Community engagement",
     "community engagement|engagement communautaire", "community engagement|gemeenschapsbetrokkenheid",
     "Lien construit entre les pouvoirs publics et la population, qui traite les habitant·es comme "
     "des partenaires à part entière et combine plusieurs façons de communiquer pour entendre les "
     "besoins des groupes les plus éloignés des services.",
     "Band tussen overheid en bevolking die bewoners als volwaardige partners behandelt en "
     "verschillende communicatievormen combineert om de noden te horen van groepen die ver van de "
     "diensten staan."),
    ("coordination-sociale-locale", "Coordination sociale locale", "Lokale sociale coördinatie",
     "coordination sociale|coordinations sociales", "sociale coördinatie|sociale coördinaties",
     "Lieu de rencontre régulier des travailleur·euses des services social-santé d'une commune ou "
     "d'un quartier, tous secteurs confondus, pour mieux répondre ensemble aux besoins des "
     "habitant·es. Souvent organisée par le CPAS.",
     "Regelmatig overleg tussen de medewerkers van welzijns- en gezondheidsdiensten van een gemeente "
     "of wijk, uit alle sectoren, om samen beter op de noden van de bewoners in te spelen. Vaak "
     "georganiseerd door het OCMW."),
    ("education-sante", "Éducation à la santé", "Gezondheidsvoorlichting",
     "éducation à la santé|éducation pour la santé", "gezondheidsvoorlichting|gezondheidseducatie",
     "Créer des occasions d'apprendre pour que les personnes et les groupes comprennent mieux leur "
     "santé et acquièrent des réflexes favorables, en allant vers ceux qui en ont le plus besoin et "
     "avec des outils adaptés (littératie en santé).",
     "Leerkansen creëren zodat mensen en groepen hun gezondheid beter begrijpen en gezonde reflexen "
     "verwerven, door actief naar wie het meest nodig heeft te gaan met aangepaste middelen "
     "(gezondheidsgeletterdheid)."),
    ("field-agent", "Field agent", "Field agent",
     "field agent|field agents", "field agent|field agents",
     "Fonction de la crise du COVID-19 : prévenir les personnes « cas contact » qu'elles devaient "
     "rester chez elles et vérifier le suivi des mesures, un rôle proche de celui d'un call center.",
     "Functie uit de COVID-19-crisis: mensen verwittigen dat ze hoogrisicocontact waren en thuis "
     "moesten blijven, en de opvolging van de maatregelen nagaan, vergelijkbaar met een callcenter."),
    ("pssi", "PSSI — Plan social-santé intégré", "GWGP — Geïntegreerd Welzijns- en Gezondheidsplan",
     "PSSI|plan social-santé intégré|plan social santé intégré", "GWGP|geïntegreerd welzijns- en gezondheidsplan",
     "Plan bruxellois qui réunit les politiques sociales et de santé. Il organise l'offre de "
     "première ligne par territoire (quartiers social-santé, cinq bassins d'aide et de soins, "
     "Région), confie l'appui à la première ligne à Brusano et met en place les CLSS.",
     "Brussels plan dat welzijns- en gezondheidsbeleid samenbrengt. Het organiseert het "
     "eerstelijnsaanbod per gebied (welzijns- en gezondheidswijken, vijf zorgzones, Gewest), "
     "vertrouwt de ondersteuning van de eerste lijn toe aan Brusano en voert de LWGC in."),
    ("quartiers-social-sante", "Quartiers social-santé", "Welzijns- en gezondheidswijken",
     "quartier social-santé|quartiers social-santé|quartiers social santé",
     "welzijns- en gezondheidswijk|welzijns- en gezondheidswijken",
     "Découpage de toute la Région en zones continues qui ne se chevauchent pas, de 30 000 "
     "habitant·es au plus (sauf exception), à l'échelle desquelles l'aide et les soins de proximité "
     "s'organisent.",
     "Indeling van het hele Gewest in aaneengesloten, niet-overlappende zones van hoogstens 30.000 "
     "inwoners (behoudens uitzondering), waarbinnen hulp en zorg dichtbij georganiseerd worden."),
    ("responsabilite-populationnelle", "Responsabilité populationnelle", "Populatieverantwoordelijkheid",
     "responsabilité populationnelle", "populatieverantwoordelijkheid",
     "Tous les services et professionnel·les social-santé d'un territoire sont ensemble responsables "
     "du bien-être de sa population : on organise l'offre selon les besoins réels du quartier, pas "
     "seulement selon ce qui existe ou ce qui est demandé.",
     "Alle welzijns- en gezondheidsdiensten en professionals van een gebied zijn samen "
     "verantwoordelijk voor het welzijn van de bevolking: het aanbod volgt de werkelijke noden van de "
     "wijk, niet enkel wat al bestaat of gevraagd wordt."),
    ("sante-communautaire", "Santé communautaire", "Gemeenschapsgerichte gezondheidszorg",
     "santé communautaire|démarche communautaire en santé", "gemeenschapsgerichte gezondheidszorg",
     "Stratégie qui vise le droit à la santé pour tous et le changement social, menée collectivement "
     "avec les habitant·es, les professionnel·les et les responsables politiques, à partir d'une "
     "vision globale et positive de la santé (charte d'Ottawa).",
     "Strategie die het recht op gezondheid voor iedereen en sociale verandering nastreeft, samen met "
     "bewoners, professionals en beleidsmakers, vanuit een brede en positieve kijk op gezondheid "
     "(Ottawa-charter)."),
    ("travail-communautaire", "Travail communautaire", "Opbouwwerk",
     "travail communautaire|démarche communautaire|action communautaire", "opbouwwerk|samenlevingsopbouw",
     "Approche qui s'appuie sur le pouvoir d'agir des habitant·es d'un territoire pour construire avec "
     "eux des réponses collectives à des problèmes collectifs, en lien avec les professionnel·les "
     "et les ressources locales. À distinguer du travail social individuel et du travail de groupe.",
     "Aanpak die vertrekt van de kracht van de bewoners van een gebied om samen collectieve "
     "antwoorden op collectieve problemen te bouwen, met professionals en lokale hulpbronnen. Te "
     "onderscheiden van individueel maatschappelijk werk en groepswerk."),
    ("universalisme-proportionne", "Universalisme proportionné", "Proportioneel universalisme",
     "universalisme proportionné", "proportioneel universalisme",
     "Offrir les mêmes services à toute la population, mais avec plus d'intensité là où les "
     "difficultés sociales ou de santé sont les plus grandes.",
     "Dezelfde diensten aan de hele bevolking aanbieden, maar met meer intensiteit waar de sociale "
     "of gezondheidsproblemen het grootst zijn."),
]
# fmt: on
