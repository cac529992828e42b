"""Helpers to build events in tests (real DB rows, through the services)."""

from __future__ import annotations

import datetime
import zoneinfo

import recurrence

from events import services
from events.models import Event, EventKind, EventStatus

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def make_event(
    title="Atelier",
    *,
    kind="rendez-vous-prevention",
    start=None,
    end=None,
    all_day=False,
    bassins=(),
    rule: str | None = None,
    status=EventStatus.PUBLISHED,
    **fields,
) -> Event:
    """Create a published event; ``rule`` is an RFC 5545 text for django-recurrence,
    ``languages`` comma-separated codes ("fr,nl")."""
    from bassins.models import Bassin, Language, Theme

    start = start or local(2026, 3, 10, 10, 0)
    end = end or start + datetime.timedelta(hours=2)
    themes = fields.pop("themes", [])
    languages = fields.pop("languages", "fr")
    event = Event(
        title_fr=title,
        title_nl=fields.pop("title_nl", f"{title} NL"),
        kind=EventKind.objects.get(slug=kind),
        status=status,
        is_regional=not bassins,
        **fields,
    )
    services.set_times(event, start, end, all_day)
    if rule:
        event.recurrence = recurrence.deserialize(rule)
    event.save()
    event.bassins.set(Bassin.objects.filter(slug__in=bassins))
    if themes:
        event.themes.set(Theme.objects.filter(slug__in=themes))
    event.languages.set(Language.objects.filter(code__in=languages.split(",")))
    services.save_event(event, bump=False)
    return event


def body(response) -> bytes:
    """The bytes of a response, streamed (feeds are served as files) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
