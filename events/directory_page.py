"""The agenda's section of a directory organisation's page (see ``directory.sections``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from directory.sections import register_organisation_section

from .queries import upcoming_occurrences

EVENTS_DAYS_AHEAD = 90
EVENTS_SHOWN = 5


def organisation_events_context(organisation) -> dict | None:
    """The next agenda occurrences whose organiser (or title) names this organisation.

    The agenda stores the organiser as free text, so the match is on the French name;
    ``upcoming_occurrences`` costs two queries whatever the number of events.
    """
    start = timezone.now()
    events = upcoming_occurrences(
        start,
        start + datetime.timedelta(days=EVENTS_DAYS_AHEAD),
        text=organisation.name_fr,
        include_cancelled=False,
        limit=EVENTS_SHOWN,
    )
    return {"events": events} if events else None


def register() -> None:
    register_organisation_section(
        "events", "events/_directory_events.html", organisation_events_context, order=20
    )
