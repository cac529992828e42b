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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.dispatch import Signal
from django.utils import timezone

from bassins.models import Bassin
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

    def event_test(self) -> Callable[[EventFacts], bool]:
        """A predicate over EventFacts for every filter but the text (which may also
        match an occurrence's own title)."""
        bassins, kinds, themes = self.bassins, self.kinds, self.themes
        language = self.language
        if not self.audience:
            audiences = None
        elif self.audience == Audience.EVERYONE:
            audiences = {Audience.EVERYONE}
        else:
            audiences = {self.audience, Audience.EVERYONE}

        def test(event: EventFacts) -> bool:
            return (
                (not bassins or event.regional or not bassins.isdisjoint(event.bassins))
                and (not kinds or event.kind in kinds)
                and (not themes or not themes.isdisjoint(event.themes))
                and (audiences is None or event.audience in audiences)
                and (not language or language in event.languages)
            )

        return test


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
        starts, ends, ids, facts, cancelled, titles = [], [], [], [], [], []
        first_days, last_days = [], []
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
            start_ts, end_ts = start.timestamp(), end.timestamp()
            longest = max(longest, end_ts - start_ts)
            starts.append(start_ts)
            ends.append(end_ts)
            ids.append(occ_id)
            facts.append(event)
            cancelled.append(status == OccurrenceStatus.CANCELLED)
            titles.append(f"{title_fr}\n{title_nl}".lower())
            first_days.append(start.astimezone(zone).toordinal())
            last_days.append((end - second).astimezone(zone).toordinal())
        self._starts, self._ends, self._ids = starts, ends, ids
        # The local days each date covers (as ordinals), for the month grid.
        self._first_days, self._last_days = first_days, last_days
        self._facts, self._cancelled, self._titles = facts, cancelled, titles
        self._longest = longest
        self.size = len(ids)

    # --- selection ------------------------------------------------------------------

    def _positions(
        self, start: datetime.datetime, end: datetime.datetime, filters: Filters
    ) -> list[int]:
        """Positions (in start order) of the occurrences overlapping [start, end).

        Kept with the snapshot (at most MEMO_SIZE selections): a page asks the same
        selection for its count, its rows and, less one facet, each facet's counts, and
        visitors ask the same few selections again."""
        start_ts, end_ts = start.timestamp(), end.timestamp()
        key = (start_ts, end_ts, filters)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = self._select(start_ts, end_ts, filters)
        return found

    def _select(self, start_ts: float, end_ts: float, filters: Filters) -> list[int]:
        first = bisect.bisect_left(self._starts, start_ts - self._longest)
        last = bisect.bisect_left(self._starts, end_ts)
        ends, facts, cancelled, titles = self._ends, self._facts, self._cancelled, self._titles
        test = filters.event_test()
        text = filters.text
        include_cancelled = filters.include_cancelled
        verdicts: dict[int, bool] = {}  # per event (an EventFacts is shared by its dates)
        found = []
        for position in range(first, last):
            if ends[position] <= start_ts:
                continue
            if not include_cancelled and cancelled[position]:
                continue
            event = facts[position]
            verdict = verdicts.get(id(event))
            if verdict is None:
                verdict = verdicts[id(event)] = test(event)
            if not verdict:
                continue
            if text and text not in event.text and text not in titles[position]:
                continue
            found.append(position)
        return found

    def occurrence_ids(self, start, end, *, offset=0, limit=None, **filters) -> list[int]:
        positions = self._positions(start, end, Filters.of(**filters))
        stop = None if limit is None else offset + limit
        return [self._ids[p] for p in positions[offset:stop]]

    def count(self, start, end, **filters) -> int:
        return len(self._positions(start, end, Filters.of(**filters)))

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
            positions = self._positions(start, end, chosen.without(attribute))
            facts = self._facts
            tally: dict[str, int] = {}
            regional = 0
            if attribute == "kinds":
                for position in positions:
                    kind = facts[position].kind
                    tally[kind] = tally.get(kind, 0) + 1
            else:
                for position in positions:
                    event = facts[position]
                    if attribute == "bassins" and event.regional:
                        regional += 1  # a region-wide event counts under every bassin
                        continue
                    for value in getattr(event, attribute):
                        tally[value] = tally.get(value, 0) + 1
            counts[facet] = {value: regional + tally.get(value, 0) for value in values}
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
