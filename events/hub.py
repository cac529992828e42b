"""What the agenda adds to a bassin's hub page and to the bassin finder.

Registered from ``EventsConfig.ready()`` (``bassins`` never imports the agenda).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bassins import hub
from core.i18n import current_content_language

from .filters import AgendaSelection
from .queries import upcoming_occurrences
from .views import feed_urls

HUB_EVENTS = 5
HUB_WINDOW_DAYS = 366


def hub_context(bassin, request) -> dict:
    """The bassin's next events (two queries) and its agenda's subscription links."""
    language = current_content_language()
    now = timezone.now()
    occurrences = upcoming_occurrences(
        now,
        now + datetime.timedelta(days=HUB_WINDOW_DAYS),
        bassins=[bassin.slug],
        include_cancelled=False,
        limit=HUB_EVENTS,
    )
    return {
        "bassin": bassin,
        "occurrences": occurrences,
        "feed": feed_urls(AgendaSelection(), bassin, language),
        "agenda_url": reverse("events:bassin_agenda", args=[bassin.slug]),
        "propose_url": reverse("events:propose") + f"?bassin={bassin.slug}",
    }


def agenda_url(slug: str, language: str) -> str:
    with translation.override(language):
        return reverse("events:bassin_agenda", args=[slug])


def propose_url(slug: str, language: str) -> str:
    with translation.override(language):
        return reverse("events:propose") + f"?bassin={slug}"


def register() -> None:
    hub.register_section(
        "events", order=10, template="events/hub_section.html", context=hub_context
    )
    hub.register_finder_target("agenda", label=_("l'agenda du bassin"), url=agenda_url)
    hub.register_finder_target("propose", label=_("proposer un événement"), url=propose_url)
