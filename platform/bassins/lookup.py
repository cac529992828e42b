"""Find your bassin: from a postal code or a commune name to the bassin(s) it belongs to.

One read shared by the finder form (home page, agenda, newsletter, directory,
proposals), its result page and the JSON API ``/api/bassins/lookup``. The answer comes
from the reference data only (``PostalCode`` and ``BassinArea``), so Bruxelles-Ville's
split is handled exactly as ``load_reference_data`` describes it: 1000 is mostly
Centre-Ouest with the avenue Louise in Sud, 1020/1120/1130 are Nord, 1040 is shared
between Etterbeek (Sud-Est) and the European quarter (Centre-Ouest).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from core.batched_reads import batched, cached_read
from core.i18n import current_content_language, localized

from .models import BassinArea, Commune, PostalCode

MAX_QUERY = 80
POSTAL_CODE = re.compile(r"^\s*(\d{4})\b")
OPTIONS_CACHE_KEY = batched("maillage:bassin-finder-options:{language}")
OPTIONS_CACHE_SECONDS = 300


class BadLookup(ValueError):
    """Input we cannot read as a postal code or a commune; ``str()`` is for people."""


@dataclass(frozen=True)
class BassinMatch:
    """One bassin an address may belong to, with the part of the commune when partial."""

    slug: str
    name: str
    part: str = ""
    commune: str = ""
    suggested: bool = False


@dataclass
class LookupResult:
    query: str
    postal_code: str = ""
    locality: str = ""
    commune: str = ""
    note: str = ""
    matches: list[BassinMatch] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.matches)

    @property
    def shared(self) -> bool:
        """True when the place spans several bassins and the person must choose."""
        return len({match.slug for match in self.matches}) > 1

    @property
    def single(self) -> BassinMatch | None:
        return self.matches[0] if self.found and not self.shared else None


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: "Saint-Gilles" ==
    "saint gilles" == "SAINT-GILLES"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[-'’.,/()]", " ", text).split())


def lookup(query: str, language: str | None = None) -> LookupResult:
    """The bassin(s) of a postal code ("1030", "1030 Schaerbeek") or a commune or
    locality name, in French or Dutch ("Schaarbeek", "Laeken", "Bruxelles-Ville").

    Raises ``BadLookup`` for empty, too long or malformed input. A well-formed query
    that matches nothing in Brussels returns a result with no matches.
    """
    language = language or current_content_language()
    query = (query or "").strip()
    if not query:
        raise BadLookup(_("Indiquez un code postal bruxellois (par ex. 1030) ou une commune."))
    if len(query) > MAX_QUERY:
        raise BadLookup(_("Cette recherche est trop longue."))
    code = POSTAL_CODE.match(query)
    if code:
        return _by_postal_code(query, code.group(1), language)
    if query.isdigit() or any(char.isdigit() for char in query):
        raise BadLookup(_("Un code postal belge compte quatre chiffres, par ex. 1030."))
    return _by_name(query, language)


def lookup_postal_code(value: str, language: str | None = None) -> LookupResult:
    """Strict variant for the JSON API: exactly four digits."""
    value = (value or "").strip()
    if not re.fullmatch(r"\d{4}", value):
        raise BadLookup(_("Un code postal belge compte quatre chiffres, par ex. 1030."))
    return _by_postal_code(value, value, language or current_content_language())


def _by_postal_code(query: str, code: str, language: str) -> LookupResult:
    found = (
        PostalCode.objects.select_related("suggested_bassin")
        .prefetch_related("candidate_bassins", "communes")
        .filter(code=code)
        .first()
    )
    result = LookupResult(query=query, postal_code=code)
    if found is None:
        return result
    result.locality = found.tr("name", language)
    result.note = found.tr("note", language)
    candidates = {bassin.pk: bassin for bassin in found.candidate_bassins.all()}
    communes = {commune.pk for commune in found.communes.all()}
    areas = BassinArea.objects.filter(
        bassin_id__in=candidates, commune_id__in=communes
    ).select_related("bassin", "commune")
    seen = set()
    for area in sorted(areas, key=lambda a: (a.bassin_id != found.suggested_bassin_id, a.pk)):
        key = (area.bassin_id, area.commune_id)
        if key in seen:
            continue
        seen.add(key)
        result.matches.append(_match(area, language, area.bassin_id == found.suggested_bassin_id))
    if not result.matches:  # data without territory rows: fall back on the candidates
        suggested = found.suggested_bassin
        result.matches = [
            BassinMatch(
                bassin.slug, bassin.tr("name", language), suggested=bassin.pk == suggested.pk
            )
            for bassin in candidates.values()
        ] or [BassinMatch(suggested.slug, suggested.tr("name", language), suggested=True)]
    if len(result.matches) == 1:
        result.commune = result.matches[0].commune
    return result


def _by_name(query: str, language: str) -> LookupResult:
    wanted = normalise(query)
    result = LookupResult(query=query)
    for commune in Commune.objects.all():
        if wanted in (normalise(commune.name_fr), normalise(commune.name_nl)) or wanted in (
            normalise(commune.name_fr).replace(" ville", ""),
            normalise(commune.name_nl).replace(" stad", ""),
        ):
            result.commune = commune.tr("name", language)
            areas = BassinArea.objects.filter(commune=commune).select_related("bassin", "commune")
            result.matches = [_match(area, language, False) for area in areas]
            return result
    # A locality with its own postal code (Laeken, Haren, Neder-Over-Heembeek, ...).
    for postal_code in PostalCode.objects.all():
        if wanted in (normalise(postal_code.name_fr), normalise(postal_code.name_nl)):
            return _by_postal_code(query, postal_code.code, language)
    return result


def _match(area: BassinArea, language: str, suggested: bool) -> BassinMatch:
    return BassinMatch(
        slug=area.bassin.slug,
        name=area.bassin.tr("name", language),
        part=localized(area, "part", language),
        commune=area.commune.tr("name", language),
        suggested=suggested,
    )


def finder_options(language: str | None = None) -> list[str]:
    """Suggestions for the finder's <datalist>: "1030 Schaerbeek" and every commune,
    in the given language first then the other one (cached: every page may show it)."""
    language = language or current_content_language()
    key = OPTIONS_CACHE_KEY.format(language=language)
    options = cached_read(key)
    if options is None:
        other = "nl" if language == "fr" else "fr"
        options = [f"{pc.code} {pc.tr('name', language)}" for pc in PostalCode.objects.all()]
        names = []
        for commune in Commune.objects.all():
            names += [commune.tr("name", language), commune.tr("name", other)]
        options += sorted(dict.fromkeys(names), key=normalise)
        cache.set(key, options, OPTIONS_CACHE_SECONDS)
    return options
