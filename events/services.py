"""Operations that change the agenda: materialise occurrences, exceptions, external events,
proposals and moderation."""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import recurrence
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from bassins.models import Bassin, Language, Theme
from bassins.queries import bassins_or_suggested, spoken_languages
from core.mail import send_transactional
from core.proposals import ProposalFlow, Proposer

from .expansion import aware, expected_occurrences
from .models import (
    BRUSSELS,
    PROPOSAL_FIELDS,
    Event,
    EventKind,
    EventStatus,
    Occurrence,
    OccurrenceStatus,
    RegistrationMode,
    agenda_changed,
    attendee_list_link,
    occurrences_cancelled,
    occurrences_moved,
    occurrences_removing,
)
from .permissions import team_emails

logger = logging.getLogger(__name__)


def _new_occurrence(event: Event, row: dict) -> Occurrence:
    return Occurrence(
        event=event,
        recurrence_id=row["recurrence_id"],
        start=row["start"],
        end=row["end"],
        all_day=row["all_day"],
    )


def new_occurrences(event: Event, until: datetime.datetime | None = None) -> list[Occurrence]:
    """Unsaved occurrences of an event that has none yet (for bulk loads)."""
    return [_new_occurrence(event, row) for row in expected_occurrences(event, until)]


def _announce_cancelled(pks: list[int]) -> None:
    """Tell ``occurrences_cancelled``'s receivers once the cancellation is committed."""
    if pks:
        transaction.on_commit(lambda: occurrences_cancelled.send(sender=Occurrence, pks=pks))


def _announce_moved(pks: list[int]) -> None:
    """Tell ``occurrences_moved``'s receivers once the new times are committed."""
    if pks:
        transaction.on_commit(lambda: occurrences_moved.send(sender=Occurrence, pks=pks))


def _held_occurrences(pks: list[int]) -> set[int]:
    """Of the occurrences ``pks``, those another app holds something on (see
    ``occurrences_removing``)."""
    held: set[int] = set()
    for _receiver, answer in occurrences_removing.send(sender=Occurrence, pks=pks):
        held.update(answer or ())
    return held


@transaction.atomic
def regenerate_occurrences(event: Event, until: datetime.datetime | None = None) -> int:
    """Bring the materialised occurrences in line with the rule; returns rows changed.

    Existing dates are matched to the new instances by their local date, so changing the
    series' time keeps them and their exceptions (cancelled, moved, changed); a date
    whose day the rule no longer produces is dropped (its RECURRENCE-ID would point at
    nothing), or cancelled if something hangs on it.
    """
    zone = event.zone
    wanted = expected_occurrences(event, until)
    existing = list(event.occurrences.all())
    by_rid = {occ.recurrence_id: occ for occ in existing}
    if len(wanted) == 1 and len(existing) == 1 and not existing[0].is_exception:
        # A one-off event whose date changed: its one occurrence moves with it (what
        # hangs on it, registrations, follows) rather than being replaced.
        by_rid = {wanted[0]["recurrence_id"]: existing[0]}
    # A date whose time changed (the series' time edited) is the same date: it keeps its
    # row, and what hangs on it (registrations) follows, told of the new time. Exceptions
    # first, when a day has several rows.
    by_day: dict[datetime.date, Occurrence] = {}
    for occ in sorted(existing, key=lambda occ: not occ.is_exception):
        by_day.setdefault(timezone.localtime(occ.recurrence_id, zone).date(), occ)
    keep: set[int] = set()
    to_create, to_update, moved = [], [], []
    for row in wanted:
        occ = by_rid.get(row["recurrence_id"]) or by_day.get(row["local_date"])
        if occ is None or occ.pk in keep:
            to_create.append(_new_occurrence(event, row))
            continue
        keep.add(occ.pk)
        changed = occ.recurrence_id != row["recurrence_id"] or occ.all_day != row["all_day"]
        occ.recurrence_id = row["recurrence_id"]
        occ.all_day = row["all_day"]
        if occ.status != OccurrenceStatus.MOVED and (
            occ.start != row["start"] or occ.end != row["end"]
        ):
            occ.start, occ.end = row["start"], row["end"]
            changed = True
            moved.append(occ.pk)
        if changed:
            to_update.append(occ)
    stale = [occ.pk for occ in existing if occ.pk not in keep]
    if stale:
        held = _held_occurrences(stale)
        newly_cancelled = Occurrence.objects.filter(pk__in=held).exclude(
            status=OccurrenceStatus.CANCELLED
        )
        _announce_cancelled(list(newly_cancelled.values_list("pk", flat=True)))
        newly_cancelled.update(status=OccurrenceStatus.CANCELLED)
        Occurrence.objects.filter(pk__in=set(stale) - held).delete()
    _announce_moved(moved)
    if to_update:
        # Two-step to dodge the (event, recurrence_id) unique constraint while shifting.
        Occurrence.objects.bulk_update(
            to_update, ["recurrence_id", "start", "end", "all_day", "updated_at"]
        )
    if to_create:
        Occurrence.objects.bulk_create(to_create)
    if stale or to_update or to_create:
        agenda_changed.send(sender=Event, event=event)
    return len(stale) + len(to_update) + len(to_create)


def bump_sequence(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    event.refresh_from_db(fields=["sequence", "updated_at"])


def _get_occurrence(event: Event, recurrence_id: datetime.datetime) -> Occurrence:
    return event.occurrences.get(recurrence_id=recurrence_id)


@transaction.atomic
def cancel_occurrence(
    event: Event, recurrence_id: datetime.datetime, note_fr: str = "", note_nl: str = ""
) -> Occurrence:
    occ = _get_occurrence(event, recurrence_id)
    if occ.status != OccurrenceStatus.CANCELLED:
        _announce_cancelled([occ.pk])
    occ.status = OccurrenceStatus.CANCELLED
    occ.is_exception = True
    occ.note_fr, occ.note_nl = note_fr or occ.note_fr, note_nl or occ.note_nl
    occ.save()
    bump_sequence(event)
    return occ


@transaction.atomic
def move_occurrence(
    event: Event,
    recurrence_id: datetime.datetime,
    start: datetime.datetime,
    end: datetime.datetime | None = None,
    venue_name: str = "",
    venue_address: str = "",
    note_fr: str = "",
    note_nl: str = "",
) -> Occurrence:
    """Move one occurrence to another time (and/or venue). ``start``/``end`` are aware."""
    if timezone.is_naive(start):
        raise ValueError("start must be timezone-aware")
    occ = _get_occurrence(event, recurrence_id)
    end = end or start + (occ.end - occ.start)
    if end < start:
        raise ValueError("end before start")
    if (occ.start, occ.end) != (start, end):
        _announce_moved([occ.pk])
    occ.start, occ.end = start, end
    occ.status = OccurrenceStatus.MOVED
    occ.is_exception = True
    occ.venue_name = venue_name or occ.venue_name
    occ.venue_address = venue_address or occ.venue_address
    occ.note_fr, occ.note_nl = note_fr or occ.note_fr, note_nl or occ.note_nl
    occ.save()
    bump_sequence(event)
    return occ


@transaction.atomic
def change_occurrence(event: Event, recurrence_id: datetime.datetime, **fields) -> Occurrence:
    """Change the details of one occurrence (title, venue, note) without moving it."""
    allowed = {"title_fr", "title_nl", "venue_name", "venue_address", "note_fr", "note_nl"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot override {sorted(unknown)}")
    occ = _get_occurrence(event, recurrence_id)
    for name, value in fields.items():
        setattr(occ, name, value)
    occ.is_exception = True
    occ.save()
    bump_sequence(event)
    return occ


@transaction.atomic
def restore_occurrence(event: Event, recurrence_id: datetime.datetime) -> Occurrence:
    """Undo every exception of one occurrence."""
    occ = _get_occurrence(event, recurrence_id)
    occ.status = OccurrenceStatus.CONFIRMED
    occ.is_exception = False
    for name in ("title_fr", "title_nl", "venue_name", "venue_address", "note_fr", "note_nl"):
        setattr(occ, name, "")
    occ.save()
    regenerate_occurrences(event)
    bump_sequence(event)
    return occ


# The many-to-many links a series names by slug or code: field -> (model, natural key).
_SERIES_LINKS = {
    "bassins": (Bassin, "slug"),
    "themes": (Theme, "slug"),
    "languages": (Language, "code"),
}


def _resolve(model, values: Iterable, field: str = "slug") -> list:
    objs, slugs = [], []
    for value in values or []:
        (objs if isinstance(value, model) else slugs).append(value)
    if slugs:
        found = list(model.objects.filter(**{f"{field}__in": slugs}))
        missing = set(slugs) - {getattr(o, field) for o in found}
        if missing:
            raise ValueError(f"unknown {model.__name__} {sorted(missing)}")
        objs += found
    return objs


def split_local(value, all_day: bool, zone) -> tuple[datetime.date, datetime.time | None]:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(zone)
        return value.date(), (None if all_day else value.time().replace(tzinfo=None))
    return value, None


def set_times(event: Event, start, end, all_day: bool) -> None:
    """Set local wall-clock fields from aware datetimes (or dates when all-day)."""
    zone = zoneinfo.ZoneInfo(event.tz or BRUSSELS)
    event.all_day = all_day
    event.start_date, event.start_time = split_local(start, all_day, zone)
    event.end_date, event.end_time = split_local(end, all_day, zone)
    exclusive_midnight = isinstance(end, datetime.datetime) and end.time() == datetime.time(0)
    if all_day and exclusive_midnight and event.end_date > event.start_date:
        # An exclusive midnight end (iCal style) means the previous day was the last.
        event.end_date -= datetime.timedelta(days=1)


@transaction.atomic
def upsert_external_event(
    source: str,
    key: str,
    *,
    kind_slug: str,
    title_fr: str,
    title_nl: str,
    description_fr: str = "",
    description_nl: str = "",
    bassins: list,
    start: datetime.datetime,
    end: datetime.datetime,
    all_day: bool = False,
    url: str = "",
    venue_name: str = "",
    **extra,
) -> Event:
    """Create or update the event another app owns under (source, key). Idempotent.

    ``start``/``end`` are aware datetimes (or dates for all-day events). ``bassins``
    are Bassin objects or slugs; empty means region-wide. ``extra`` sets any other
    Event field (venue_address, postal_code, audience, status, is_demo), ``themes=[slugs]``
    or ``languages=[codes]``.
    The event is published unless ``status`` says otherwise; its sequence is bumped
    only when something changed.
    """
    if not source or not key:
        raise ValueError("source and key are required")
    kind = EventKind.objects.get(slug=kind_slug)
    bassin_objs = _resolve(Bassin, bassins)
    links = {
        name: _resolve(model, extra.pop(name), key)
        for name, (model, key) in _SERIES_LINKS.items()
        if name != "bassins" and name in extra
    }
    event = Event.objects.select_for_update().filter(source=source, source_key=key).first()
    created = event is None
    if created:
        event = Event(source=source, source_key=key, status=EventStatus.PUBLISHED)
    values = {
        "kind": kind,
        "title_fr": title_fr,
        "title_nl": title_nl,
        "description_fr": description_fr,
        "description_nl": description_nl,
        "venue_name": venue_name,
        "registration_url": url or extra.pop("registration_url", ""),
        "is_regional": not bassin_objs,
        **extra,
    }
    if url and "registration" not in extra:
        values["registration"] = RegistrationMode.EXTERNAL
    before = _snapshot(event) if not created else None
    for name, value in values.items():
        setattr(event, name, value)
    set_times(event, start, end, all_day)
    changed = created or _snapshot(event) != before
    if changed:
        if not created:
            event.sequence += 1
        if event.status == EventStatus.PUBLISHED and not event.published_at:
            event.published_at = timezone.now()
        event.save()
    if created:
        event.bassins.set(bassin_objs)
    elif set(event.bassins.all()) != set(bassin_objs):
        event.bassins.set(bassin_objs)
        if not changed:
            bump_sequence(event)
            changed = True
    for name, objs in links.items():
        manager = getattr(event, name)
        if set(manager.all()) != set(objs):
            manager.set(objs)
            if not created and not changed:
                bump_sequence(event)
                changed = True
    if changed:
        regenerate_occurrences(event)
    return event


def _snapshot(event: Event) -> dict:
    return {
        f.attname: getattr(event, f.attname)
        for f in Event._meta.concrete_fields
        if f.attname not in ("id", "updated_at", "created_at", "sequence", "published_at")
    } | {"recurrence": str(event.recurrence or "")}


def save_event(event: Event, *, bump: bool = True) -> Event:
    """Save an edited event, bump its SEQUENCE and rematerialise its occurrences."""
    with transaction.atomic():
        if event.pk and bump:
            event.sequence += 1
        if event.status == EventStatus.PUBLISHED and not event.published_at:
            event.published_at = timezone.now()
        event.save()
        regenerate_occurrences(event)
    return event


def extend_horizon() -> int:
    """Daily: materialise recurring series up to the moving horizon.

    A series whose rule cannot be expanded (saved before the forms checked rules) is
    logged and skipped: it must not stop the series after it."""
    changes = 0
    for event in Event.objects.exclude(recurrence__isnull=True).exclude(recurrence=""):
        if not event.is_recurring:
            continue
        try:
            changes += regenerate_occurrences(event)
        except (ValueError, OverflowError):
            logger.exception("horizon: event %s has a rule that cannot be expanded", event.pk)
    return changes


def _proposal_duplicate(proposal: Mapping) -> Event | None:
    """The same proposal already sent (double submit): reuse it."""
    return (
        Event.objects.filter(
            status__in=[EventStatus.UNCONFIRMED, EventStatus.PENDING],
            proposer_email__iexact=proposal["proposer_email"],
            title_fr=proposal["title_fr"],
            title_nl=proposal.get("title_nl") or "",
            start_date=proposal["date"],
        )
        .order_by("pk")
        .first()
    )


def _store_proposal(proposal: Mapping, language: str) -> Event:
    event = Event(**{name: proposal.get(name, "") for name in PROPOSAL_FIELDS})
    event.status = EventStatus.UNCONFIRMED
    event.proposer_language = language
    event.start_date = proposal["date"]
    event.end_date = proposal.get("end_date") or proposal["date"]
    event.all_day = bool(proposal.get("all_day"))
    event.start_time = None if event.all_day else proposal.get("start_time")
    event.end_time = None if event.all_day else proposal.get("end_time")
    event.registration = proposal.get("registration") or (
        RegistrationMode.EXTERNAL if event.registration_url else RegistrationMode.NONE
    )
    if event.registration == RegistrationMode.INTERNAL:
        event.capacity = proposal.get("capacity")
    event.is_regional = False
    event.save()
    event.bassins.set(bassins_or_suggested(proposal.get("bassins") or [], event.postal_code))
    event.themes.set(proposal.get("themes") or [])
    event.languages.set(spoken_languages(proposal.get("language_list") or ["fr"]))
    regenerate_occurrences(event)
    return event


def _queue_proposal(event: Event) -> bool:
    if event.status != EventStatus.UNCONFIRMED:
        return False
    event.status = EventStatus.PENDING
    event.save(update_fields=["status", "updated_at"])
    return True


# An event proposed through the public form (core.proposals holds the steps).
PROPOSALS = ProposalFlow(
    name="event",
    purpose="event-proposal",
    model=Event,
    uid_field="uid",
    confirm_url="events:propose_confirm",
    confirm_mail="events/email/proposal_confirm",
    team_mail="events/email/proposal_team",
    moderation_path="/admin/events/moderation/",
    proposer=lambda event: Proposer(event.proposer_email, event.proposer_language or "fr"),
    team_addresses=team_emails,
    find_duplicate=_proposal_duplicate,
    store=_store_proposal,
    enter_moderation_queue=_queue_proposal,
)


def create_proposal(proposal: Mapping, language: str) -> tuple[Event, bool]:
    """Save a proposal as an unconfirmed event and e-mail the confirmation link.

    ``proposal`` holds the values of ``PROPOSAL_FIELDS`` (``kind`` an EventKind) plus
    ``date``, optional ``end_date``, ``all_day``, ``start_time``, ``end_time``,
    ``language_list`` (language codes), ``bassins`` and ``themes`` (model instances),
    ``registration`` (a ``RegistrationMode``; without it, external when a link is given)
    and ``capacity`` (with registration on Maillage, each of its dates' places), as
    the public form cleans them; without bassins the area comes from the postal code.
    Returns (event, created). A double submit returns the first proposal (and mails
    again).
    """
    return PROPOSALS.submit(proposal, language)


@transaction.atomic
def approve_proposal(event: Event, user=None) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.PENDING:
        raise ValueError("only pending proposals can be approved")
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.moderated_at = timezone.now()
    event.moderated_by = user
    event.moderation_reason = ""
    event.save()
    regenerate_occurrences(event)
    language = event.proposer_language or "fr"
    _mail_proposer(
        event,
        "events/email/proposal_approved",
        attendees_url=attendee_list_url(event, language),
        link_days=settings.SIGNED_LINK_MAX_AGE_DAYS,
    )
    return event


@transaction.atomic
def reject_proposal(event: Event, reason: str, user=None) -> Event:
    if not reason.strip():
        raise ValueError("a reason is required")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status not in (EventStatus.PENDING, EventStatus.UNCONFIRMED):
        raise ValueError("only proposals can be rejected")
    event.status = EventStatus.REJECTED
    event.moderation_reason = reason.strip()
    event.moderated_at = timezone.now()
    event.moderated_by = user
    event.save()
    _mail_proposer(event, "events/email/proposal_rejected")
    return event


def attendee_list_url(event: Event, language: str) -> str:
    """The organiser's signed link to the registrations of an event that takes them on
    Maillage (the registration engine answers ``attendee_list_link``), or ""."""
    if not event.takes_registrations:
        return ""
    answers = attendee_list_link.send(sender=Event, event=event, language=language)
    return next((url for _receiver, url in answers if url), "")


def _mail_proposer(event: Event, template: str, **context) -> int:
    """The moderation decision, once per event and decision."""
    if not event.proposer_email:
        return 0
    with translation.override(event.proposer_language or "fr"):
        url = settings.SITE_URL + event.get_absolute_url(event.proposer_language or "fr")
    return send_transactional(
        template,
        {"event": event, "url": url, **context},
        [event.proposer_email],
        event.proposer_language or "fr",
        key=f"{template}:{event.uid}",
    )


# --- series published by another calendar (iCal import) ---------------------------


@dataclass(frozen=True)
class OccurrenceOverride:
    """One occurrence of an external series as its publisher changed it (RECURRENCE-ID).

    ``recurrence_id`` is the aware instant the rule produces (midnight Brussels for an
    all-day series). ``start``/``end`` (aware) differ from the rule's when it was moved;
    blank texts inherit the series'.
    """

    recurrence_id: datetime.datetime
    cancelled: bool = False
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    title_fr: str = ""
    title_nl: str = ""
    venue_name: str = ""
    note_fr: str = ""
    note_nl: str = ""


@dataclass
class ExternalSeries:
    """An event or series another calendar publishes, in plain values.

    ``start``/``end`` are aware datetimes, or dates with ``all_day`` (``end`` exclusive,
    iCal style). ``recurrence`` holds RFC 5545 RRULE/RDATE/EXDATE lines whose times are
    Brussels wall-clock without a zone (UNTIL in UTC with a Z). ``bassins``/``themes``
    are slugs, ``languages`` codes; ``fields`` sets other Event fields (venue_address,
    audience, organiser, latitude, ...). ``cancelled``: the publisher cancelled the whole series.
    """

    key: str
    kind_slug: str
    title_fr: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date
    all_day: bool = False
    title_nl: str = ""
    description_fr: str = ""
    description_nl: str = ""
    venue_name: str = ""
    recurrence: str = ""
    overrides: tuple[OccurrenceOverride, ...] = ()
    bassins: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    fields: dict = dataclass_field(default_factory=dict)
    cancelled: bool = False


@dataclass
class ExternalSyncResult:
    """What ``upsert_external_series`` did, by key: "created", "updated" or "unchanged".

    ``unmatched`` counts overrides whose RECURRENCE-ID the rule does not (yet) produce,
    e.g. beyond the materialisation horizon: the caller should offer them again later.
    """

    outcome: dict[str, str] = dataclass_field(default_factory=dict)
    events: dict[str, Event] = dataclass_field(default_factory=dict)
    unmatched: dict[str, int] = dataclass_field(default_factory=dict)


def _series_values(item: ExternalSeries, kinds: dict) -> dict:
    kind = kinds.get(item.kind_slug)
    if kind is None:
        raise ValueError(f"unknown EventKind {item.kind_slug!r}")
    return {
        "kind": kind,
        "title_fr": item.title_fr[:200],
        "title_nl": item.title_nl[:200],
        "description_fr": item.description_fr,
        "description_nl": item.description_nl,
        "venue_name": item.venue_name[:200],
        "is_regional": not item.bassins,
        **item.fields,
    }


def _apply_series(event: Event, item: ExternalSeries, kinds: dict) -> None:
    for name, value in _series_values(item, kinds).items():
        setattr(event, name, value)
    end = item.end
    if item.all_day and not isinstance(end, datetime.datetime):
        end = datetime.datetime.combine(end, datetime.time(0))  # exclusive, as in iCal
    set_times(event, item.start, end, item.all_day)
    event.recurrence = recurrence.deserialize(item.recurrence) if item.recurrence else None


def _rule_times(event: Event, recurrence_id: datetime.datetime):
    zone = event.zone
    local = timezone.localtime(recurrence_id, zone).replace(tzinfo=None)
    return recurrence_id, aware(local + event.duration, zone)


_OVERRIDE_TEXTS = ("title_fr", "title_nl", "venue_name", "note_fr", "note_nl")


def _override_occurrence(event: Event, occ: Occurrence, override, cancelled: bool) -> bool:
    """Make ``occ`` what the publisher says (override or None = as the rule). Changed?"""
    rule_start, rule_end = _rule_times(event, occ.recurrence_id)
    if override is None:
        wanted = {name: "" for name in _OVERRIDE_TEXTS}
        wanted.update(start=rule_start, end=rule_end, status=OccurrenceStatus.CONFIRMED)
    else:
        wanted = {name: getattr(override, name)[:300] for name in _OVERRIDE_TEXTS}
        start = override.start or rule_start
        end = override.end or (start + (rule_end - rule_start))
        moved = (start, end) != (rule_start, rule_end)
        wanted.update(
            start=start,
            end=end,
            status=OccurrenceStatus.MOVED if moved else OccurrenceStatus.CONFIRMED,
        )
    if cancelled or (override is not None and override.cancelled):
        wanted["status"] = OccurrenceStatus.CANCELLED
    wanted["is_exception"] = wanted["status"] != OccurrenceStatus.CONFIRMED or any(
        wanted[name] for name in _OVERRIDE_TEXTS
    )
    changed = False
    for name, value in wanted.items():
        if getattr(occ, name) != value:
            setattr(occ, name, value)
            changed = True
    return changed


def _sync_overrides(event: Event, item: ExternalSeries, occurrences: list[Occurrence]):
    """Apply the publisher's overrides to ``occurrences``; (changed rows, unmatched count).

    Unmatched counts only overrides later than the last materialised occurrence (they
    may match once the horizon moves); one for an instance the rule never produces
    (e.g. also in EXDATE) will never match and is not counted.
    """
    wanted = {o.recurrence_id: o for o in item.overrides}
    changed = []
    for occ in occurrences:
        if _override_occurrence(event, occ, wanted.pop(occ.recurrence_id, None), item.cancelled):
            changed.append(occ)
    last = max((occ.recurrence_id for occ in occurrences), default=None)
    return changed, sum(1 for rid in wanted if last is None or rid > last)


_OCCURRENCE_FIELDS = ["start", "end", "status", "is_exception", *_OVERRIDE_TEXTS, "updated_at"]


def _link_ids() -> dict[str, dict[str, int]]:
    """``{"bassins": {slug: pk}, "themes": {...}, "languages": {code: pk}}``."""
    return {
        name: dict(model.objects.values_list(key, "pk"))
        for name, (model, key) in _SERIES_LINKS.items()
    }


def _create_series(source: str, items: list, kinds, link_ids, status, result):
    """Bulk path for new series: events, their links and occurrences in a few queries."""
    now = timezone.now()
    events = []
    for item in items:
        event = Event(source=source, source_key=item.key, status=status)
        _apply_series(event, item, kinds)
        if status == EventStatus.PUBLISHED:
            event.published_at = now
        events.append(event)
    Event.objects.bulk_create(events, batch_size=500)
    link_rows: dict[str, list] = {name: [] for name in _SERIES_LINKS}
    occurrences = []
    for event, item in zip(events, items, strict=True):
        for name, rows in link_rows.items():
            field = Event._meta.get_field(name)
            through, target = field.remote_field.through, f"{field.m2m_reverse_field_name()}_id"
            rows += [
                through(event_id=event.pk, **{target: link_ids[name][key]})
                for key in getattr(item, name)
            ]
        rows = new_occurrences(event)
        _changed, unmatched = _sync_overrides(event, item, rows)
        occurrences += rows
        result.outcome[item.key] = "created"
        result.events[item.key] = event
        if unmatched:
            result.unmatched[item.key] = unmatched
    for name, rows in link_rows.items():
        Event._meta.get_field(name).remote_field.through.objects.bulk_create(rows, batch_size=1000)
    Occurrence.objects.bulk_create(occurrences, batch_size=1000)


def _update_series(event: Event, item: ExternalSeries, kinds, link_ids, result):
    before = _snapshot(event)
    _apply_series(event, item, kinds)
    changed = _snapshot(event) != before
    if changed:
        event.save()
    for name in _SERIES_LINKS:
        wanted = {link_ids[name][key] for key in getattr(item, name)}
        manager = getattr(event, name)
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            changed = True
    if changed:
        regenerate_occurrences(event)
    rows = list(event.occurrences.all())
    cancelled_before = {occ.pk for occ in rows if occ.status == OccurrenceStatus.CANCELLED}
    times_before = {occ.pk: (occ.start, occ.end) for occ in rows}
    overridden, unmatched = _sync_overrides(event, item, rows)
    if overridden:
        _announce_moved(
            [
                occ.pk
                for occ in overridden
                if occ.status != OccurrenceStatus.CANCELLED
                and (occ.start, occ.end) != times_before[occ.pk]
            ]
        )
        # Dates the publisher cancels (one date, or the whole series): their registrations
        # are cancelled and the people told, as when the organiser cancels here.
        _announce_cancelled(
            [
                occ.pk
                for occ in overridden
                if occ.status == OccurrenceStatus.CANCELLED and occ.pk not in cancelled_before
            ]
        )
        Occurrence.objects.bulk_update(overridden, _OCCURRENCE_FIELDS)
        changed = True
    if changed:
        bump_sequence(event)
    result.outcome[item.key] = "updated" if changed else "unchanged"
    result.events[item.key] = event
    if unmatched:
        result.unmatched[item.key] = unmatched


@transaction.atomic
def upsert_external_series(
    source: str,
    items: Iterable[ExternalSeries],
    *,
    status_if_new: str = EventStatus.PUBLISHED,
) -> ExternalSyncResult:
    """Create or update the series another calendar publishes under (source, key).

    Idempotent: a second call with the same items changes nothing (no SEQUENCE bump).
    New events get ``status_if_new`` (PENDING puts them in the moderation queue);
    existing events keep their status, so a moderator's decision stands. The
    publisher's overrides replace the exceptions of each series: an occurrence no
    override names follows the rule again.
    """
    items = list(items)
    if not source or any(not item.key for item in items):
        raise ValueError("source and keys are required")
    kinds = {k.slug: k for k in EventKind.objects.all()}
    link_ids = _link_ids()
    for item in items:
        missing = {
            key
            for name in _SERIES_LINKS
            for key in getattr(item, name)
            if key not in link_ids[name]
        }
        if missing:
            raise ValueError(f"unknown bassins, themes or languages {sorted(missing)}")
    existing: dict[str, Event] = {}
    keys = [item.key for item in items]
    for start in range(0, len(keys), 2000):
        chunk = keys[start : start + 2000]
        for event in Event.objects.select_for_update().filter(source=source, source_key__in=chunk):
            existing[event.source_key] = event
    result = ExternalSyncResult()
    new = [item for item in items if item.key not in existing]
    if new:
        _create_series(source, new, kinds, link_ids, status_if_new, result)
    for item in items:
        if item.key in existing:
            _update_series(existing[item.key], item, kinds, link_ids, result)
    if any(outcome != "unchanged" for outcome in result.outcome.values()):
        agenda_changed.send(sender=Event)
    return result


@transaction.atomic
def cancel_external_series(source: str, keys: Iterable[str], after: datetime.datetime) -> int:
    """The publisher no longer lists these series: cancel their occurrences ending after
    ``after`` (past ones stay as they were). Returns the number of events changed."""
    keys = list(keys)
    changed_events = 0
    for start in range(0, len(keys), 2000):
        chunk = keys[start : start + 2000]
        occurrences = Occurrence.objects.filter(
            event__source=source, event__source_key__in=chunk, end__gt=after
        ).exclude(status=OccurrenceStatus.CANCELLED)
        rows = list(occurrences.values_list("pk", "event_id"))
        event_ids = {event_id for _pk, event_id in rows}
        if not event_ids:
            continue
        _announce_cancelled([pk for pk, _event_id in rows])
        occurrences.update(
            status=OccurrenceStatus.CANCELLED, is_exception=True, updated_at=timezone.now()
        )
        Event.objects.filter(pk__in=event_ids).update(
            sequence=F("sequence") + 1, updated_at=timezone.now()
        )
        changed_events += len(event_ids)
    if changed_events:
        agenda_changed.send(sender=Event)
    return changed_events
