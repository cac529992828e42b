"""The agenda's iCalendar feeds (RFC 5545): events as VEVENTs, built with ``events.ical``.

One VEVENT per event carries the series (DTSTART;TZID + RRULE/RDATE/EXDATE); every
per-occurrence exception is an overriding VEVENT with the same UID and a
RECURRENCE-ID: moved or changed occurrences with their new values, cancelled ones
with STATUS:CANCELLED (so clients that show cancellations can, and the others hide
them). Series with an EXRULE (deprecated by RFC 5545) are published as RDATEs of
their materialised occurrences instead. Caching and serving: ``events.serving``.
"""

from __future__ import annotations

import datetime
import hashlib
import zoneinfo

import icalendar
import recurrence as django_recurrence
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.utils import timezone, translation

from bassins.models import Bassin

from . import expansion as rec
from .filters import AgendaSelection
from .ical import add_text, event_uid, feed_refresh, new_calendar
from .models import BRUSSELS, Event, EventKind, Occurrence, OccurrenceStatus
from .presentation import absolute_url
from .queries import event_filter

ZONE = zoneinfo.ZoneInfo(BRUSSELS)


def feed_events(selection: AgendaSelection):
    """Published events matching the selection with an occurrence inside the window."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.FEED_PAST_WINDOW_DAYS)
    recent = Occurrence.objects.filter(end__gte=cutoff).values("event_id")
    return (
        Event.objects.filter(event_filter(**selection.query_kwargs()))
        .filter(id__in=recent)
        .select_related("kind")
        .prefetch_related(
            Prefetch("bassins", queryset=Bassin.objects.only("id", "slug", "name_fr", "name_nl")),
            Prefetch(
                "occurrences",
                queryset=Occurrence.objects.order_by("start"),
                to_attr="all_occurrences",
            ),
        )
        .order_by("start_date", "start_time", "pk")
    )


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, ZONE)


def _when(value: datetime.datetime, all_day: bool):
    local = _local(value)
    return local.date() if all_day else local


def _plain_description(event: Event, lang: str, url: str, note: str = "") -> str:
    parts = [note] if note else []
    description = event.tr("description", lang).strip()
    if description:
        parts.append(description)
    if event.organiser_in(lang):
        parts.append(f"{translation.gettext('Organisation')}: {event.organiser_in(lang)}")
    if event.online_url:
        parts.append(event.online_url)
    parts.append(url)
    return "\n\n".join(parts)


def _location(name: str, address: str, postal_code: str = "") -> str:
    return ", ".join(p for p in [name, address, postal_code] if p)


def _recur(rule, event: Event) -> icalendar.vRecur:
    """A django-recurrence Rule as an iCal RRULE; UNTIL in UTC as RFC 5545 demands."""
    text = django_recurrence.serialize(django_recurrence.Recurrence(rrules=[rule]))
    body = text.split("RRULE:", 1)[1].strip()
    parts = [p for p in body.split(";") if not p.startswith("UNTIL=")]
    until = rec._until(rule, event.zone)
    if until is not None:
        if event.all_day:
            parts.append(f"UNTIL={until:%Y%m%d}")
        else:
            parts.append(f"UNTIL={rec.aware(until, event.zone):%Y%m%dT%H%M%SZ}")
    return icalendar.vRecur.from_ical(";".join(parts))


def _base_vevent(event: Event, lang: str, url: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event.uid))
    vevent.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("created", event.created_at.astimezone(datetime.UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("url", url)
    add_text(vevent, "categories", [event.kind.tr("name", lang)])
    if event.organiser_in(lang):
        add_text(
            vevent,
            "organizer",
            f"mailto:{event.contact_email or 'noreply@maillage.brussels'}",
            parameters={"CN": event.organiser_in(lang)},
        )
    return vevent


def event_components(event: Event, lang: str, only: Occurrence | None = None) -> list:
    """VEVENTs for one event: the series master and its overrides (or one occurrence)."""
    with translation.override(lang):
        url = absolute_url(event.get_absolute_url(lang))
    occurrences = getattr(event, "all_occurrences", None)
    if occurrences is None:
        occurrences = list(event.occurrences.order_by("start"))
    title = event.tr("title", lang)
    location = _location(event.venue_name_in(lang), event.venue_address, event.postal_code)

    def occurrence_vevent(occ: Occurrence, *, with_rid: bool) -> icalendar.Event:
        vevent = _base_vevent(event, lang, url)
        add_text(
            vevent,
            "summary",
            occ.title_nl if lang == "nl" and occ.title_nl else (occ.title_fr or title),
        )
        vevent.add("dtstart", _when(occ.start, occ.all_day))
        vevent.add("dtend", _when(occ.end, occ.all_day))
        if with_rid:
            vevent.add("recurrence-id", _when(occ.recurrence_id, occ.all_day))
        note = getattr(occ, f"note_{lang}") or occ.note_fr
        add_text(vevent, "description", _plain_description(event, lang, url, note))
        loc = _location(
            occ.venue_name or event.venue_name_in(lang),
            occ.venue_address or event.venue_address,
            event.postal_code,
        )
        if loc:
            add_text(vevent, "location", loc)
        cancelled = occ.status == OccurrenceStatus.CANCELLED
        vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return vevent

    if only is not None:
        return [occurrence_vevent(only, with_rid=False)]
    if not event.is_recurring:
        return [occurrence_vevent(occ, with_rid=False) for occ in occurrences[:1]]

    master = _base_vevent(event, lang, url)
    add_text(master, "summary", title)
    all_day = event.all_day
    start = event.local_start().replace(tzinfo=event.zone)
    end = event.local_end().replace(tzinfo=event.zone)
    master.add("dtstart", start.date() if all_day else start)
    master.add("dtend", end.date() if all_day else end)
    add_text(master, "description", _plain_description(event, lang, url))
    if location:
        add_text(master, "location", location)
    master.add("status", "CONFIRMED")

    def as_value(local: datetime.datetime):
        return local.date() if all_day else local.replace(tzinfo=event.zone)

    if event.recurrence.exrules:
        rids = [_when(o.recurrence_id, all_day) for o in occurrences]
        extra = [r for r in rids if r != (start.date() if all_day else start)]
        if extra:
            master.add("rdate", extra)
    else:
        for rule in event.recurrence.rrules:
            master.add("rrule", _recur(rule, event))
        rdates = rec.rdates(event)
        if rdates:
            master.add("rdate", [as_value(d) for d in rdates])
        exdates = rec.exdates(event)
        if exdates:
            master.add("exdate", [as_value(d) for d in exdates])
    components = [master]
    for occ in occurrences:
        if occ.is_exception:
            components.append(occurrence_vevent(occ, with_rid=True))
    return components


def calendar_name(selection: AgendaSelection, lang: str) -> str:
    with translation.override(lang):
        name = translation.gettext("Agenda des bassins d'aide et de soins")
        if selection.bassins:
            bassins = Bassin.objects.filter(slug__in=selection.bassins)
            names = ", ".join(b.tr("name", lang) for b in bassins)
            name = translation.gettext("Agenda du bassin %(names)s") % {"names": names}
        return f"Maillage – {name}"


def render_calendar(events, name: str, lang: str) -> bytes:
    cal = new_calendar(name, refresh=feed_refresh())
    for event in events:
        for component in event_components(event, lang):
            cal.add_component(component)
    return cal.to_ical()


# Each event's VEVENTs are kept, rendered, in the Django cache under a key that changes
# with everything they are made of (the event row, its occurrences, its kind's name, the
# language, this module's output format): a feed after an agenda change renders only the
# events that changed and joins the others' bytes. Rendering a VEVENT with icalendar is
# most of a cold feed's time (about 0.5 ms per event).
FRAGMENT_FORMAT = 1
FRAGMENT_KEY = "events:vevents:"
FRAGMENT_SECONDS = 30 * 24 * 3600


def _fragment_stamps(selection: AgendaSelection) -> list[tuple[int, str]]:
    """(event id, fragment key) of the feed's events, in feed order: one query."""
    kinds = {k.pk: (k.name_fr, k.name_nl) for k in EventKind.objects.all()}
    rows = (
        feed_events(selection)
        .prefetch_related(None)
        .order_by()
        .annotate(last_change=Max("occurrences__updated_at"), dates=Count("occurrences"))
        .order_by("start_date", "start_time", "pk")
        .values_list("pk", "updated_at", "sequence", "kind_id", "last_change", "dates")
    )
    stamps = []
    for pk, updated_at, sequence, kind_id, last_change, dates in rows:
        raw = (
            f"{FRAGMENT_FORMAT}:{updated_at}:{sequence}:{kinds.get(kind_id)}:{last_change}:{dates}"
        )
        stamps.append((pk, hashlib.sha256(raw.encode()).hexdigest()[:24]))
    return stamps


def render_feed(selection: AgendaSelection, lang: str) -> bytes:
    """The feed: its calendar around each event's VEVENTs, rendered or from the cache."""
    stamps = _fragment_stamps(selection)
    keys = {pk: f"{FRAGMENT_KEY}{lang}:{pk}:{stamp}" for pk, stamp in stamps}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    rendered = {}
    for first in range(0, len(missing), 500):
        chunk = missing[first : first + 500]
        for event in feed_events(selection).filter(pk__in=chunk).order_by():
            rendered[keys[event.pk]] = b"".join(
                component.to_ical() for component in event_components(event, lang)
            )
    if rendered:
        cache.set_many(rendered, timeout=FRAGMENT_SECONDS)
    found.update(rendered)
    skeleton = new_calendar(calendar_name(selection, lang), refresh=feed_refresh()).to_ical()
    closing = b"END:VCALENDAR\r\n"
    vevents = b"".join(found.get(keys[pk], b"") for pk, _stamp in stamps)
    return skeleton[: -len(closing)] + vevents + closing


def event_calendar(event: Event, lang: str, occurrence: Occurrence | None = None) -> bytes:
    """One event's download: the whole series, or one occurrence as a standalone entry.

    A standalone occurrence gets its own UID (``occ-<recurrence id>-<event UID>``) so
    importing it next to the series does not replace the series.
    """
    cal = new_calendar(event.tr("title", lang), refresh=feed_refresh())
    with translation.override(lang):
        if occurrence is None:
            components = event_components(event, lang)
        else:
            components = event_components(event, lang, only=occurrence)
            rid = occurrence.recurrence_id.astimezone(datetime.UTC)
            components[0]["uid"] = f"occ-{rid:%Y%m%dT%H%M%SZ}-{components[0]['uid']}"
    for component in components:
        cal.add_component(component)
    return cal.to_ical()
