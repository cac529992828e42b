"""iCalendar feeds (RFC 5545, built with ``icalendar``) and their cache.

One VEVENT per event carries the series (DTSTART;TZID + RRULE/RDATE/EXDATE); every
per-occurrence exception is an overriding VEVENT with the same UID and a
RECURRENCE-ID: moved or changed occurrences with their new values, cancelled ones
with STATUS:CANCELLED (so clients that show cancellations can, and the others hide
them). Series with an EXRULE (deprecated by RFC 5545) are published as RDATEs of
their materialised occurrences instead.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import time
import zoneinfo

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.http import http_date

from bassins.models import Bassin

from . import expansion as rec
from .filters import AgendaSelection
from .models import BRUSSELS, Event, Occurrence, OccurrenceStatus
from .queries import absolute_url, event_filter, event_uid

PRODID = "-//Maillage//Agenda des bassins d'aide et de soins//FR"
VERSION_KEY = "events:feed-version"
ZONE = zoneinfo.ZoneInfo(BRUSSELS)


# --- invalidation ------------------------------------------------------------------


def feed_version() -> int:
    """A token that changes whenever any event changes (a time in ns, see bump)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Cache flushed: start a new era so no ETag of the previous one can match.
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_feed_version(**_kwargs) -> None:
    version = time.time_ns()
    cache.set(VERSION_KEY, version, timeout=None)
    _touch_stamp(version)


# --- version stamp for the fast path ----------------------------------------------
# Reading the version from Redis costs a network round trip, more than the rest of a
# cached feed request. The fast path (events.middleware) reads it through this memo,
# re-read from the cache when the stamp file VAR_DIR/feed-cache/version-stamp (whose
# mtime every bump sets to the new version, from any process of this host) changed, or
# FEED_VERSION_RECHECK_SECONDS after the last read (bumps made on another host).

_MEMO: dict[str, float | int | None] = {"version": None, "mtime": None, "checked": 0.0}


def _stamp_path():
    from pathlib import Path

    return Path(settings.VAR_DIR) / "feed-cache" / "version-stamp"


def _touch_stamp(version: int) -> None:
    import os

    _MEMO["version"] = None
    path = _stamp_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, ns=(version, version))
    except OSError:  # read-only VAR_DIR: the periodic re-check still applies
        pass


def memo_feed_version() -> int:
    """``feed_version()`` without a cache round trip on most requests (see above)."""
    import os

    try:
        mtime = os.stat(_stamp_path()).st_mtime_ns
    except OSError:
        mtime = None
    now = time.monotonic()
    if (
        _MEMO["version"] is None
        or mtime != _MEMO["mtime"]
        or now >= _MEMO["checked"] + settings.FEED_VERSION_RECHECK_SECONDS
    ):
        version = feed_version()
        _MEMO.update(version=version, mtime=mtime, checked=now)
        return version
    return _MEMO["version"]


# --- building ----------------------------------------------------------------------


@functools.cache
def vtimezone() -> icalendar.Timezone:
    return icalendar.Timezone.from_tzid(
        BRUSSELS, first_date=datetime.date(2015, 1, 1), last_date=datetime.date(2040, 1, 1)
    )


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
    if event.organiser:
        parts.append(f"{translation.gettext('Organisation')}: {event.organiser}")
    if event.online_url:
        parts.append(event.online_url)
    parts.append(url)
    return "\n\n".join(parts)


def _location(name: str, address: str, postal_code: str = "") -> str:
    return ", ".join(p for p in [name, address, postal_code] if p)


def _recur(rule, event: Event) -> icalendar.vRecur:
    """A django-recurrence Rule as an iCal RRULE; UNTIL in UTC as RFC 5545 demands."""
    import recurrence as django_recurrence

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
    vevent.add("categories", [event.kind.tr("name", lang)])
    if event.organiser:
        vevent.add(
            "organizer",
            f"mailto:{event.contact_email or 'noreply@maillage.brussels'}",
            parameters={"CN": event.organiser},
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
    location = _location(event.venue_name, event.venue_address, event.postal_code)

    def occurrence_vevent(occ: Occurrence, *, with_rid: bool) -> icalendar.Event:
        vevent = _base_vevent(event, lang, url)
        vevent.add(
            "summary", occ.title_nl if lang == "nl" and occ.title_nl else (occ.title_fr or title)
        )
        vevent.add("dtstart", _when(occ.start, occ.all_day))
        vevent.add("dtend", _when(occ.end, occ.all_day))
        if with_rid:
            vevent.add("recurrence-id", _when(occ.recurrence_id, occ.all_day))
        note = getattr(occ, f"note_{lang}") or occ.note_fr
        vevent.add("description", _plain_description(event, lang, url, note))
        loc = _location(
            occ.venue_name or event.venue_name,
            occ.venue_address or event.venue_address,
            event.postal_code,
        )
        if loc:
            vevent.add("location", loc)
        cancelled = occ.status == OccurrenceStatus.CANCELLED
        vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return vevent

    if only is not None:
        return [occurrence_vevent(only, with_rid=False)]
    if not event.is_recurring:
        return [occurrence_vevent(occ, with_rid=False) for occ in occurrences[:1]]

    master = _base_vevent(event, lang, url)
    master.add("summary", title)
    all_day = event.all_day
    start = event.local_start().replace(tzinfo=event.zone)
    end = event.local_end().replace(tzinfo=event.zone)
    master.add("dtstart", start.date() if all_day else start)
    master.add("dtend", end.date() if all_day else end)
    master.add("description", _plain_description(event, lang, url))
    if location:
        master.add("location", location)
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


def new_calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("x-wr-timezone", BRUSSELS)
    refresh = datetime.timedelta(seconds=max(settings.FEED_CACHE_SECONDS, 900))
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh).to_ical().decode())
    cal.add_component(vtimezone())
    return cal


def render_calendar(events, name: str, lang: str) -> bytes:
    cal = new_calendar(name)
    for event in events:
        for component in event_components(event, lang):
            cal.add_component(component)
    return cal.to_ical()


def render_feed(selection: AgendaSelection, lang: str) -> bytes:
    return render_calendar(feed_events(selection), calendar_name(selection, lang), lang)


def feed_cache_key(selection: AgendaSelection, lang: str, version: int) -> str:
    params = "&".join(f"{k}={v}" for k, v in sorted(selection.feed_params()))
    digest = hashlib.sha256(params.encode()).hexdigest()[:24]
    return f"events:feed:{version}:{lang}:{digest}"


# Rendered bodies also kept in this process (a feed is ~1 MB: fetching it from Redis on
# every request costs more than serving it); the shared version key still decides.
_LOCAL: dict[str, tuple[float, bytes]] = {}
_LOCAL_MAX = 64


def _local_get(key: str) -> bytes | None:
    hit = _LOCAL.get(key)
    if hit is None or hit[0] < time.monotonic():
        return None
    return hit[1]


def _local_set(key: str, body: bytes) -> None:
    if settings.FEED_CACHE_SECONDS <= 0:
        return
    if len(_LOCAL) >= _LOCAL_MAX:
        _LOCAL.clear()
    _LOCAL[key] = (time.monotonic() + settings.FEED_CACHE_SECONDS, body)


def cached_feed(
    selection: AgendaSelection, lang: str, version: int | None = None
) -> tuple[bytes, str, str]:
    """(body, etag, last_modified) from the cache, rendering at most once per change."""
    version = feed_version() if version is None else version
    key = feed_cache_key(selection, lang, version)
    body = _local_get(key)
    if body is None:
        body = cache.get(key)
        if body is None:
            with translation.override(lang):
                body = render_feed(selection, lang)
            cache.set(key, body, timeout=settings.FEED_CACHE_SECONDS)
        _local_set(key, body)
    return body, feed_etag(selection, lang, version), http_date(version / 1e9)


def feed_file(selection: AgendaSelection, lang: str, version: int):
    """The cached feed as a file under VAR_DIR (None when feeds are not cached).

    Serving a file lets the WSGI server use sendfile(), like a static file, instead of
    pushing a megabyte through Python on every request. Files of older versions are
    removed when a new version is written.
    """
    import os
    import shutil
    import tempfile
    from pathlib import Path

    if settings.FEED_CACHE_SECONDS <= 0:
        return None
    root = Path(settings.VAR_DIR) / "feed-cache"
    folder = root / str(version)
    name = feed_cache_key(selection, lang, version).rsplit(":", 1)[1] + f"-{lang}.ics"
    path = folder / name
    if path.exists():
        return path
    body, _etag, _modified = cached_feed(selection, lang, version)
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(body)
    os.replace(tmp, path)
    for old in root.iterdir():
        if old.name != str(version):
            shutil.rmtree(old, ignore_errors=True)
    return path


def feed_etag(selection: AgendaSelection, lang: str, version: int) -> str:
    """Depends only on the selection and the version: a 304 needs no rendering."""
    key = feed_cache_key(selection, lang, version)
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
