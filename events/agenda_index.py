"""Each process's index of the published agenda: what the agenda pages, the API, the hub
and the newsletter select and count, without SQL.

Why not SQL: every filter combination a professional builds misses the page cache, and
answering it in SQL means joining occurrences to events, bassins, themes and languages
for the list, the count and one aggregate per facet (about 300 ms of a 2-core machine at
10,000 events). The published agenda is small (tens of thousands of occurrences, a few
MB) and changes a few times a day, so each process keeps one immutable snapshot of the
facts the filters read, valid for one agenda version (``events.version``): every read
checks the shared version (one cache read, the one the page cache already makes) and the
first read after a change rebuilds the snapshot (six queries, whatever the size).
A selection is a bit set (``core.bitsets``): one bit per date in start order, a Python
``int`` per facet value, so a filter is an OR and an AND and a facet count a
``bit_count``; only the text filter reads the dates one by one, those already selected.

``events.queries`` stays the definition: its SQL answers whenever the index may not be
used (``settings.AGENDA_INDEX`` off, or inside a transaction, whose own uncommitted
writes a shared snapshot must never hold), and the tests compare both on random filter
combinations. Which occurrences to show is decided here; their ``OccurrenceView`` is
built by ``events.queries.occurrence_view`` from the database rows, fetched by id once
per snapshot and language and then kept with the snapshot.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.dispatch import Signal
from django.utils import timezone

from bassins.models import Bassin
from core.bitsets import bits_of, positions_of, span, union
from core.snapshots import ProcessSnapshot

from .models import (
    Audience,
    Event,
    EventKind,
    EventStatus,
    Occurrence,
    OccurrenceStatus,
    OccurrenceView,
)
from .presentation import occurrence_view
from .version import AGENDA_VERSION

MEMO_SIZE = 256
# The facets a date has through its event, each a bit set per value.
FACET_ATTRIBUTES = ("bassins", "kinds", "themes", "audience", "languages")

# The event columns the text filter (``q``) searches, here and in
# ``events.queries.event_filter`` (one list for both).
TEXT_FIELDS = (
    "title_fr",
    "title_nl",
    "description_fr",
    "description_nl",
    "venue_name",
    "venue_name_nl",
    "organiser",
    "organiser_nl",
)


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What the filters read of one published event."""

    kind: str
    regional: bool
    audience: str
    bassins: frozenset[str]
    themes: frozenset[str]
    languages: frozenset[str]
    text: str  # the searched columns, lower-cased, one per line


@dataclass(frozen=True, slots=True)
class Filters:
    """The filter keywords of ``events.queries.upcoming_occurrences``, normalised."""

    bassins: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    audience: str = ""
    language: str = ""
    text: str = ""
    include_cancelled: bool = True

    @classmethod
    def of(cls, *, include_cancelled=True, **keywords) -> Filters:
        def slugs(values) -> frozenset[str]:
            if not values:
                return frozenset()
            if isinstance(values, str) or hasattr(values, "slug"):
                values = [values]
            return frozenset(getattr(v, "slug", v) for v in values)

        return cls(
            bassins=slugs(keywords.get("bassins")),
            kinds=slugs(keywords.get("kinds")),
            themes=slugs(keywords.get("themes")),
            audience=keywords.get("audience") or "",
            language=keywords.get("language") or "",
            text=(keywords.get("text") or "").lower(),
            include_cancelled=include_cancelled,
        )

    def without(self, name: str) -> Filters:
        return Filters(**{**{f: getattr(self, f) for f in self.__slots__}, name: frozenset()})


class AgendaIndex:
    """An immutable snapshot of the published agenda for one agenda version."""

    def __init__(self, version: int):
        self.version = version
        self._views: dict[tuple[int, str], OccurrenceView] = {}
        self._memo: dict[tuple, list[int]] = {}
        self._load()

    def _load(self) -> None:
        kinds = dict(EventKind.objects.values_list("id", "slug"))
        published = {"event__status": EventStatus.PUBLISHED}
        links: dict[str, dict[int, set[str]]] = {}
        for name, through, column in (
            ("bassins", Event.bassins.through, "bassin__slug"),
            ("themes", Event.themes.through, "theme__slug"),
            ("languages", Event.languages.through, "language__code"),
        ):
            by_event: dict[int, set[str]] = {}
            for event_id, value in through.objects.filter(**published).values_list(
                "event_id", column
            ):
                by_event.setdefault(event_id, set()).add(value)
            links[name] = by_event
        none: frozenset[str] = frozenset()
        events: dict[int, EventFacts] = {}
        rows = Event.objects.filter(status=EventStatus.PUBLISHED).values_list(
            "id", "kind_id", "is_regional", "audience", *TEXT_FIELDS
        )
        for event_id, kind_id, regional, audience, *texts in rows:
            events[event_id] = EventFacts(
                kind=kinds.get(kind_id, ""),
                regional=regional,
                audience=audience,
                bassins=frozenset(links["bassins"].get(event_id, none)),
                themes=frozenset(links["themes"].get(event_id, none)),
                languages=frozenset(links["languages"].get(event_id, none)),
                text="\n".join(t for t in texts if t).lower(),
            )
        starts, ends, ids, facts, titles = [], [], [], [], []
        first_days, last_days = [], []
        # Positions of each facet value, of the region-wide events' dates, of the
        # cancelled dates and of the dates that end before they start.
        postings: dict[str, dict[str, list[int]]] = {name: {} for name in FACET_ATTRIBUTES}
        regional, cancelled, backwards = [], [], []
        zone = timezone.get_default_timezone()
        second = datetime.timedelta(seconds=1)
        longest = 0.0
        occurrences = (
            Occurrence.objects.filter(**published)
            .order_by("start", "event_id", "pk")
            .values_list("id", "event_id", "start", "end", "status", "title_fr", "title_nl")
        )
        for occ_id, event_id, start, end, status, title_fr, title_nl in occurrences:
            event = events.get(event_id)
            if event is None:  # published since the events were read: the next version
                continue
            position = len(ids)
            start_ts, end_ts = start.timestamp(), end.timestamp()
            longest = max(longest, end_ts - start_ts)
            if end_ts <= start_ts:
                backwards.append(position)
            starts.append(start_ts)
            ends.append(end_ts)
            ids.append(occ_id)
            facts.append(event)
            if status == OccurrenceStatus.CANCELLED:
                cancelled.append(position)
            if event.regional:
                regional.append(position)
            postings["kinds"].setdefault(event.kind, []).append(position)
            postings["audience"].setdefault(event.audience, []).append(position)
            for name in ("bassins", "themes", "languages"):
                for value in getattr(event, name):
                    postings[name].setdefault(value, []).append(position)
            titles.append(f"{title_fr}\n{title_nl}".lower())
            first_days.append(start.astimezone(zone).toordinal())
            last_days.append((end - second).astimezone(zone).toordinal())
        size = len(ids)
        self._starts, self._ends, self._ids = starts, ends, ids
        # The local days each date covers (as ordinals), for the month grid.
        self._first_days, self._last_days = first_days, last_days
        self._facts, self._titles = facts, titles
        self._longest = longest
        self._backwards = backwards
        self._value_bits = {
            name: {value: bits_of(positions, size) for value, positions in by_value.items()}
            for name, by_value in postings.items()
        }
        self._regional = bits_of(regional, size)
        self._cancelled = bits_of(cancelled, size)
        self._every = span(0, size)
        self.size = size

    # --- selection ------------------------------------------------------------------

    def _positions(self, start, end, filters: Filters) -> list[int]:
        """Positions (in start order) of the dates overlapping [start, end) that pass
        ``filters``."""
        return positions_of(self._selected(start, end, filters))

    def _selected(self, start: datetime.datetime, end: datetime.datetime, filters: Filters) -> int:
        """The bit set of those positions.

        Kept with the snapshot (at most MEMO_SIZE selections): a page asks the same
        selection for its count, its rows and, less one facet, each facet's counts, and
        visitors ask the same few selections again."""
        start_ts, end_ts = start.timestamp(), end.timestamp()
        key = (start_ts, end_ts, filters)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._window(start_ts, end_ts) & self._filtered(filters)
            if filters.text:
                found = self._matching(found, filters.text)
            self._memo[key] = found
        return found

    def _window(self, start_ts: float, end_ts: float) -> int:
        """The dates overlapping [start_ts, end_ts): every date starting in it, and those
        starting up to the longest date's length before it that end inside it."""
        starts, ends = self._starts, self._ends
        earliest = bisect.bisect_left(starts, start_ts - self._longest)
        inside = bisect.bisect_right(starts, start_ts)
        stop = bisect.bisect_left(starts, end_ts)
        bits = span(inside, stop)
        before = [p for p in range(earliest, min(inside, stop)) if ends[p] > start_ts]
        if before:
            bits |= bits_of(before, self.size)
        # A date that ends before it starts (never saved by the forms) only counts if it
        # ends after the window starts, as in the SQL.
        for position in self._backwards:
            if inside <= position < stop and ends[position] <= start_ts:
                bits &= ~(1 << position)
        return bits

    def _filtered(self, filters: Filters) -> int:
        """The dates passing every filter but the window and the text."""
        bits = self._every
        values = self._value_bits
        if filters.bassins:
            # A bassin's agenda also shows region-wide events.
            bits &= self._regional | union(values["bassins"], filters.bassins)
        if filters.kinds:
            bits &= union(values["kinds"], filters.kinds)
        if filters.themes:
            bits &= union(values["themes"], filters.themes)
        if filters.audience:
            audiences = {filters.audience, Audience.EVERYONE}
            if filters.audience == Audience.EVERYONE:
                audiences = {Audience.EVERYONE}
            bits &= union(values["audience"], audiences)
        if filters.language:
            bits &= values["languages"].get(filters.language, 0)
        if not filters.include_cancelled:
            bits &= ~self._cancelled
        return bits

    def _matching(self, candidates: int, text: str) -> int:
        """Those of ``candidates`` whose event's searched columns or own title hold
        ``text`` (lower-cased)."""
        facts, titles = self._facts, self._titles
        verdicts: dict[int, bool] = {}  # per event (an EventFacts is shared by its dates)
        found = []
        for position in positions_of(candidates):
            event = facts[position]
            verdict = verdicts.get(id(event))
            if verdict is None:
                verdict = verdicts[id(event)] = text in event.text
            if verdict or text in titles[position]:
                found.append(position)
        return bits_of(found, self.size)

    def occurrence_ids(self, start, end, *, offset=0, limit=None, **filters) -> list[int]:
        positions = self._positions(start, end, Filters.of(**filters))
        stop = None if limit is None else offset + limit
        return [self._ids[p] for p in positions[offset:stop]]

    def count(self, start, end, **filters) -> int:
        return self._selected(start, end, Filters.of(**filters)).bit_count()

    def days(
        self, start, end, shown_per_day: int, **filters
    ) -> dict[datetime.date, tuple[int, list[int]]]:
        """For each local day of [start, end) (local midnights) with dates: how many
        dates it shows (a date spanning several days shows on each) and the ids of the
        first ``shown_per_day`` of them, in start order."""
        zone = timezone.get_default_timezone()
        window_first = start.astimezone(zone).toordinal()
        window_last = (end - datetime.timedelta(seconds=1)).astimezone(zone).toordinal()
        first_days, last_days, ids = self._first_days, self._last_days, self._ids
        counts: dict[int, int] = {}
        shown: dict[int, list[int]] = {}
        for position in self._positions(start, end, Filters.of(**filters)):
            first = max(first_days[position], window_first)
            last = max(first, min(last_days[position], window_last))
            for day in range(first, last + 1):
                seen = counts.get(day, 0)
                counts[day] = seen + 1
                if seen < shown_per_day:
                    shown.setdefault(day, []).append(ids[position])
        return {
            datetime.date.fromordinal(day): (count, shown[day]) for day, count in counts.items()
        }

    def facet_counts(
        self, start, end, facets: dict[str, list[str]], **filters
    ) -> dict[str, dict[str, int]]:
        """As ``events.queries.facet_counts``: for each value, the count with that value
        alone ticked in its facet, the other filters unchanged."""
        chosen = Filters.of(**filters)
        counts: dict[str, dict[str, int]] = {}
        for facet, values in facets.items():
            if not values:
                counts[facet] = {}
                continue
            attribute = {"bassin": "bassins", "kind": "kinds", "theme": "themes"}[facet]
            found = self._selected(start, end, chosen.without(attribute))
            bits_by_value = self._value_bits[attribute]
            regional = 0
            if attribute == "bassins":
                # A region-wide event counts under every bassin, once.
                regional = (found & self._regional).bit_count()
                found &= ~self._regional
            counts[facet] = {
                value: regional + (found & bits_by_value.get(value, 0)).bit_count()
                for value in values
            }
        return counts

    # --- what to show -----------------------------------------------------------------

    def views(self, occurrence_ids: Iterable[int], lang: str) -> list[OccurrenceView]:
        """The OccurrenceViews of these ids in this order; two queries for those not
        yet built for this snapshot and language, none after."""
        wanted = list(occurrence_ids)
        missing = [pk for pk in wanted if (pk, lang) not in self._views]
        if missing:
            rows = (
                Occurrence.objects.filter(pk__in=missing)
                .select_related("event", "event__kind")
                .prefetch_related(
                    Prefetch("event__bassins", queryset=Bassin.objects.only("id", "slug"))
                )
            )
            for occ in rows:
                self._views[occ.pk, lang] = occurrence_view(occ, lang)
        # An occurrence deleted since the snapshot (the next version drops it) is skipped.
        return [self._views[pk, lang] for pk in wanted if (pk, lang) in self._views]


# Sent (with ``index``) after this process built the index of a new agenda version.
index_built = Signal()
_snapshot = ProcessSnapshot(
    AGENDA_VERSION,
    AgendaIndex,
    enabled=lambda: settings.AGENDA_INDEX,
    on_build=lambda index: index_built.send(sender=AgendaIndex, index=index),
)


def is_current(index: AgendaIndex) -> bool:
    """Whether ``index`` is still this process's index (no newer version built since)."""
    return _snapshot.is_current(index)


def current_index() -> AgendaIndex | None:
    """This process's index for the current agenda version, or None where the SQL reads
    must answer: the index is switched off, or a transaction is open (its uncommitted
    writes must be seen by its own reads and never kept in the shared snapshot)."""
    return _snapshot.get()
