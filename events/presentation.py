"""How an occurrence is shown: the ``OccurrenceView`` that pages, the API and the
newsletter render, built from its database rows (titles in the requested language)."""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.utils import timezone, translation

from core.i18n import current_content_language

from .ical import event_uid
from .models import Occurrence, OccurrenceView


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def occurrence_view(occ: Occurrence, lang: str | None = None) -> OccurrenceView:
    lang = lang or current_content_language()
    event = occ.event
    title = (getattr(occ, f"title_{lang}") or occ.title_fr) or event.tr("title", lang)
    with translation.override(lang):
        path = event.get_absolute_url(lang)
    return OccurrenceView(
        uid=event_uid(event.uid),
        recurrence_id=occ.recurrence_id,
        event_id=event.pk,
        title=title,
        start=occ.start,
        end=occ.end,
        all_day=occ.all_day,
        status=occ.status,
        kind_slug=event.kind.slug,
        kind_name=event.kind.tr("name", lang),
        bassin_slugs=tuple(sorted(b.slug for b in event.bassins.all())),
        venue_name=occ.venue_name or event.venue_name_in(lang),
        venue_address=occ.venue_address or event.venue_address,
        url=absolute_url(path),
        is_regional=event.is_regional or not event.bassins.all(),
        is_recurring=event.is_recurring,
        note=getattr(occ, f"note_{lang}") or occ.note_fr,
        occurrence_id=occ.pk,
    )


JSON_KEY = "json"


def occurrence_json(view: OccurrenceView) -> str:
    """The occurrence as ``/api/events`` lists it, encoded; kept with the view (so once
    per agenda version and language for the index's views)."""
    encoded = view.fragments.get(JSON_KEY)
    if encoded is None:
        encoded = view.fragments[JSON_KEY] = json.dumps(
            {
                "uid": view.uid,
                "recurrence_id": view.recurrence_id.astimezone(datetime.UTC).isoformat(),
                "event_id": view.event_id,
                "title": view.title,
                "start": timezone.localtime(view.start).isoformat(),
                "end": timezone.localtime(view.end).isoformat(),
                "all_day": view.all_day,
                "status": view.status,
                "kind": view.kind_slug,
                "bassins": list(view.bassin_slugs),
                "regional": view.is_regional,
                "venue": {"name": view.venue_name, "address": view.venue_address},
                "url": view.url,
            },
            ensure_ascii=False,
        )
    return encoded
