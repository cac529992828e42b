"""The bassin's Info Prévention Santé on its hub page, and its subscription form as a
finder target (registered from ``NewslettersConfig.ready()``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bassins import hub
from core.i18n import current_content_language

from .queries import published_issues

HUB_ISSUES = 4


def hub_context(bassin, request) -> dict:
    """The current issue and a few past ones in the page's language (one query), with
    the subscription form's target."""
    language = current_content_language()
    issues = list(published_issues(language, bassin=bassin)[:HUB_ISSUES])
    for issue in issues:
        issue.hub_url = issue.get_url(request)
    return {
        "bassin": bassin,
        "current": issues[0] if issues else None,
        "past": issues[1:],
        "subscribe_url": subscribe_url(bassin.slug, language),
        "language": language,
    }


def subscribe_url(slug: str, language: str) -> str:
    with translation.override(language):
        return reverse("newsletters:subscribe_bassin", kwargs={"bassin": slug})


def register() -> None:
    hub.register_section(
        "newsletters", order=20, template="newsletters/hub_section.html", context=hub_context
    )
    hub.register_finder_target("newsletter", label=_("l'Info Prévention Santé"), url=subscribe_url)
