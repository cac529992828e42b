"""Bilingual fields: one column per language, picked by the active language."""

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("fr", "nl")


def current_content_language() -> str:
    """The active language reduced to one we store content in (fr when unsure)."""
    language = (get_language() or "fr").split("-")[0]
    return language if language in CONTENT_LANGUAGES else "fr"


def localized(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>``, falling back to the other language when it is empty
    (French first: a Dutch-only event proposal still shows its Dutch title in French)."""
    language = language or current_content_language()
    value = getattr(obj, f"{field}_{language}", "") or ""
    if value:
        return value
    for other in ("fr", *CONTENT_LANGUAGES):
        value = getattr(obj, f"{field}_{other}", "") or ""
        if value:
            return value
    return ""


def in_language(french: str, dutch: str, language: str | None = None) -> str:
    """For a text kept in French with an optional Dutch version (a venue's or an
    organiser's name): the Dutch version for a Dutch reader when there is one, else the
    French."""
    language = language or current_content_language()
    return (dutch or french) if language == "nl" else (french or dutch)


class BilingualMixin:
    """Adds ``obj.tr("name")`` for models with ``name_fr`` / ``name_nl`` columns."""

    def tr(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)


class BilingualNameMixin(BilingualMixin):
    """For models named by ``name_fr`` / ``name_nl``: ``obj.name`` and ``str(obj)`` give
    the name in the active language (French when the Dutch one is empty)."""

    @property
    def name(self) -> str:
        return self.tr("name")

    def __str__(self) -> str:
        return self.tr("name")
