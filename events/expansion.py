"""Expand an event's django-recurrence rule in *local wall-clock time*.

Three traps of django-recurrence are handled here (each has a test in
``tests/events/test_recurrence.py``):

* it serialises DTSTART/UNTIL/RDATE/EXDATE in UTC, so we never give it DTSTART:
  the series starts at the event's local date + time, expanded as naive local
  datetimes and only then attached to Europe/Brussels. A 10:00 workshop stays at
  10:00 on both sides of the daylight-saving change;
* its admin widget stores EXDATEs (and RDATEs, UNTIL) at 00:00, which would exclude
  nothing: a value at local midnight is read as "that whole day" (the event's start
  time on that date);
* ``between()`` includes dtstart unless told otherwise: we follow RFC 5545 instead,
  where DTSTART is always the first instance, so our expansion equals what calendar
  clients compute from the feed.
"""

from __future__ import annotations

import datetime
import zoneinfo

import recurrence
import recurrence.exceptions
from dateutil import rrule as dateutil_rrule
from django.conf import settings
from django.utils import timezone

MAX_OCCURRENCES = 1500
MIDNIGHT = datetime.time(0)


def to_local_naive(value, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """Wall-clock time in ``zone`` of a value django-recurrence gave us."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.replace(tzinfo=None)
    return datetime.datetime.combine(value, MIDNIGHT)


def _until(rule, zone) -> datetime.datetime | None:
    if not rule.until:
        return None
    until = to_local_naive(rule.until, zone)
    if until.time() == MIDNIGHT:
        # A date picked in the widget: the last day is included.
        until = until.replace(hour=23, minute=59, second=59)
    return until


def _dateutil_rule(rule, dtstart: datetime.datetime, zone) -> dateutil_rrule.rrule:
    kwargs = {param: getattr(rule, param) or None for param in rule.byparams}
    kwargs["byweekday"] = kwargs.pop("byday")
    return dateutil_rrule.rrule(
        rule.freq,
        dtstart=dtstart,
        interval=rule.interval or 1,
        wkst=rule.wkst,
        count=rule.count,
        until=_until(rule, zone),
        **kwargs,
    )


def _on_event_time(value, event, zone) -> datetime.datetime:
    """An RDATE/EXDATE as local wall-clock; midnight means "that day, at the event's time"."""
    local = to_local_naive(value, zone)
    if local.time() == MIDNIGHT:
        local = datetime.datetime.combine(local.date(), event.local_start().time())
    return local


def rdates(event) -> list[datetime.datetime]:
    zone = event.zone
    rec = event.recurrence
    return sorted({_on_event_time(d, event, zone) for d in (rec.rdates if rec else [])})


def exdates(event) -> list[datetime.datetime]:
    zone = event.zone
    rec = event.recurrence
    return sorted({_on_event_time(d, event, zone) for d in (rec.exdates if rec else [])})


def rrules(event) -> list[dateutil_rrule.rrule]:
    """The RRULEs as dateutil rules on the local DTSTART.

    RFC 5545: "the DTSTART property value always counts as the first occurrence", also
    for COUNT when DTSTART does not match the rule; dateutil does not count it then.
    """
    rec = event.recurrence
    if not rec:
        return []
    dtstart = event.local_start()
    rules = []
    for rule in rec.rrules:
        built = _dateutil_rule(rule, dtstart, event.zone)
        if rule.count and next(iter(built), None) != dtstart:
            built = built.replace(count=max(rule.count - 1, 0)) if rule.count > 1 else None
        if built is not None:
            rules.append(built)
    return rules


def local_starts(event, until: datetime.datetime) -> list[datetime.datetime]:
    """Naive local start of every instance up to ``until`` (naive local), DTSTART first."""
    dtstart = event.local_start()
    if not event.is_recurring:
        return [dtstart] if dtstart <= until else []
    rec = event.recurrence
    zone = event.zone
    ruleset = dateutil_rrule.rruleset()
    ruleset.rdate(dtstart)
    for rule in rrules(event):
        ruleset.rrule(rule)
    for rule in rec.exrules:
        ruleset.exrule(_dateutil_rule(rule, dtstart, zone))
    for value in rdates(event):
        ruleset.rdate(value)
    for value in exdates(event):
        ruleset.exdate(value)
    starts = []
    for value in ruleset:
        if value > until or len(starts) >= MAX_OCCURRENCES:
            break
        starts.append(value)
    return starts


def aware(local: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """Attach the zone to a wall-clock time and return it in UTC."""
    return local.replace(tzinfo=zone).astimezone(datetime.UTC)


def horizon_days() -> int:
    return getattr(settings, "EVENTS_HORIZON_DAYS", 400)


def _horizon_local(event) -> datetime.datetime:
    today = timezone.localdate(timezone.now(), event.zone)
    return datetime.datetime.combine(
        today + datetime.timedelta(days=horizon_days()), datetime.time(23, 59, 59)
    )


def expected_occurrences(event, until: datetime.datetime | None = None) -> list[dict]:
    """The rows the rule produces: recurrence_id, start, end (aware UTC), all_day.

    Up to ``until`` (local wall-clock), by default the moving horizon
    (``EVENTS_HORIZON_DAYS`` after today).
    """
    zone = event.zone
    duration = event.local_end() - event.local_start()
    rows = []
    for local in local_starts(event, until or _horizon_local(event)):
        rows.append(
            {
                "recurrence_id": aware(local, zone),
                "start": aware(local, zone),
                "end": aware(local + duration, zone),
                "all_day": event.all_day,
                "local_date": local.date(),
            }
        )
    return rows


class UnusableRule(ValueError):
    """A rule the agenda could neither store nor expand."""


def check_rule(event) -> None:
    """Raise ``UnusableRule`` (with dateutil's or django-recurrence's reason) when
    ``event``'s rule cannot be stored (``INTERVAL=0``, ``BYHOUR=25``: django-recurrence
    refuses them only when saving) or expanded (``BYSETPOS=400``, a date past the
    calendar's end), or repeats every minute or second. The event admin and the calendar
    import ask before saving, so a bad rule is a message on one event, not an error after
    the event is saved."""
    if not event.recurrence:
        return
    rules = [*event.recurrence.rrules, *event.recurrence.exrules]
    if any(rule.freq in (recurrence.SECONDLY, recurrence.MINUTELY) for rule in rules):
        # Not an agenda's rhythm, and a rule of that kind that never matches (every second
        # of 30 February) keeps dateutil searching up to year 9999 for some twenty seconds.
        raise UnusableRule("FREQ=SECONDLY/MINUTELY")
    try:
        recurrence.serialize(event.recurrence)
        local_starts(event, event.local_start() + datetime.timedelta(days=1))
    except (
        ValueError,
        TypeError,
        OverflowError,
        recurrence.exceptions.SerializationError,
    ) as error:
        raise UnusableRule(str(error)) from error
