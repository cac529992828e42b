"""iCalendar text -> ``events.services.ExternalSeries``: pure functions, no database.

What a partner's calendar says becomes plain values the agenda's services take:

* DTSTART/DTEND with a TZID (IANA, Windows names or an embedded VTIMEZONE, all
  resolved by ``icalendar``), in UTC or floating (no zone: read as Brussels) become
  Brussels wall-clock; DATE values make all-day events, DTEND exclusive as in iCal;
* RRULE/RDATE/EXDATE(/EXRULE) become the RFC 5545 lines django-recurrence stores,
  with Brussels wall-clock times (UNTIL in UTC);
* VEVENTs with a RECURRENCE-ID become per-occurrence overrides: cancelled
  (STATUS:CANCELLED), moved (another DTSTART/DTEND), changed (SUMMARY, LOCATION, a
  note from the DESCRIPTION's first paragraph);
* HTML in descriptions is reduced to text (Django's ``strip_tags`` + ``html.unescape``:
  the text is never rendered as HTML again, so a tag-level sanitiser is not needed).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import re
import zoneinfo
from dataclasses import dataclass, field, replace
from decimal import Decimal

import icalendar
import recurrence
import recurrence.exceptions
from django.utils import timezone
from django.utils.html import strip_tags

from core.params import FIRST_YEAR, LAST_YEAR
from core.text import printable
from core.windows import in_bounds
from events import expansion
from events.models import Event
from events.services import ExternalSeries, OccurrenceOverride, set_times

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
CONTENT_LANGUAGES = ("fr", "nl")
MICRO_DEGREE = Decimal("0.000001")


class CalendarError(ValueError):
    """The body is not an iCalendar file we can read (message shown to the team)."""


@dataclass(frozen=True)
class SourceDefaults:
    """What the source (or the command line) says about all of its events."""

    kind_slug: str
    bassins: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    audience: str = "professionals"
    language: str = "fr"
    organisation: str = ""
    # The codes of the spoken-language reference (bassins.Language) an event may name.
    known_languages: tuple[str, ...] = ("fr", "nl")


@dataclass
class ParsedEvent:
    uid: str
    sequence: int
    fingerprint: str
    series: ExternalSeries
    # Its dates are listed up to the horizon (an endless series in another time zone):
    # offered again at every poll, so the list follows the horizon.
    resync: bool = False


@dataclass
class ParsedCalendar:
    events: list[ParsedEvent] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def uid_key(uid: str) -> str:
    """Fixed-length key of a UID (UIDs have no length limit)."""
    return hashlib.sha256(uid.encode()).hexdigest()


# --- values ----------------------------------------------------------------------


def to_brussels(value) -> datetime.datetime | datetime.date:
    """A DATE stays a date; a DATE-TIME becomes aware Brussels (floating read as such)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=BRUSSELS)
        return value.astimezone(BRUSSELS)
    if isinstance(value, datetime.date):
        return value
    raise CalendarError(f"unexpected date value {value!r}")


def as_instant(value) -> datetime.datetime:
    """An aware instant; a date is midnight Brussels (how all-day occurrences are kept)."""
    value = to_brussels(value)
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(0), tzinfo=BRUSSELS)
    return value.astimezone(datetime.UTC)


def _local_text(value, zone: zoneinfo.ZoneInfo = BRUSSELS) -> str:
    value = to_brussels(value)
    if isinstance(value, datetime.datetime):
        value = value.astimezone(zone)
        return value.replace(tzinfo=None).strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%dT000000")


def html_to_text(value: str) -> str:
    """Plain text of a description that may hold HTML (Outlook and Google send some)."""
    if not re.search(r"<[a-zA-Z/!]", value):
        return value.strip()
    value = re.sub(r"(?i)<br\s*/?>|</(p|div|li|h[1-6]|tr)>", "\n", value)
    text = html.unescape(strip_tags(value))
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _text(component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    # A partner's file may carry NUL and other control characters, which the database
    # (PostgreSQL text) or our feeds cannot hold.
    return printable(value).strip()


def _language(component, defaults: SourceDefaults) -> str:
    value = component.get("SUMMARY")
    lang = ""
    if value is not None and hasattr(value, "params"):
        lang = str(value.params.get("LANGUAGE", "")).split("-")[0].lower()
    return lang if lang in defaults.known_languages else defaults.language


def _dates(component, name: str) -> list:
    values = component.get(name)
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    dates = []
    for value in values:
        for item in getattr(value, "dts", [value]):
            dt = item.dt
            if isinstance(dt, tuple):  # PERIOD: its start
                dt = dt[0]
            dates.append(dt)
    return dates


def _rrule_lines(
    component, name: str, all_day: bool, zone: zoneinfo.ZoneInfo = BRUSSELS
) -> list[str]:
    values = component.get(name)
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    lines = []
    for rule in values:
        rule = icalendar.vRecur(rule)
        until = rule.get("UNTIL")
        if until:
            value = until[0]
            if isinstance(value, datetime.datetime):
                if value.tzinfo is None:
                    value = value.replace(tzinfo=zone)
                rule["UNTIL"] = [value.astimezone(datetime.UTC)]
            elif not all_day:
                # A date with a timed DTSTART: the whole last day counts.
                end_of_day = datetime.datetime.combine(value, datetime.time(23, 59, 59))
                rule["UNTIL"] = [end_of_day.replace(tzinfo=zone).astimezone(datetime.UTC)]
        lines.append(f"{name}:{rule.to_ical().decode()}")
    return lines


def _recurrence_text(component, all_day: bool, zone: zoneinfo.ZoneInfo = BRUSSELS) -> str:
    """The rule's lines with wall-clock times of ``zone`` (the agenda's: Brussels)."""
    lines = _rrule_lines(component, "RRULE", all_day, zone)
    lines += _rrule_lines(component, "EXRULE", all_day, zone)
    lines += [f"RDATE:{_local_text(value, zone)}" for value in _dates(component, "RDATE")]
    lines += [f"EXDATE:{_local_text(value, zone)}" for value in _dates(component, "EXDATE")]
    return "\n".join(lines)


def _own_zone(component) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of a timed DTSTART other than Brussels (UTC included), else None."""
    value = component["DTSTART"].dt
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        return None
    key = getattr(value.tzinfo, "key", None)
    if key is None and value.tzinfo is datetime.UTC:
        key = "UTC"
    if key is None or key == BRUSSELS.key:
        return None
    try:
        return zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _expanded(
    text: str, start, end, zone: zoneinfo.ZoneInfo, until: datetime.datetime | None = None
) -> list[datetime.datetime]:
    event = Event(tz=zone.key, all_day=False, recurrence=recurrence.deserialize(text))
    set_times(event, start, end, False)
    return [row["start"] for row in expansion.expected_occurrences(event, until)]


@functools.lru_cache(maxsize=64)
def _keeps_brussels_time(key: str, first: datetime.date, last: datetime.date) -> bool:
    """Zone ``key`` has Brussels' UTC offset at every quarter day from ``first`` to
    ``last`` (Paris and Amsterdam do; New York, London and UTC do not)."""
    zone = zoneinfo.ZoneInfo(key)
    moment = datetime.datetime.combine(first, datetime.time(0), tzinfo=datetime.UTC)
    stop = datetime.datetime.combine(last, datetime.time(0), tzinfo=datetime.UTC)
    while moment <= stop:
        if moment.astimezone(zone).utcoffset() != moment.astimezone(BRUSSELS).utcoffset():
            return False
        moment += datetime.timedelta(hours=6)
    return True


def _in_brussels_time(master, start, end, text: str) -> tuple[str, bool]:
    """A series whose DTSTART is in another zone recurs in that zone's wall-clock time
    (RFC 5545): weekly at 12:00 New York is 18:00 in Brussels, but 17:00 in the weeks
    when only one of them keeps summer time, and weekly at 09:00 UTC is 10:00 in winter
    and 11:00 in summer. Unless that zone keeps Brussels' time, its dates are kept as a
    list (RDATEs) up to the agenda's horizon. Returns the rule's text and whether the
    series goes on past the horizon (then it is offered again at every poll, so the list
    follows the horizon)."""
    zone = _own_zone(master)
    if zone is None or not text:
        return text, False
    _check_rule_text(text, start, end)  # a bad rule is refused, not turned into dates
    horizon = timezone.localdate() + datetime.timedelta(days=expansion.horizon_days())
    if _keeps_brussels_time(zone.key, min(start.date(), timezone.localdate()), horizon):
        return text, False
    # One expansion a year past the horizon: the dates up to it are kept, any after it
    # say the series goes on. The horizon as the agenda's expansion reckons it, in the
    # series' zone (expansion._horizon_local).
    last_day = timezone.localdate(timezone.now(), zone) + datetime.timedelta(
        days=expansion.horizon_days()
    )
    cut = expansion.aware(datetime.datetime.combine(last_day, datetime.time(23, 59, 59)), zone)
    later = datetime.datetime.combine(horizon + datetime.timedelta(days=366), datetime.time(0))
    try:
        every = _expanded(_recurrence_text(master, False, zone), start, end, zone, later)
    except (ValueError, TypeError, OverflowError, recurrence.exceptions.DeserializationError):
        return text, False  # the usual check (_check_rule) then says what is wrong
    own = [value for value in every if value <= cut]
    goes_on = len(every) > len(own)
    first = start.astimezone(datetime.UTC)
    lines = [f"RDATE:{_local_text(value)}" for value in own if value != first]
    if first not in own:
        lines.append(f"EXDATE:{_local_text(first)}")
    return "\n".join(lines), goes_on


def _times(component):
    if "DTSTART" not in component:
        raise CalendarError("no DTSTART")
    start = to_brussels(component["DTSTART"].dt)
    all_day = not isinstance(start, datetime.datetime)
    if "DTEND" in component:
        end = to_brussels(component["DTEND"].dt)
    elif "DURATION" in component:
        try:
            end = start + component["DURATION"].dt
        except OverflowError as error:
            raise CalendarError("DURATION out of range") from error
    else:
        end = start + datetime.timedelta(days=1) if all_day else start
    if all_day and isinstance(end, datetime.datetime):
        end = end.date()
    if not all_day and not isinstance(end, datetime.datetime):
        end = datetime.datetime.combine(end, datetime.time(0), tzinfo=BRUSSELS)
    if end < start:
        raise CalendarError("DTEND before DTSTART")
    for value in (start, end):
        if not in_bounds(value):
            raise CalendarError(f"date out of range ({FIRST_YEAR}-{LAST_YEAR}): {value}")
    return start, end, all_day


def _geo(component) -> dict:
    geo = component.get("GEO")
    if geo is None:
        return {}
    try:
        latitude, longitude = float(geo.latitude), float(geo.longitude)
    except (TypeError, ValueError, AttributeError):
        return {}
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return {}  # not a place on Earth: the event comes in without a map point
    return {"latitude": round(latitude, 6), "longitude": round(longitude, 6)}


def _organiser(component, default: str) -> str:
    organizer = component.get("ORGANIZER")
    if organizer is not None and hasattr(organizer, "params"):
        name = str(organizer.params.get("CN", "")).strip()
        if name:
            return name[:200]
    return default[:200]


def _plain(defaults: SourceDefaults) -> SourceDefaults:
    """The defaults with plain ``str`` values: a source just created holds its field
    defaults as enum members (``Audience.PROFESSIONALS``), one read from the database as
    strings; both must give the same fingerprint, or the next import rewrites every event."""
    return replace(
        defaults,
        **{
            name: str.__str__(value)
            for name, value in vars(defaults).items()
            if isinstance(value, str) and type(value) is not str
        },
    )


def _fingerprint(components, defaults: SourceDefaults) -> str:
    """Changes when what we import changes; DTSTAMP (the export time) does not count."""
    digest = hashlib.sha256(repr(_plain(defaults)).encode())
    for component in components:
        for line in component.to_ical().splitlines():
            if not line.startswith(b"DTSTAMP"):
                digest.update(line)
    return digest.hexdigest()


MAX_SEQUENCE = 2**31 - 1  # the database column's integer


def _sequence(component) -> int:
    try:
        return min(max(int(component.get("SEQUENCE", 0)), 0), MAX_SEQUENCE)
    except (TypeError, ValueError):
        return 0


# --- components ---------------------------------------------------------------------


def _titles(text: str, lang: str) -> dict:
    text = text[:MAX_TITLE]
    return {"title_fr": text, "title_nl": text if lang == "nl" else ""}


def _override(component, master, lang: str) -> OccurrenceOverride:
    start = end = None
    if "DTSTART" in component:  # without one, the occurrence keeps the rule's times
        start, end, _all_day = _times(component)
    title = _text(component, "SUMMARY")
    location = _text(component, "LOCATION")
    description = html_to_text(_text(component, "DESCRIPTION"))
    note = ""
    if description and description != html_to_text(_text(master, "DESCRIPTION")):
        note = description.split("\n\n", 1)[0][:300]
    titles = _titles(title, lang) if title and title != _text(master, "SUMMARY") else {}
    note_field = "note_nl" if lang == "nl" else "note_fr"
    return OccurrenceOverride(
        recurrence_id=as_instant(component["RECURRENCE-ID"].dt),
        cancelled=_text(component, "STATUS").upper() == "CANCELLED",
        start=as_instant(start) if start is not None else None,
        end=as_instant(end) if end is not None else None,
        venue_name=location[:200] if location != _text(master, "LOCATION") else "",
        **titles,
        **({note_field: note} if note else {}),
    )


def _series(uid: str, master, overrides: list, defaults: SourceDefaults) -> ParsedEvent:
    start, end, all_day = _times(master)
    rule, resync = _recurrence_text(master, all_day), False
    if not all_day:
        rule, resync = _in_brussels_time(master, start, end, rule)
    lang = _language(master, defaults)
    content_lang = lang if lang in CONTENT_LANGUAGES else "fr"
    description = html_to_text(_text(master, "DESCRIPTION"))[:MAX_DESCRIPTION]
    url = _text(master, "URL")
    if url and url not in description:
        description = f"{description}\n\n{url}".strip()
    descriptions = {"description_fr": description}
    if content_lang == "nl":
        descriptions["description_nl"] = description
    series = ExternalSeries(
        key=uid_key(uid),
        kind_slug=defaults.kind_slug,
        start=start,
        end=end,
        all_day=all_day,
        venue_name=_text(master, "LOCATION")[:200],
        recurrence=rule,
        overrides=tuple(_override(c, master, content_lang) for c in overrides),
        bassins=defaults.bassins,
        themes=defaults.themes,
        languages=(lang,),
        cancelled=_text(master, "STATUS").upper() == "CANCELLED",
        fields={
            "audience": defaults.audience,
            "organiser": _organiser(master, defaults.organisation),
            **_geo(master),
        },
        **_titles(_text(master, "SUMMARY") or "—", content_lang),
        **descriptions,
    )
    _check_rule(series)
    return ParsedEvent(
        uid=uid,
        sequence=_sequence(master),
        fingerprint=_fingerprint([master, *overrides], defaults),
        series=series,
        resync=resync,
    )


def _check_rule(series: ExternalSeries) -> None:
    """Refuse here a rule the agenda could not expand (one bad event, not the import)."""
    _check_rule_text(series.recurrence, series.start, series.end, series.all_day)


def _check_rule_text(text: str, start, end, all_day: bool = False) -> None:
    if not text:
        return
    try:
        rule = recurrence.deserialize(text)
    except (ValueError, TypeError, KeyError, recurrence.exceptions.DeserializationError) as error:
        raise CalendarError(f"unsupported recurrence: {error}") from error
    event = Event(recurrence=rule, all_day=all_day)
    set_times(event, start, end, all_day)
    try:
        expansion.check_rule(event)
    except expansion.UnusableRule as error:
        raise CalendarError(f"unsupported recurrence: {error}") from error


def read_calendar(body: bytes) -> icalendar.Calendar:
    """The parsed VCALENDAR, or CalendarError saying why not."""
    body = body.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark (Windows exports)
    if not body.lstrip()[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise CalendarError("not an iCalendar file (it does not start with BEGIN:VCALENDAR)")
    try:
        return icalendar.Calendar.from_ical(body)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise CalendarError(f"unreadable iCalendar file: {error}") from error


def parse_calendar(body: bytes, defaults: SourceDefaults) -> ParsedCalendar:
    """Every VEVENT of ``body`` as a ParsedEvent; events that cannot be read are listed
    in ``skipped`` with the reason, and never stop the others."""
    calendar = read_calendar(body)
    groups: dict[str, dict] = {}
    for component in calendar.walk("VEVENT"):
        uid = _text(component, "UID")
        if not uid:
            start = component.get("DTSTART")
            start = start.to_ical().decode() if start is not None else ""
            uid = f"no-uid:{_text(component, 'SUMMARY')}|{start}"
        group = groups.setdefault(uid, {"master": None, "overrides": []})
        if "RECURRENCE-ID" in component:
            group["overrides"].append(component)
        elif group["master"] is None or _sequence(component) >= _sequence(group["master"]):
            group["master"] = component
    parsed = ParsedCalendar()
    for uid, group in groups.items():
        master, overrides = group["master"], group["overrides"]
        try:
            if master is None:
                # Instances without their series (an invitation to one date): each stands alone.
                for component in overrides:
                    rid = component["RECURRENCE-ID"].to_ical().decode()
                    alone = icalendar.Event.from_ical(component.to_ical())
                    del alone["RECURRENCE-ID"]
                    parsed.events.append(_series(f"{uid}|{rid}", alone, [], defaults))
                continue
            parsed.events.append(_series(uid, master, overrides, defaults))
        except (
            CalendarError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            OverflowError,
        ) as error:
            summary = _text(master, "SUMMARY") if master is not None else ""
            parsed.skipped.append(f"{summary or uid}: {error}")
    return parsed
