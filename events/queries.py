"""Reads shared by the agenda pages, the feeds, the JSON API and the newsletter.

The functions below define what each read returns, in SQL. Outside a transaction they
answer from this process's agenda index (``events.agenda_index``), which gives the same
results without SQL; ``sql_*`` are the definitions themselves, which the tests compare
with the index.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from bassins.models import Bassin, Theme
from core.i18n import current_content_language

from .agenda_index import TEXT_FIELDS, current_index
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


def _slugs(values: Iterable | None, model) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, (str, model)):
        values = [values]
    return [v.slug if isinstance(v, model) else str(v) for v in values]


def event_filter(
    *,
    bassins=None,
    kinds=None,
    themes=None,
    audience: str | None = None,
    language: str | None = None,
    text: str | None = None,
    prefix: str = "",
) -> Q:
    """Q over Event (``prefix`` = "event__" when filtering occurrences)."""
    p = prefix
    q = Q(**{f"{p}status": EventStatus.PUBLISHED})
    bassin_slugs = _slugs(bassins, Bassin)
    if bassin_slugs:
        # A bassin's agenda also shows region-wide events (``is_regional``, kept true for
        # events without bassin by the services and the admin hooks).
        through = Event.bassins.through.objects
        in_bassin = through.filter(bassin__slug__in=bassin_slugs).values("event_id")
        q &= Q(**{f"{p}is_regional": True}) | Q(**{f"{p}id__in": in_bassin})
    kind_slugs = _slugs(kinds, EventKind)
    if kind_slugs:
        q &= Q(**{f"{p}kind__slug__in": kind_slugs})
    theme_slugs = _slugs(themes, Theme)
    if theme_slugs:
        themed = Event.themes.through.objects.filter(theme__slug__in=theme_slugs)
        q &= Q(**{f"{p}id__in": themed.values("event_id")})
    if audience:
        if audience == Audience.EVERYONE:
            q &= Q(**{f"{p}audience": Audience.EVERYONE})
        else:
            q &= Q(**{f"{p}audience__in": [audience, Audience.EVERYONE]})
    if language:
        q &= Q(**{f"{p}languages__code": language})
    if text:
        text_q = Q()
        for field in TEXT_FIELDS:
            text_q |= Q(**{f"{p}{field}__icontains": text})
        if prefix:
            text_q |= Q(title_fr__icontains=text) | Q(title_nl__icontains=text)
        q &= text_q
    return q


def upcoming_occurrences(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    bassins=None,
    kinds=None,
    themes=None,
    audience: str | None = None,
    language: str | None = None,
    text: str | None = None,
    include_cancelled: bool = True,
    offset: int = 0,
    limit: int | None = None,
) -> list[OccurrenceView]:
    """Every occurrence of a published event overlapping [start, end), in start order.

    THE one expansion read: agenda pages, feeds' consistency, API and newsletter use it.
    Two queries whatever the number of events (occurrences + the bassins of their events).
    Titles are in the active language; ``language`` filters on languages *spoken*.
    """
    filters = {
        "bassins": bassins,
        "kinds": kinds,
        "themes": themes,
        "audience": audience,
        "language": language,
        "text": text,
        "include_cancelled": include_cancelled,
    }
    index = current_index()
    lang = current_content_language()
    if index is not None:
        ids = index.occurrence_ids(start, end, offset=offset, limit=limit, **filters)
        return index.views(ids, lang)
    return sql_upcoming_occurrences(start, end, offset=offset, limit=limit, **filters)


def sql_upcoming_occurrences(start, end, *, offset=0, limit=None, **filters):
    """``upcoming_occurrences`` in SQL: two queries whatever the number of events."""
    qs = _occurrence_queryset(start, end, **filters)
    qs = (
        qs.select_related("event", "event__kind")
        .prefetch_related(Prefetch("event__bassins", queryset=Bassin.objects.only("id", "slug")))
        .order_by("start", "event_id", "pk")
    )
    if limit is not None:
        qs = qs[offset : offset + limit]
    elif offset:
        qs = qs[offset:]
    lang = current_content_language()
    views = []
    for occ in qs:
        views.append(occurrence_view(occ, lang))
    return views


@dataclass(frozen=True)
class DayOccurrences:
    """One day of the month grid: how many dates it has and the first few of them."""

    count: int
    shown: list[OccurrenceView]

    @property
    def more(self) -> int:
        return self.count - len(self.shown)


def occurrences_by_day(
    start: datetime.datetime, end: datetime.datetime, *, shown_per_day: int, **filters
) -> dict[datetime.date, DayOccurrences]:
    """The dates of ``upcoming_occurrences`` (same filters, ``start``/``end`` local
    midnights) per local day: a date lasting several days counts on each of its days
    within the window. Only the first ``shown_per_day`` of each day are built as views,
    so a month of a thousand dates costs a hundred views, not a thousand."""
    index = current_index()
    if index is not None:
        days = index.days(start, end, shown_per_day, **filters)
        wanted = [pk for _count, ids in days.values() for pk in ids]
        views = {v.occurrence_id: v for v in index.views(wanted, current_content_language())}
        return {
            day: DayOccurrences(count, [views[pk] for pk in ids if pk in views])
            for day, (count, ids) in days.items()
        }
    zone = timezone.get_default_timezone()
    last_day = (end - datetime.timedelta(seconds=1)).astimezone(zone).date()
    by_day: dict[datetime.date, list[OccurrenceView]] = {}
    for occ in sql_upcoming_occurrences(start, end, **filters):
        first = max(occ.start, start).astimezone(zone).date()
        last = min((occ.end - datetime.timedelta(seconds=1)).astimezone(zone).date(), last_day)
        day = first
        while day <= max(first, last):
            by_day.setdefault(day, []).append(occ)
            day += datetime.timedelta(days=1)
    return {day: DayOccurrences(len(views), views[:shown_per_day]) for day, views in by_day.items()}


def _occurrence_queryset(start, end, *, include_cancelled=True, **filters):
    q = event_filter(prefix="event__", **filters)
    q &= Q(start__lt=end, end__gt=start)
    if not include_cancelled:
        q &= ~Q(status=OccurrenceStatus.CANCELLED)
    return Occurrence.objects.filter(q)


def count_occurrences(start: datetime.datetime, end: datetime.datetime, **filters) -> int:
    """How many occurrences ``upcoming_occurrences`` would return."""
    index = current_index()
    if index is not None:
        return index.count(start, end, **filters)
    return _occurrence_queryset(start, end, **filters).count()


# Filter keyword of ``upcoming_occurrences`` for each facet of the agenda's filter bar.
FACET_FILTERS = {"bassin": "bassins", "kind": "kinds", "theme": "themes"}


def facet_counts(
    start: datetime.datetime,
    end: datetime.datetime,
    facets: dict[str, list[str]],
    **filters,
) -> dict[str, dict[str, int]]:
    """For each facet (``{"kind": [slugs...]}``) and each of its values, how many
    occurrences the page would list if that value alone were ticked in the facet, the
    other filters unchanged: what a checkbox's count promises. One query per facet.

    Each count uses ``event_filter`` itself (a bassin's count includes region-wide
    events, as its agenda does), as a filtered aggregate over the window's occurrences.
    """
    index = current_index()
    if index is not None:
        return index.facet_counts(start, end, facets, **filters)
    return sql_facet_counts(start, end, facets, **filters)


def sql_facet_counts(start, end, facets, **filters) -> dict[str, dict[str, int]]:
    """``facet_counts`` in SQL: one query per facet."""
    counts = {}
    for facet, values in facets.items():
        keyword = FACET_FILTERS[facet]
        others = {name: value for name, value in filters.items() if name != keyword}
        if not values:
            counts[facet] = {}
            continue
        aggregates = {
            f"n{index}": Count(
                "pk", filter=event_filter(prefix="event__", **others, **{keyword: [value]})
            )
            for index, value in enumerate(values)
        }
        row = _occurrence_queryset(start, end, **others).aggregate(**aggregates)
        counts[facet] = {value: row[f"n{index}"] for index, value in enumerate(values)}
    return counts


class OccurrencePages:
    """A lazy sequence for Django's Paginator: one COUNT, then one page of views."""

    def __init__(self, start: datetime.datetime, end: datetime.datetime, **filters):
        self.start, self.end, self.filters = start, end, filters

    def count(self) -> int:
        return count_occurrences(self.start, self.end, **self.filters)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        offset = index.start or 0
        limit = None if index.stop is None else index.stop - offset
        return upcoming_occurrences(
            self.start, self.end, offset=offset, limit=limit, **self.filters
        )


def published_events(ids: Iterable[int]) -> list[Event]:
    """The published events among ``ids``, for other apps that show an event as a card
    (links in the exchange space)."""
    return list(Event.objects.filter(event_filter(), pk__in=list(ids)).order_by("pk"))
