"""The confidentiality check run before anything is posted in the exchange space.

Members share *general* situations, never the person they help. ``check_text``
looks for what identifies someone and answers with findings of two weights:

- **block** (the text is refused, the member rephrases): a Belgian national register
  number (11 digits whose last two are the mod-97 check of the first nine, with the
  "2" prefix for people born from 2000 on); a full date of birth next to a name.
- **warn** (the member must confirm, or rephrase): a phone number, a street address,
  a date of birth with no name nearby.

Hand-written because no maintained library knows the Belgian national number, and
the other rules are about French and Dutch phrasing. The corpus that pins the
behaviour is ``tests/exchanges/confidentiality_corpus.py``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

BLOCK = "block"
WARN = "warn"

_SEP = r"[ .\-/]?"
NATIONAL_NUMBER = re.compile(
    rf"(?<![\d])(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{3}}){_SEP}(\d{{2}})(?![\d])"
)

MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    "décembre|decembre|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    "november|december"
)
FULL_DATE = re.compile(
    rf"""(?<!\d)(?:
        (?P<d1>[0-3]?\d)[./-](?P<m1>[01]?\d)[./-](?P<y1>(?:19|20)\d\d|\d\d)(?!\d)
      | (?P<d2>[0-3]?\d)(?:er)?\s+(?P<m2>{MONTHS})\s+(?P<y2>(?:19|20)\d\d)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
BIRTH_WORDS = re.compile(
    r"\b(?:né|née|né\(e\)|né·e|né-e|naissance|DDN|geboren|geboortedatum|°)",
    re.IGNORECASE,
)
HONORIFIC_NAME = re.compile(
    r"\b(?:M\.|Mr\.?|Mme|Mlle|Madame|Monsieur|Mademoiselle|Dhr\.?|Mevr\.?|Meneer|Mevrouw)"
    r"\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]+",
)
TWO_CAPITALISED_WORDS = re.compile(
    r"\b[A-ZÀ-Ý][a-zà-ÿ'’-]+\s+[A-ZÀ-Ý][A-ZÀ-Ýa-zà-ÿ'’-]+\b|\b[A-ZÀ-Ý]{2,}\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+\b"
)
# Capitalised pairs that are ordinary words of the sector, not people.
NOT_NAMES = re.compile(
    r"^(?:Le|La|Les|De|Het|Een|Un|Une|Bassin|Centre|Maison|CPAS|OCMW|Sud|Nord|Info|Brusano)\b"
)
PHONE = re.compile(r"(?<![\d+])(?:\+32|0032|0)[ ./]?[1-9](?:[ ./-]?\d){7,8}(?!\d)")
STREET = re.compile(
    r"""\b(?:rue|avenue|av\.|boulevard|bd\.?|chaussée|place|square|chemin|allée|impasse
           |quai|drève|clos)
        \s+(?:[\wÀ-ÿ'’.-]+\s+){0,4}?[\wÀ-ÿ'’.-]+,?\s+\d{1,4}[a-zA-Z]?\b
      | \b[A-ZÀ-Ý][\wÀ-ÿ-]*(?:straat|laan|steenweg|plein|lei|dreef|kaai|weg|dijk)
        \s+\d{1,4}[a-zA-Z]?\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
NEARBY = 60  # characters around a date in which a birth word or a name counts


@dataclass(frozen=True)
class Finding:
    kind: str  # national_number, birth_date_with_name, birth_date, phone, address
    level: str  # BLOCK or WARN
    start: int
    end: int
    text: str

    @property
    def message(self) -> str:
        return str(MESSAGES[self.kind])


MESSAGES = {
    "national_number": _(
        "Un numéro de registre national a été détecté : il identifie une personne et ne "
        "peut pas être publié."
    ),
    "birth_date_with_name": _(
        "Une date de naissance à côté d'un nom a été détectée : retirez le nom ou la date."
    ),
    "birth_date": _("Une date de naissance a été détectée : est-elle vraiment utile ?"),
    "phone": _(
        "Un numéro de téléphone a été détecté : s'il est celui d'une personne aidée, retirez-le."
    ),
    "address": _("Une adresse a été détectée : si c'est celle d'une personne aidée, retirez-la."),
}


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.level == BLOCK]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARN]

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocking)

    @property
    def is_clean(self) -> bool:
        return not self.findings


def is_national_number(digits: str) -> bool:
    """True when the 11 ``digits`` carry a valid mod-97 check (born before or from 2000)."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def _national_numbers(text: str) -> list[Finding]:
    found = []
    for match in NATIONAL_NUMBER.finditer(text):
        if is_national_number("".join(match.groups())):
            found.append(
                Finding("national_number", BLOCK, match.start(), match.end(), match.group())
            )
    return found


def _valid_date(match: re.Match, today: datetime.date) -> bool:
    day = int(match.group("d1") or match.group("d2"))
    if match.group("m1"):
        month = int(match.group("m1"))
        year = int(match.group("y1"))
        if year < 100:
            year += 1900 if year > today.year % 100 else 2000
    else:
        month, year = 1, int(match.group("y2"))
    return 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year <= today.year


def _has_name(window: str) -> bool:
    if HONORIFIC_NAME.search(window):
        return True
    return any(not NOT_NAMES.match(m.group()) for m in TWO_CAPITALISED_WORDS.finditer(window))


def _birth_dates(text: str, today: datetime.date) -> list[Finding]:
    found = []
    for match in FULL_DATE.finditer(text):
        if not _valid_date(match, today):
            continue
        before = text[max(0, match.start() - NEARBY) : match.start()]
        around = text[max(0, match.start() - NEARBY) : match.end() + NEARBY]
        # "Mme Dupont, 12/03/1985" or "Jean Dupont (12.03.1985)": a name right before a
        # date reads as a birth date even without the word.
        name_right_before = re.search(
            r"(?:" + HONORIFIC_NAME.pattern + r"|" + TWO_CAPITALISED_WORDS.pattern + r")"
            r"\s*[,(:]\s*$",
            before,
        )
        is_birth = bool(BIRTH_WORDS.search(before)) or bool(name_right_before)
        if not is_birth:
            continue
        if name_right_before or _has_name(around):
            found.append(
                Finding("birth_date_with_name", BLOCK, match.start(), match.end(), match.group())
            )
        else:
            found.append(Finding("birth_date", WARN, match.start(), match.end(), match.group()))
    return found


def _overlaps(finding: Finding, others: list[Finding]) -> bool:
    return any(finding.start < o.end and o.start < finding.end for o in others)


def check_text(text: str, today: datetime.date | None = None) -> CheckResult:
    """Every finding in ``text``, blocking ones first, in reading order within a weight."""
    today = today or datetime.date.today()
    findings = _national_numbers(text)
    findings += [f for f in _birth_dates(text, today) if not _overlaps(f, findings)]
    phones = [Finding("phone", WARN, m.start(), m.end(), m.group()) for m in PHONE.finditer(text)]
    findings += [f for f in phones if not _overlaps(f, findings)]
    findings += [
        Finding("address", WARN, m.start(), m.end(), m.group()) for m in STREET.finditer(text)
    ]
    findings.sort(key=lambda f: (f.level != BLOCK, f.start))
    return CheckResult(findings)
