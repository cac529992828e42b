"""Texts a member might write, and what the confidentiality check must say.

Each entry: (text, expected kinds of finding, in reading order within each weight;
blocking kinds first). An empty tuple means the text passes as it is.
"""

BLOCKED = [
    ("Son numéro national est 85.07.30-033.28, pouvez-vous vérifier ?", ("national_number",)),
    ("NN 85073003328", ("national_number",)),
    ("rijksregisternummer: 930211 157 25", ("national_number",)),
    # born in 2005: the check is computed on 2 followed by the nine digits
    ("Jeune né en 2005, NISS 05031512367.", ("national_number",)),
    ("Mme Dupont, née le 12/03/1985, n'a plus de mutuelle.", ("birth_date_with_name",)),
    ("Jean Dupont (12.03.1985) est sans domicile.", ("birth_date_with_name",)),
    ("Monsieur Benali né le 3 mars 1962 cherche un médecin.", ("birth_date_with_name",)),
    ("Dhr. Peeters, geboren op 04-11-1978, zoekt een huisarts.", ("birth_date_with_name",)),
]

WARNED = [
    ("Un patient né le 12/03/1985 cherche une maison médicale.", ("birth_date",)),
    ("Elle peut être jointe au 0478 12 34 56.", ("phone",)),
    ("Appelez le +32 2 274 14 33 le matin.", ("phone",)),
    ("Il habite rue de la Loi 16 depuis un mois.", ("address",)),
    ("Hij woont in de Wetstraat 16.", ("address",)),
    ("Famille au 0478/12.34.56, avenue Louise 120.", ("phone", "address")),
]

CLEAN = [
    "Quelqu'un connaît un service de médiation de dettes à Schaerbeek ?",
    "La concertation santé mentale a lieu le 12/03/2026 à 14h.",
    "Réunion du bassin Sud le 3 mars 2026, ordre du jour en pièce jointe.",
    "Medimmigrant a beaucoup d'attente cette semaine.",
    # 11 digits whose check digits are wrong: an order number, not a person
    "Commande 85073003329 livrée.",
    "Le Centre Ouest organise 3 ateliers.",
    "Qui a une place en maison d'accueil pour une mère et 2 enfants ?",
]
