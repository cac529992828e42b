"""A bassin inside an app's path, in the URL's language: /fr/agenda/nord-est/,
/nl/agenda/noordoost/."""

from __future__ import annotations

from core.i18n import current_content_language

from .pages import BASSIN_SLUGS_NL

FRENCH_SLUGS = {dutch: french for french, dutch in BASSIN_SLUGS_NL.items()}


class BassinSlugConverter:
    """``<bassin:bassin_slug>``: the view receives the bassin's slug (``Bassin.slug``,
    French); a URL reversed in Dutch carries the Dutch slug. A path only matches with
    the slug of its own language: the other language's slug falls through to the 404
    that ``maillage.localized_urls`` turns into a 301 to the right word."""

    regex = "[-a-z0-9]+"

    def to_python(self, value: str) -> str:
        if current_content_language() == "nl":
            if value in BASSIN_SLUGS_NL:
                raise ValueError(value)
            return FRENCH_SLUGS.get(value, value)
        if value in FRENCH_SLUGS:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        if current_content_language() == "nl":
            return BASSIN_SLUGS_NL.get(value, value)
        return value
