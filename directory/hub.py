"""A few local services on a bassin's hub page, and the directory as a finder target
(registered from ``DirectoryConfig.ready()``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bassins import hub
from core.i18n import current_content_language

from .queries import Criteria, search_services

HUB_SERVICES = 4


def hub_context(bassin, request) -> dict:
    """A few services working in the bassin (two queries: the rows and the count)."""
    language = current_content_language()
    result = search_services(Criteria(bassin=[bassin.slug]), language, with_facets=False)
    return {
        "bassin": bassin,
        "services": result.first(HUB_SERVICES, "organisation", "location__commune"),
        "count": result.count(),
        "directory_url": directory_url(bassin.slug, language),
    }


def directory_url(slug: str, language: str) -> str:
    with translation.override(language):
        return reverse("directory:search") + f"?bassin={slug}"


def register() -> None:
    hub.register_section(
        "directory", order=40, template="directory/hub_section.html", context=hub_context
    )
    hub.register_finder_target("directory", label=_("le répertoire"), url=directory_url)
