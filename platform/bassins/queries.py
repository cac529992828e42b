"""Reads shared by the bassin pages, the header/footer and other apps."""

from collections.abc import Iterable

from django.core.cache import cache

from core.batched_reads import batched, cached_read
from core.i18n import current_content_language

from . import hub
from .models import Bassin, Language, PostalCode, TeamMember

LANGUAGE_CHOICES_KEY = batched("bassins:language-choices:{language}")


def bassin_page_context(bassin: Bassin, request=None) -> dict:
    """Territory, team and the sections other apps register (``bassins.hub``)."""
    return {
        "areas": list(bassin.areas.select_related("commune")),
        "team": list(TeamMember.objects.filter(bassin=bassin).select_related("photo")),
        "hub_sections": hub.render_sections(bassin, request) if request is not None else [],
    }


def home_context(home) -> dict:
    return {"bassins": list(Bassin.objects.all())}


def suggest_bassin(postal_code: str) -> dict:
    """What a postal code says about the bassin of an address.

    Returns ``{"bassin": Bassin | None, "candidates": [Bassin], "ambiguous": bool,
    "note": str}``. An unknown code returns no bassin and no candidates; a code
    shared between bassins returns the most likely one *and* every candidate, so
    the form can ask the person to confirm.
    """
    code = (postal_code or "").strip()
    found = (
        PostalCode.objects.select_related("suggested_bassin")
        .prefetch_related("candidate_bassins")
        .filter(code=code)
        .first()
    )
    if found is None:
        return {"bassin": None, "candidates": [], "ambiguous": False, "note": ""}
    candidates = list(found.candidate_bassins.all())
    return {
        "bassin": found.suggested_bassin,
        "candidates": candidates,
        "ambiguous": len(candidates) > 1,
        "note": found.tr("note"),
    }


def bassins_or_suggested(bassins: Iterable[Bassin], postal_code: str) -> list[Bassin]:
    """The bassins a proposal names or, when it names none, the one its postal code
    suggests (none for a code we do not know)."""
    chosen = list(bassins)
    if chosen or not postal_code:
        return chosen
    suggested = suggest_bassin(postal_code)["bassin"]
    return [suggested] if suggested else []


def language_choices() -> list[tuple[str, str]]:
    """The spoken languages as form choices, ``(code, name in the active language)``, in
    the reference's order; cached a minute (agenda and programme filters need them)."""
    key = LANGUAGE_CHOICES_KEY.format(language=current_content_language())
    rows = cached_read(key)
    if rows is None:
        rows = [(language.code, language.name) for language in Language.objects.all()]
        cache.set(key, rows, timeout=60)
    return rows


def spoken_languages(codes) -> list[Language]:
    """The reference languages of ``codes`` (``["fr", "nl"]``); unknown codes are left out
    (forms offer only ``language_choices``)."""
    return list(Language.objects.filter(code__in=list(codes)))
