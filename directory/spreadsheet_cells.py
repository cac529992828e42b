"""The spreadsheet's cells that hold more than one value, read strictly and written back.

A team keeps phones, weekly hours and maintainers' addresses in one cell each:

* phones: ``02 274 14 33; 0800 14 960 (gratuit)`` — numbers separated by ``;`` (or line
  breaks), a freephone, SMS or fax number with its kind in brackets, in French or Dutch;
* hours: ``lun 9:00-12:00, 14:00-16:00; mar-ven 13:30-17:00`` — French (lun, mar, mer,
  jeu, ven, sam, dim) or Dutch (ma, di, wo, do, vr, za, zo) days, full names too, a
  day or a range of days, then one or more time ranges (``9:00``, ``9h``, ``9h30``);
* e-mail addresses separated by commas, ``;`` or spaces.

Each ``parse_*`` returns the values or raises ``ValueError`` with a message that says
what is wrong and how to write it; each ``render_*`` writes what ``parse_*`` reads.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .models import Phone

MAX_PHONES = 10
MAX_SLOTS = 42
MAX_EMAILS = 10
MAX_CELL_CHARS = 4000
MAX_ENTRY_CHARS = 200

DAY_NAMES = {
    "fr": ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"],
    "nl": ["ma", "di", "wo", "do", "vr", "za", "zo"],
}
DAY_WORDS: dict[str, int] = {}
for _names in (
    DAY_NAMES["fr"],
    DAY_NAMES["nl"],
    ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
):
    DAY_WORDS |= {name: weekday for weekday, name in enumerate(_names)}

PHONE_KIND_WORDS = {
    "gratuit": Phone.Kind.FREEPHONE,
    "numéro vert": Phone.Kind.FREEPHONE,
    "numero vert": Phone.Kind.FREEPHONE,
    "gratis": Phone.Kind.FREEPHONE,
    "gratis nummer": Phone.Kind.FREEPHONE,
    "groen nummer": Phone.Kind.FREEPHONE,
    "sms": Phone.Kind.TEXT,
    "fax": Phone.Kind.FAX,
    "téléphone": Phone.Kind.VOICE,
    "telefoon": Phone.Kind.VOICE,
} | {kind: kind for kind in Phone.Kind.values}
PHONE_KIND_RENDER = {
    "fr": {Phone.Kind.FREEPHONE: "gratuit", Phone.Kind.TEXT: "sms", Phone.Kind.FAX: "fax"},
    "nl": {Phone.Kind.FREEPHONE: "gratis", Phone.Kind.TEXT: "sms", Phone.Kind.FAX: "fax"},
}

_PHONE_ENTRY = re.compile(r"^(?P<number>[^()]+?)\s*(?:\((?P<kind>[^()]*)\))?$")
_PHONE_NUMBER = re.compile(r"^\+?[0-9][0-9 ./-]*$")
_DAYS = re.compile(r"^(?P<first>[^\W\d_]+)\.?(?:\s*-\s*(?P<last>[^\W\d_]+)\.?)?\s+(?P<ranges>.+)$")
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})|[hH](?P<minute_h>\d{2})?)?$")
_RANGE = re.compile(r"^(?P<start>[^-–—]+?)\s*[-–—]\s*(?P<end>[^-–—]+)$")
_SMALL_NUMBER = re.compile(r"^\d{1,6}$")
_COORDINATE = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d{1,15})?$")
_LIST_SEPARATORS = re.compile(r"[;\n\r]+")


def _quoted(text: str) -> str:
    return str(text)[:60]


def _entries(text) -> list[str]:
    """The cell's entries (between ``;`` or line breaks), refused when too long to be
    real: the patterns below are then read on short strings only."""
    cell = str(text or "")
    if len(cell) > MAX_CELL_CHARS:
        raise ValueError(
            _("Cellule trop longue : %(max)s caractères au plus.") % {"max": MAX_CELL_CHARS}
        )
    entries = [entry.strip() for entry in _LIST_SEPARATORS.split(cell) if entry.strip()]
    for entry in entries:
        if len(entry) > MAX_ENTRY_CHARS:
            raise ValueError(
                _("« %(value)s… » : trop long (%(max)s caractères au plus entre deux « ; »).")
                % {"value": _quoted(entry), "max": MAX_ENTRY_CHARS}
            )
    return entries


# --- Phones ------------------------------------------------------------------------------


def parse_phones(text) -> tuple[tuple[str, str], ...]:
    """``(number, kind)`` pairs in the cell's order; an empty cell: none."""
    entries = _entries(text)
    if len(entries) > MAX_PHONES:
        raise ValueError(_("Plus de %(max)s numéros.") % {"max": MAX_PHONES})
    phones = []
    for entry in entries:
        match = _PHONE_ENTRY.match(entry)
        number = " ".join(match["number"].split()) if match else ""
        digits = sum(c.isdigit() for c in number)
        if not match or not _PHONE_NUMBER.match(number) or not 3 <= digits <= 15:
            raise ValueError(
                _(
                    "« %(value)s » n'est pas un numéro : des chiffres (espaces, points, "
                    "barres obliques permis), séparez les numéros par « ; »."
                )
                % {"value": _quoted(entry)}
            )
        if len(number) > Phone._meta.get_field("number").max_length:
            raise ValueError(_("« %(value)s » : numéro trop long.") % {"value": _quoted(number)})
        kind_word = " ".join((match["kind"] or "").split()).casefold()
        kind = PHONE_KIND_WORDS.get(kind_word) if kind_word else Phone.Kind.VOICE
        if kind is None:
            raise ValueError(
                _("« %(value)s » : type inconnu, écrivez (gratuit), (sms) ou (fax).")
                % {"value": _quoted(match["kind"])}
            )
        if number in {n for n, _k in phones}:
            raise ValueError(_("« %(value)s » : numéro en double.") % {"value": number})
        phones.append((number, str(kind)))
    return tuple(phones)


def render_phones(phones, language: str) -> str:
    words = PHONE_KIND_RENDER.get(language, PHONE_KIND_RENDER["fr"])
    parts = []
    for number, kind in phones:
        word = words.get(kind)
        parts.append(f"{number} ({word})" if word else number)
    return "; ".join(parts)


# --- Weekly hours ------------------------------------------------------------------------


def _day(word: str, entry: str) -> int:
    weekday = DAY_WORDS.get(word.casefold())
    if weekday is None:
        raise ValueError(
            _(
                "« %(value)s » : jour inconnu. Écrivez lun, mar, mer, jeu, ven, sam, dim "
                "(ou ma, di, wo, do, vr, za, zo) puis les heures, par ex. « lun 9:00-12:00 »."
            )
            % {"value": _quoted(entry)}
        )
    return weekday


def _time(text: str, entry: str) -> datetime.time:
    match = _TIME.match(text.strip())
    hour = int(match["hour"]) if match else 99
    minute = int(match["minute"] or match["minute_h"] or 0) if match else 99
    if hour > 23 or minute > 59:
        raise ValueError(
            _("« %(value)s » : heure illisible, écrivez par ex. 9:00 ou 13h30 (jusqu'à 23:59).")
            % {"value": _quoted(entry)}
        )
    return datetime.time(hour, minute)


def parse_hours(text) -> tuple[tuple[int, datetime.time, datetime.time], ...]:
    """Weekly slots ``(weekday 0=Monday, opens, closes)``, sorted; an empty cell: none.
    Refuses a slot that closes before it opens and slots that overlap on one day."""
    slots: list[tuple[int, datetime.time, datetime.time]] = []
    for entry in _entries(text):
        match = _DAYS.match(entry)
        if not match:
            raise ValueError(
                _("« %(value)s » : écrivez le jour puis les heures, par ex. « lun 9:00-12:00 ».")
                % {"value": _quoted(entry)}
            )
        first = _day(match["first"], entry)
        last = _day(match["last"], entry) if match["last"] else first
        if last < first:
            raise ValueError(
                _("« %(value)s » : une suite de jours va du premier au dernier (lun-ven).")
                % {"value": _quoted(entry)}
            )
        for part in match["ranges"].split(","):
            times = _RANGE.match(part.strip())
            if not times:
                raise ValueError(
                    _("« %(value)s » : écrivez les heures ainsi : 9:00-12:00.")
                    % {"value": _quoted(entry)}
                )
            opens, closes = _time(times["start"], entry), _time(times["end"], entry)
            if closes <= opens:
                raise ValueError(
                    _("« %(value)s » : l'heure de fermeture vient après celle d'ouverture.")
                    % {"value": _quoted(entry)}
                )
            slots += [(weekday, opens, closes) for weekday in range(first, last + 1)]
    if len(slots) > MAX_SLOTS:
        raise ValueError(_("Plus de %(max)s plages horaires.") % {"max": MAX_SLOTS})
    slots.sort()
    for before, after in zip(slots, slots[1:], strict=False):
        if before[0] == after[0] and after[1] < before[2]:
            raise ValueError(
                _("%(day)s : les plages %(first)s et %(second)s se chevauchent.")
                % {
                    "day": DAY_NAMES["fr"][before[0]],
                    "first": _slot_text(before),
                    "second": _slot_text(after),
                }
            )
    return tuple(slots)


def _clock(value: datetime.time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _slot_text(slot) -> str:
    return f"{_clock(slot[1])}-{_clock(slot[2])}"


def render_hours(slots, language: str) -> str:
    """One entry per day: ``lun 9:00-12:00, 14:00-16:00; mar 9:00-12:00``."""
    names = DAY_NAMES.get(language, DAY_NAMES["fr"])
    days: dict[int, list[str]] = {}
    for slot in sorted(slots):
        days.setdefault(slot[0], []).append(_slot_text(slot))
    return "; ".join(f"{names[day]} {', '.join(ranges)}" for day, ranges in days.items())


# --- E-mail addresses, numbers -------------------------------------------------------


def parse_emails(text) -> tuple[str, ...]:
    """Lower-cased addresses in the cell's order, each once."""
    found: list[str] = []
    cell = str(text or "")
    if len(cell) > MAX_CELL_CHARS:
        raise ValueError(
            _("Cellule trop longue : %(max)s caractères au plus.") % {"max": MAX_CELL_CHARS}
        )
    for word in re.split(r"[;,\s]+", cell):
        if not word:
            continue
        try:
            validate_email(word)
        except ValidationError:
            raise ValueError(
                _("« %(value)s » n'est pas une adresse e-mail (séparez-les par « ; »).")
                % {"value": _quoted(word)}
            ) from None
        if word.lower() not in found:
            found.append(word.lower())
    if len(found) > MAX_EMAILS:
        raise ValueError(_("Plus de %(max)s adresses.") % {"max": MAX_EMAILS})
    return tuple(found)


def parse_small_number(text) -> int | None:
    """A whole number of at most six digits (the model checks its range); empty: None."""
    value = str(text if text is not None else "").strip()
    if not value:
        return None
    if not _SMALL_NUMBER.match(value):
        raise ValueError(_("« %(value)s » : un nombre entier.") % {"value": _quoted(value)})
    return int(value)


def parse_coordinate(text) -> Decimal | None:
    """Decimal degrees (point or comma), rounded to six decimals (about 10 cm); empty:
    None. Anything else (exponents, words, huge numbers) is refused."""
    value = str(text if text is not None else "").strip()
    if not value:
        return None
    if not _COORDINATE.match(value):
        raise ValueError(
            _("« %(value)s » : des degrés décimaux, par ex. 50.8466.") % {"value": _quoted(value)}
        )
    return Decimal(value.replace(",", ".")).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
