"""Import partners' calendars into the agenda: by hand (``import_ical``) or polled.

``import_calendar`` maps a body to series (``mapping``) and writes them through
``events.services.upsert_external_series``; ``sync_source`` fetches a source
(``fetching``, conditional GET) and records the outcome on the source, so that the
team reads on its admin page why a calendar does not come through. A failing source
only ever fails itself.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bassins.models import Language
from events.models import EventStatus
from events.services import cancel_external_series, upsert_external_series

from .fetching import FetchError, fetch_calendar
from .mapping import CalendarError, ParsedEvent, SourceDefaults, parse_calendar
from .models import CalendarSource, ErrorCode, FetchStatus, ImportedEvent, import_summary

logger = logging.getLogger(__name__)
BATCH_SIZE = 250
Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """Counts of one import; ``skipped`` lists the events that could not be read."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    older: int = 0
    deleted_here: int = 0
    pending: int = 0
    skipped: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        names = ("total", "created", "updated", "unchanged", "cancelled", "older", "pending")
        return {name: getattr(self, name) for name in names} | {"skipped": len(self.skipped)}

    def summary(self) -> str:
        return import_summary(self.counts())


def source_defaults(source: CalendarSource, kind_slug: str | None = None) -> SourceDefaults:
    return SourceDefaults(
        kind_slug=kind_slug or source.kind.slug,
        bassins=tuple(sorted(source.bassins.values_list("slug", flat=True))),
        themes=tuple(sorted(source.themes.values_list("slug", flat=True))),
        audience=source.audience,
        language=source.language_id,
        organisation=source.organisation or source.name,
        known_languages=tuple(Language.objects.values_list("code", flat=True)),
    )


def _to_sync(parsed: list[ParsedEvent], known: dict[str, ImportedEvent], report: ImportReport):
    """The events whose import would change something, in file order."""
    wanted = []
    for item in parsed:
        row = known.get(item.series.key)
        if row is not None and row.event_id is None:
            report.deleted_here += 1
        elif row is not None and item.sequence < row.remote_sequence:
            report.older += 1
        elif row is not None and row.fingerprint == item.fingerprint and not row.is_removed:
            report.unchanged += 1
        else:
            wanted.append(item)
    return wanted


def _write(source, batch: list[ParsedEvent], known: dict, status: str, now, report) -> None:
    result = upsert_external_series(
        source.event_source, [item.series for item in batch], status_if_new=status
    )
    new_rows, changed_rows = [], []
    for item in batch:
        key = item.series.key
        outcome = result.outcome[key]
        if outcome == "created":
            report.created += 1
            report.pending += status == EventStatus.PENDING
        elif outcome == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
        # An override the rule does not produce yet (beyond the horizon), or dates listed
        # up to the horizon: offer it again at the next poll.
        fingerprint = "" if result.unmatched.get(key) or item.resync else item.fingerprint
        row = known.get(key)
        if row is None:
            new_rows.append(
                ImportedEvent(
                    source=source,
                    uid=item.uid,
                    key=key,
                    event=result.events[key],
                    remote_sequence=item.sequence,
                    fingerprint=fingerprint,
                    last_seen_at=now,
                )
            )
        else:
            row.remote_sequence = item.sequence
            row.fingerprint = fingerprint
            row.is_removed = False
            row.last_seen_at = now
            changed_rows.append(row)
    ImportedEvent.objects.bulk_create(new_rows, batch_size=1000)
    ImportedEvent.objects.bulk_update(
        changed_rows, ["remote_sequence", "fingerprint", "is_removed", "last_seen_at"]
    )


def _cancel_removed(source, seen: set[str], known: dict, now, report) -> None:
    gone = [
        row
        for key, row in known.items()
        if key not in seen and not row.is_removed and row.event_id is not None
    ]
    if not gone:
        return
    report.cancelled = cancel_external_series(
        source.event_source, [row.key for row in gone], after=now
    )
    ImportedEvent.objects.filter(pk__in=[row.pk for row in gone]).update(is_removed=True)


def import_calendar(
    source: CalendarSource,
    body: bytes,
    *,
    moderate: bool | None = None,
    kind_slug: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Bring the source's events in line with ``body`` (an iCalendar file).

    New events are published, or wait in the moderation queue when the source is not
    trusted (``moderate`` overrides that). Idempotent by UID: unchanged events are not
    touched, an older SEQUENCE is ignored, events gone from the file are cancelled from
    now on. ``dry_run`` computes the same report and rolls everything back.
    Raises CalendarError when the body is not iCalendar (then nothing changes).
    """
    now = timezone.now()
    parsed = parse_calendar(body, source_defaults(source, kind_slug))
    report = ImportReport(total=len(parsed.events), skipped=parsed.skipped)
    moderate = (not source.is_trusted) if moderate is None else moderate
    status = EventStatus.PENDING if moderate else EventStatus.PUBLISHED
    with transaction.atomic():
        # One import of a source at a time (beat and a person may overlap).
        CalendarSource.objects.select_for_update().filter(pk=source.pk).first()
        known = {row.key: row for row in ImportedEvent.objects.filter(source=source)}
        wanted = _to_sync(parsed.events, known, report)
        if progress:
            progress(0, len(wanted))
        for start in range(0, len(wanted), BATCH_SIZE):
            batch = wanted[start : start + BATCH_SIZE]
            _write(source, batch, known, status, now, report)
            if progress:
                progress(start + len(batch), len(wanted))
        _cancel_removed(source, {item.series.key for item in parsed.events}, known, now, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _record(source: CalendarSource, **values) -> None:
    """Write the outcome without overwriting what a person edits at the same time."""
    CalendarSource.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)


def record_failure(source: CalendarSource, code: str, detail: str, now=None) -> None:
    _record(
        source,
        last_status=FetchStatus.ERROR,
        last_error_code=code,
        last_error=detail[:2000],
        last_fetched_at=now or timezone.now(),
    )


def sync_source(source: CalendarSource) -> str:
    """Fetch (conditional GET) and import one source; record the outcome. Never raises
    for a problem of the source itself: the status and error are on the source."""
    now = timezone.now()
    # Events kept to be offered again (an override beyond the horizon, dates listed up to
    # it) need the body even when the file has not changed: no conditional GET then.
    pending = ImportedEvent.objects.filter(
        source=source, fingerprint="", is_removed=False, event__isnull=False
    ).exists()
    etag, last_modified = ("", "") if pending else (source.etag, source.last_modified)
    try:
        fetched = fetch_calendar(source.url, etag=etag, last_modified=last_modified)
    except FetchError as error:
        record_failure(source, error.code, error.detail, now)
        return FetchStatus.ERROR
    if fetched.not_modified:
        _record(
            source,
            last_status=FetchStatus.NOT_MODIFIED,
            last_error_code="",
            last_error="",
            last_fetched_at=now,
            last_success_at=now,
        )
        return FetchStatus.NOT_MODIFIED
    try:
        report = import_calendar(source, fetched.body)
    except CalendarError as error:
        record_failure(source, ErrorCode.NOT_ICAL, str(error), now)
        return FetchStatus.ERROR
    except Exception as error:  # a bug must not stop the other sources; it is logged
        logger.exception("calendar source %s: import failed", source.pk)
        record_failure(source, ErrorCode.INTERNAL, repr(error), now)
        return FetchStatus.ERROR
    _record(
        source,
        last_status=FetchStatus.OK,
        last_error_code="",
        last_error="\n".join(report.skipped)[:2000],
        last_fetched_at=now,
        last_success_at=now,
        last_counts=report.counts(),
        etag=fetched.etag[:300],
        last_modified=fetched.last_modified[:100],
    )
    return FetchStatus.OK


def forget_validators(source: CalendarSource) -> None:
    """The source's settings changed: the next poll re-reads (and re-maps) everything."""
    _record(source, etag="", last_modified="")


def due_sources(now: datetime.datetime | None = None):
    """Active sources not fetched for CALENDARS_POLL_MINUTES."""
    now = now or timezone.now()
    before = now - datetime.timedelta(minutes=settings.CALENDARS_POLL_MINUTES)
    return CalendarSource.objects.filter(is_active=True).filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lte=before)
    )
