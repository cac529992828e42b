"""One harmonised set of pictograms for the directory's categories, and which theme
shows which one.

The drawings are Tabler icons (``@tabler/icons`` from the npm registry, MIT licence,
version in ``static/pictograms/README.md``), outline style: one 24×24 grid, 2 px round
strokes in ``currentColor``, so every pictogram shares one style and takes the text
colour. Only the SVGs listed here are copied into ``static/pictograms/``.

``PICTOGRAMS`` is ordered from the most specific category to the most general: a
service with several themes shows the first category any of its themes maps to
(debts before social aid). Themes are ``bassins.Theme`` slugs (the directory adds its
own, see ``reference_data.EXTRA_THEMES``); a theme not in ``THEME_PICTOGRAMS`` shows
the general "orientation" pictogram.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

STATIC_DIR = "pictograms"


@dataclass(frozen=True)
class Pictogram:
    """A category's pictogram: its key, the Tabler icon drawn, its accessible name."""

    key: str
    icon: str
    label: Promise

    @property
    def static_path(self) -> str:
        return f"{STATIC_DIR}/{self.icon}.svg"

    @property
    def name(self) -> str:
        """The accessible name in the active language."""
        return str(self.label)

    def name_in(self, language: str) -> str:
        with override(language):
            return str(self.label)

    @property
    def svg(self) -> str:
        """The drawing's inline markup (decorative: the caller names it)."""
        return inline_svg(self.icon)


PICTOGRAMS: dict[str, Pictogram] = {
    p.key: p
    for p in (
        Pictogram("mental-health", "brain", _("Santé mentale")),
        Pictogram("addiction", "pill", _("Assuétudes")),
        Pictogram("debts", "coin-euro", _("Dettes")),
        Pictogram("housing", "home", _("Logement")),
        Pictogram("food", "tools-kitchen-2", _("Alimentation")),
        Pictogram("legal-aid", "scale", _("Aide juridique")),
        Pictogram("migrants", "world", _("Personnes migrantes")),
        Pictogram("disability", "disabled", _("Handicap")),
        Pictogram("children-youth", "mood-kid", _("Enfance et jeunesse")),
        Pictogram("family", "baby-carriage", _("Famille et naissance")),
        Pictogram("elderly", "old", _("Personnes âgées")),
        Pictogram("employment", "briefcase", _("Emploi et formation")),
        Pictogram("prevention", "shield-plus", _("Prévention")),
        Pictogram("health", "stethoscope", _("Santé")),
        Pictogram("social-rights", "building-bank", _("Droits sociaux")),
        Pictogram("social-aid", "heart-handshake", _("Aide sociale")),
        Pictogram("community", "users-group", _("Travail communautaire")),
        Pictogram("help-line", "phone", _("Ligne d'aide")),
        Pictogram("orientation", "direction-sign", _("Orientation")),
    )
}
DEFAULT = "orientation"

# Theme slug -> pictogram key: the one place a theme gets its pictogram.
THEME_PICTOGRAMS: dict[str, str] = {
    # bassins.Theme (platform/bassins/reference.py)
    "sante-mentale": "mental-health",
    "alcool": "addiction",
    "tabac": "addiction",
    "assuetudes": "addiction",
    "dettes": "debts",
    "logement": "housing",
    "alimentation": "food",
    "handicap": "disability",
    "sejour": "migrants",
    "perinatalite": "family",
    "cancer-col-uterus": "prevention",
    "cancer-colorectal": "prevention",
    "cancer-peau": "prevention",
    "cancer-sein": "prevention",
    "cancer": "health",
    "tuberculose": "health",
    "hydratation": "prevention",
    "vaccination": "prevention",
    "diabete": "health",
    "vih-ist": "prevention",
    "virus-hivernaux": "prevention",
    "liaison-hopital-ambulatoire": "health",
    # the directory's own (directory/reference_data.py EXTRA_THEMES)
    "acces-aux-soins": "health",
    "prevention-promotion-sante": "prevention",
    "droits-sociaux": "social-rights",
    "aide-sociale": "social-aid",
    "justice-detention": "legal-aid",
    "mediation-interculturelle": "migrants",
    "travail-communautaire": "community",
    "orientation": "orientation",
    "situation-complexe": "orientation",
}
_ORDER = {key: index for index, key in enumerate(PICTOGRAMS)}


@functools.cache
def inline_svg(icon: str) -> str:
    """The SVG of ``icon`` from ``static/pictograms``, hidden from assistive
    technology (the wrapper carries the name)."""
    path = Path(settings.BASE_DIR) / "static" / STATIC_DIR / f"{icon}.svg"
    text = path.read_text(encoding="utf-8")
    start = text.index("<svg")
    body = text[start:].strip()
    return body.replace("<svg", '<svg aria-hidden="true" focusable="false"', 1)


def pictogram(key: str) -> Pictogram:
    """The pictogram of category ``key`` (the general one for an unknown key)."""
    return PICTOGRAMS.get(key) or PICTOGRAMS[DEFAULT]


def for_theme(slug: str) -> Pictogram:
    return pictogram(THEME_PICTOGRAMS.get(slug, DEFAULT))


def for_themes(slugs) -> Pictogram:
    """The most specific category among the themes ``slugs``."""
    keys = {THEME_PICTOGRAMS[s] for s in slugs if s in THEME_PICTOGRAMS}
    if not keys:
        return PICTOGRAMS[DEFAULT]
    return PICTOGRAMS[min(keys, key=_ORDER.__getitem__)]


def for_service(service) -> Pictogram:
    """A service's pictogram, from its denormalised ``facet_keys`` (no query): its most
    specific theme; a help line without a mapped theme shows the phone."""
    slugs = [k[6:] for k in (service.facet_keys or []) if k.startswith("theme:")]
    found = for_themes(slugs)
    if found.key == DEFAULT and service.is_help_line:
        return PICTOGRAMS["help-line"]
    return found


def used_icons() -> list[str]:
    return sorted({p.icon for p in PICTOGRAMS.values()})


def categories_of_themes(theme_slugs) -> list[tuple[Pictogram, list[str]]]:
    """The categories the themes ``theme_slugs`` fall into, most specific first, each with
    its theme slugs (what the easy directory's tiles link to)."""
    grouped: dict[str, list[str]] = {}
    for slug in theme_slugs:
        grouped.setdefault(THEME_PICTOGRAMS.get(slug, DEFAULT), []).append(slug)
    return [(PICTOGRAMS[key], sorted(grouped[key])) for key in PICTOGRAMS if key in grouped]
