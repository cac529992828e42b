"""Reads shared by the directory pages, the JSON API and the exports.

``search_services(criteria, language, now)`` is the one search: free text (the
stemmed, accent-free columns of ``directory.search``, French and Dutch, synonyms
expanded; on PostgreSQL also the names give or take a typo), facet filters (OR inside
a facet, AND across facets), "open now" from the weekly slots in Europe/Brussels,
sorting, and the count of every facet value over the results. The SQL here is the
definition; each process's index (``directory.search_index``) answers the same
without it whenever it may, and a request costs a fixed number of queries either way.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.functional import cached_property

from bassins.models import Bassin, Commune, Language, PostalCode, Theme
from core.i18n import CONTENT_LANGUAGES, current_content_language

from .geo import Point, commune_point, distance_order_expression, haversine_km
from .models import (
    Availability,
    Contact,
    ContactModality,
    FaqEntry,
    ForWhom,
    Organisation,
    Phone,
    ScheduleException,
    ScheduleSlot,
    Service,
    TargetPublic,
    availability_cutoff,
    verification_cutoff,
)
from .search import (
    SEARCH_COLUMNS,
    Concept,
    query_concepts,
    synonym_groups,
)
from .search_index import (
    ACCEPTING,
    AVAILABILITY_BOOST,
    FACETS,
    NAME_BONUS,
    OPEN_NOW,
    TOTAL,
    DirectoryIndex,
    current_index,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
MAX_QUERY_LENGTH = 200
SORTS = ("relevance", "name", "fresh", "distance")


def brussels_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()).astimezone(BRUSSELS)


@functools.lru_cache(maxsize=32)
def _belgian_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("BE", years=year, language=language)


def public_holiday(day: datetime.date, language: str = "fr") -> str:
    """The name of the Belgian public holiday on ``day`` ("Noël", "Kerstmis"), or "".

    The ten legal public holidays (``holidays`` package, Belgium), plus Easter and
    Whit Sunday, which fall on a Sunday anyway."""
    return _belgian_holidays(day.year, "nl" if language == "nl" else "fr").get(day) or ""


def open_now_q(now: datetime.datetime | None = None) -> Q:
    """Services with a weekly slot covering this instant (Brussels wall clock), not closed
    today (closure period; on a Belgian public holiday, unless the service keeps its
    hours then)."""
    local = brussels_now(now)
    slot = ScheduleSlot.objects.filter(
        service=OuterRef("pk"),
        weekday=local.weekday(),
        opens_at__lte=local.time(),
        closes_at__gt=local.time(),
    )
    closed = ScheduleException.objects.filter(
        service=OuterRef("pk"), start__lte=local.date(), end__gte=local.date()
    )
    condition = Q(Exists(slot)) & ~Q(Exists(closed))
    if public_holiday(local.date()):
        condition &= Q(open_on_public_holidays=True)
    return condition


def closure_on(service: Service, day: datetime.date):
    """The closure period of ``service`` covering ``day`` (prefetched rows), or None."""
    return next((c for c in service.closures.all() if c.start <= day <= c.end), None)


def next_closure(service: Service, day: datetime.date, within_days: int = 30):
    """The closure covering ``day`` or starting within ``within_days`` (prefetched rows)."""
    horizon = day + datetime.timedelta(days=within_days)
    return next((c for c in service.closures.all() if c.end >= day and c.start <= horizon), None)


def accepting_q(today: datetime.date | None = None) -> Q:
    """Services that said, within the last 60 days, that they take new people."""
    return Q(availability=Availability.ACCEPTING, availability_date__gte=availability_cutoff(today))


def is_open(service: Service, now: datetime.datetime | None = None) -> bool | None:
    """Open at ``now``? ``None`` when the service publishes no hours. Uses prefetched rows.

    Closed during its closure periods and on Belgian public holidays (unless
    ``open_on_public_holidays``), whatever its weekly hours say."""
    slots = list(service.schedule.all())
    if not slots:
        return None
    local = brussels_now(now)
    today = local.date()
    if closure_on(service, today) is not None:
        return False
    if public_holiday(today) and not service.open_on_public_holidays:
        return False
    return any(
        s.weekday == local.weekday() and s.opens_at <= local.time() < s.closes_at for s in slots
    )


@dataclass
class Criteria:
    """What a search asks for; built from the validated filter form."""

    q: str = ""
    bassin: list[str] = field(default_factory=list)
    commune: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    professionals: bool = False
    open_now: bool = False
    help_lines: bool = False
    accepting: bool = False
    sort: str = ""
    # "Near": a postal code, or a position (lat, lon) the browser gave.
    near: str = ""
    lat: float | None = None
    lon: float | None = None

    @cached_property
    def origin(self) -> Point | None:
        """Where distances are measured from: the position, else the postal code's point."""
        if self.lat is not None and self.lon is not None:
            return Point(self.lat, self.lon)
        if self.near:
            return postal_code_point(self.near)
        return None

    @classmethod
    def from_cleaned(cls, data: dict) -> Criteria:
        values = {}
        for name in cls.__dataclass_fields__:
            value = data.get(name)
            if value in (None, ""):
                continue
            values[name] = value
        return cls(**values)


def typo_word(concept: Concept) -> str:
    """The word matched against the names with a typo allowed (pg_trgm, PostgreSQL only):
    a single typed word of five letters or more."""
    if connection.vendor != "postgresql":
        return ""
    return concept.typed if " " not in concept.typed and len(concept.typed) >= 5 else ""


def _concept_q(concept: Concept, column: str) -> Q:
    """The concept found in ``column`` (`` stem stem `` text): any term, in French stems or
    in Dutch stems; a word as a prefix when its stem is long enough, a phrase as its
    stems side by side (stop words are not in the column)."""
    found = Q()
    for stems, exact in concept.stem_patterns():
        found |= Q(**{f"{column}__contains": f" {stems}{' ' if exact else ''}"})
    return found


def _text_filter(queryset: QuerySet, concepts: list[Concept]) -> QuerySet:
    """Filter and rank by free text: any concept found (in the stemmed text, or on
    PostgreSQL in the names give or take a typo), ranked by how many, plus
    ``NAME_BONUS`` for each found in the name; adds ``rank``. The queryset unchanged
    (rank 0) when no word is searchable."""
    condition = Q()
    rank = Value(0.0, output_field=FloatField())
    for concept in concepts:
        matched = _concept_q(concept, "search_text")
        typo = typo_word(concept)
        if typo:
            matched |= Q(RawSQL("%s <%% search_names", [typo], output_field=BooleanField()))
        condition |= matched
        rank = rank + Case(When(matched, then=Value(1.0)), default=Value(0.0))
        rank = rank + Case(
            When(_concept_q(concept, "search_title"), then=Value(NAME_BONUS)),
            default=Value(0.0),
        )
    return queryset.filter(condition).annotate(rank=ExpressionWrapper(rank, FloatField()))


def _ids(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values("pk")


def _filter_through_relations(queryset: QuerySet, criteria: Criteria) -> QuerySet:
    if criteria.bassin:
        queryset = queryset.filter(
            Q(area_whole_region=True)
            | Q(pk__in=_ids(Service.objects.filter(area_bassins__slug__in=criteria.bassin)))
        )
    if criteria.commune:
        queryset = queryset.filter(
            pk__in=_ids(Service.objects.filter(area_communes__slug__in=criteria.commune))
        )
    for name, lookup in (
        ("theme", "themes__slug__in"),
        ("public", "publics__slug__in"),
        ("language", "languages__code__in"),
        ("modality", "modalities__slug__in"),
    ):
        values = getattr(criteria, name)
        if values:
            queryset = queryset.filter(pk__in=_ids(Service.objects.filter(**{lookup: values})))
    return queryset


def apply_filters(
    queryset: QuerySet, criteria: Criteria, now: datetime.datetime | None = None
) -> QuerySet:
    """Every criterion except the text and the sort.

    On PostgreSQL the facet filters test the denormalised ``facet_keys`` (jsonb
    containment, GIN index), the very values the facet counts group on; on SQLite they
    go through the many-to-many tables.
    """
    if connection.vendor == "postgresql":
        for name in FACETS:
            values = getattr(criteria, name)
            if values:
                condition = Q()
                for value in values:
                    condition |= Q(facet_keys__contains=[f"{name}:{value}"])
                queryset = queryset.filter(condition)
    else:
        queryset = _filter_through_relations(queryset, criteria)
    if criteria.professionals:
        queryset = queryset.filter(for_whom__in=[ForWhom.PROFESSIONALS, ForWhom.BOTH])
    if criteria.help_lines:
        queryset = queryset.filter(is_help_line=True)
    if criteria.open_now:
        queryset = queryset.filter(open_now_q(now))
    if criteria.accepting:
        queryset = queryset.filter(accepting_q(brussels_now(now).date()))
    return queryset


def postal_code_point(code: str) -> Point | None:
    """The reference point of the commune of a Brussels postal code (for a code shared by
    two communes, the one its locality is named after), flagged approximate."""
    rows = sorted(
        PostalCode.objects.filter(code=code, communes__isnull=False).values_list(
            "name_fr", "communes__name_fr", "communes__slug"
        ),
        key=lambda row: row[1],
    )
    named = [slug for locality, name, slug in rows if name.split("-")[0] == locality.split("-")[0]]
    chosen = (named or [slug for _, _, slug in rows] or [None])[0]
    return commune_point(chosen)


def distance_km(service: Service, origin: Point | None) -> float | None:
    """Great-circle km from ``origin`` to the service's place (uses the joined location)."""
    location = service.location if service.location_id else None
    if origin is None or location is None or location.map_latitude is None:
        return None
    return haversine_km(
        origin.latitude, origin.longitude, location.map_latitude, location.map_longitude
    )


def availability_boost(today: datetime.date | None = None) -> Case:
    """The factor relevance is multiplied by: a service that said within 60 days that it
    takes new people ranks above an equally good match that did not say, one that is
    full below; an older answer counts as unknown (1)."""
    fresh = Q(availability_date__gte=availability_cutoff(today))
    return Case(
        *[
            When(fresh & Q(availability=value), then=Value(boost))
            for value, boost in AVAILABILITY_BOOST.items()
        ],
        default=Value(1.0),
        output_field=FloatField(),
    )


def _order(
    queryset: QuerySet, criteria: Criteria, language: str, today: datetime.date | None = None
) -> QuerySet:
    name = Lower(f"name_{language}") if language == "nl" else Lower("name_fr")
    origin = criteria.origin
    sort = criteria.sort or ("relevance" if criteria.q.strip() else "name")
    if origin is not None and (criteria.sort in ("", "distance")):
        # Places without a map point (help lines, no address) come last.
        distance = distance_order_expression(
            origin, "location__map_latitude", "location__map_longitude"
        )
        return queryset.annotate(distance2=distance).order_by(
            F("distance2").asc(nulls_last=True), name, "pk"
        )
    if sort == "relevance":
        boosted = ExpressionWrapper(F("rank") * availability_boost(today), FloatField())
        return queryset.order_by(boosted.desc(), name, "pk")
    if sort == "fresh":
        return queryset.order_by("-last_verified", name, "pk")
    return queryset.order_by(name, "pk")


# The text search columns are long and never shown: a card does not read them (it
# reads ``facet_keys``, for its pictogram).
UNSHOWN_COLUMNS = (
    *(c for c in SEARCH_COLUMNS if c != "facet_keys"),
    "organisation__description_fr",
    "organisation__description_nl",
)


def service_display_queryset(queryset: QuerySet) -> QuerySet:
    """What a result card shows, in a fixed number of queries."""
    cards = queryset.select_related("organisation", "location__commune").defer(*UNSHOWN_COLUMNS)
    return cards.prefetch_related(
        Prefetch("phones", queryset=Phone.objects.prefetch_related("languages")),
        "languages",
        "modalities",
        "schedule",
        "closures",
        "area_bassins",
    )


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool


class ServicesInOrder(Sequence):
    """Services by id in a given order, read a slice at a time with what a card shows
    (``service_display_queryset``), through the index's kept rows: what the pages of an
    indexed search show."""

    READ_AT_ONCE = 1000

    def __init__(self, ids: list[int], index: DirectoryIndex):
        self.ids = ids
        self.index = index

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        """Every result, in order (the exports): read straight, not through the kept
        cards, which keep what people look at."""
        for start in range(0, len(self.ids), self.READ_AT_ONCE):
            chunk = self.ids[start : start + self.READ_AT_ONCE]
            by_id = {service.pk: service for service in _display_rows(chunk)}
            yield from (by_id[pk] for pk in chunk if pk in by_id)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        chunk = self.ids[index]
        by_id = self.index.rows(chunk, _display_rows)
        # A service deleted since the index was built is left out (the next version
        # drops it).
        return [by_id[pk] for pk in chunk if pk in by_id]


def _display_rows(ids: list[int]) -> QuerySet:
    return service_display_queryset(Service.objects.filter(pk__in=ids))


@dataclass
class SearchResult:
    """``queryset``: the results in SQL, ordered (the definition; built on first use,
    which an indexed search's pages never make). ``ids``: the ordered ids when the
    index answered, else None."""

    build_queryset: Callable[[], QuerySet]
    facets: dict[str, list[FacetValue]]
    counts: dict[str, int]
    ids: list[int] | None = None
    index: DirectoryIndex | None = None

    @cached_property
    def queryset(self) -> QuerySet:
        return self.build_queryset()

    def rows(self) -> Sequence[Service]:
        """The results in order, to page through, with what a card shows."""
        if self.ids is None:
            return service_display_queryset(self.queryset)
        return ServicesInOrder(self.ids, self.index)

    def matches(self) -> QuerySet:
        """The results as an unordered queryset, for reads of their own (the map)."""
        if self.ids is None:
            return self.queryset.order_by()
        return Service.objects.filter(pk__in=self.ids)

    def first(self, limit: int, *related: str) -> list[Service]:
        """The first ``limit`` results in order, with the ``related`` rows joined."""
        if self.ids is None:
            return list(self.queryset.select_related(*related)[:limit])
        chunk = self.ids[:limit]
        by_id = Service.objects.select_related(*related).in_bulk(chunk)
        return [by_id[pk] for pk in chunk if pk in by_id]

    def count(self) -> int:
        return self.queryset.count() if self.ids is None else len(self.ids)


def open_now_count(queryset: QuerySet, now: datetime.datetime | None = None) -> int:
    """How many of ``queryset`` are open at ``now``; driven by the (few) slots open now."""
    local = brussels_now(now)
    open_slots = ScheduleSlot.objects.filter(
        weekday=local.weekday(), opens_at__lte=local.time(), closes_at__gt=local.time()
    ).values("service_id")
    closed = ScheduleException.objects.filter(
        start__lte=local.date(), end__gte=local.date()
    ).values("service_id")
    queryset = queryset.order_by()
    if public_holiday(local.date()):
        queryset = queryset.filter(open_on_public_holidays=True)
    return queryset.filter(pk__in=open_slots).exclude(pk__in=closed).values("pk").count()


def _facet_key_counts(queryset: QuerySet, now: datetime.datetime | None = None) -> dict[str, int]:
    """``{"theme:dettes": 3, "bassin:nord": 12, ..., TOTAL: 40, OPEN_NOW: 5, ACCEPTING: 2}``
    over the rows of ``queryset``, in one query: the matching ids are computed once (a
    materialised CTE), then grouped by facet key, counted, counted among the services
    open at ``now`` (driven by the few slots open at that instant, public holidays as in
    ``open_now_count``) and among those taking new people (``accepting_q``)."""
    if queryset.query.where:
        sub, params = _ids(queryset).query.sql_with_params()
    else:
        sub, params = 'SELECT id AS "pk" FROM directory_service', ()
    local = brussels_now(now)
    open_slots = ScheduleSlot.objects.filter(
        weekday=local.weekday(), opens_at__lte=local.time(), closes_at__gt=local.time()
    ).values("service_id")
    closed = ScheduleException.objects.filter(
        start__lte=local.date(), end__gte=local.date()
    ).values("service_id")
    open_now = Service.objects.filter(pk__in=open_slots).exclude(pk__in=closed)
    if public_holiday(local.date()):
        open_now = open_now.filter(open_on_public_holidays=True)
    open_sql, open_params = open_now.order_by().values("pk").query.sql_with_params()
    accepting = Service.objects.filter(accepting_q(local.date())).order_by().values("pk")
    accepting_sql, accepting_params = accepting.query.sql_with_params()
    if connection.vendor == "postgresql":
        keys = (
            "SELECT k, COUNT(*) FROM directory_service s JOIN ids ON s.id = ids.pk "
            "CROSS JOIN LATERAL jsonb_array_elements_text(s.facet_keys) AS k GROUP BY k"
        )
    else:
        keys = (
            "SELECT j.value, COUNT(*) FROM directory_service s JOIN ids ON s.id = ids.pk, "
            "json_each(s.facet_keys) j GROUP BY j.value"
        )
    sql = (
        f"WITH ids AS MATERIALIZED ({sub}) {keys} "
        f"UNION ALL SELECT '{TOTAL}', COUNT(*) FROM ids "
        f"UNION ALL SELECT '{OPEN_NOW}', COUNT(*) FROM ids WHERE pk IN ({open_sql}) "
        f"UNION ALL SELECT '{ACCEPTING}', COUNT(*) FROM ids WHERE pk IN ({accepting_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *open_params, *accepting_params))
        return {key: count for key, count in cursor.fetchall()}


FACET_LABEL_MODELS = {
    "bassin": (Bassin, "slug"),
    "commune": (Commune, "slug"),
    "theme": (Theme, "slug"),
    "public": (TargetPublic, "slug"),
    "language": (Language, "code"),
    "modality": (ContactModality, "slug"),
}
LABELS_CACHE_KEY = "directory:facet-labels:v1"


def facet_labels() -> dict[str, list[tuple[str, str, str]]]:
    """Every value of every facet as ``(key, French label, Dutch label)``, in each
    table's order. Reference data: cached until one of the tables changes
    (``signals.facet_labels_changed``)."""
    labels = cache.get(LABELS_CACHE_KEY)
    if labels is None:
        labels = {}
        for name, (model, key_attr) in FACET_LABEL_MODELS.items():
            rows = list(model.objects.all())
            by_language = {}
            for language in CONTENT_LANGUAGES:
                with translation.override(language):
                    by_language[language] = [str(row) for row in rows]
            labels[name] = [
                (getattr(row, key_attr), by_language["fr"][i], by_language["nl"][i])
                for i, row in enumerate(rows)
            ]
        cache.set(LABELS_CACHE_KEY, labels, timeout=None)
    return labels


def forget_facet_labels() -> None:
    cache.delete(LABELS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(LABELS_CACHE_KEY))


def facet_counts(
    queryset: QuerySet, criteria: Criteria, now: datetime.datetime | None = None
) -> tuple[dict[str, list[FacetValue]], dict[str, int]]:
    """Counts of each facet value within ``queryset`` (the filtered results).

    One query for every facet, the total and "open now" (``_facet_key_counts``); the
    labels come from the cache (``facet_labels``).
    """
    return facets_of(_facet_key_counts(queryset, now), criteria)


def facets_of(
    counts: dict[str, int], criteria: Criteria
) -> tuple[dict[str, list[FacetValue]], dict[str, int]]:
    """The facets and aggregates shown from the counts of every facet key."""
    language = current_content_language()
    facets = {}
    for name, rows in facet_labels().items():
        selected = getattr(criteria, name)
        values = []
        for key, label_fr, label_nl in rows:
            n = counts.get(f"{name}:{key}", 0)
            if n or key in selected:
                label = label_nl if language == "nl" else label_fr
                values.append(FacetValue(key, label, n, key in selected))
        if name == "theme":
            values.sort(key=lambda v: (-v.count, v.label))
        facets[name] = values
    aggregates = {"open_now": counts.get(OPEN_NOW, 0), "accepting": counts.get(ACCEPTING, 0)}
    aggregates["professionals"] = counts.get("for:professionals", 0) + counts.get("for:both", 0)
    aggregates["help_lines"] = counts.get("line:yes", 0)
    aggregates["whole_region"] = counts.get("area:region", 0)
    aggregates["total"] = counts.get(TOTAL, 0)
    return facets, aggregates


def search_services(
    criteria: Criteria,
    language: str = "fr",
    now: datetime.datetime | None = None,
    with_facets: bool = True,
) -> SearchResult:
    """The search: from this process's index when it may answer (``search_index``),
    else in SQL (the definition: ``queryset`` is always the SQL, built lazily)."""
    text = criteria.q[:MAX_QUERY_LENGTH].strip()
    concepts = query_concepts(text, synonym_groups()) if text else []
    local = brussels_now(now)

    def filtered() -> QuerySet:
        return apply_filters(_text_filter(Service.objects.listed(), concepts), criteria, now)

    def ordered() -> QuerySet:
        return _order(filtered(), criteria, language, local.date())

    index = current_index()
    if index is not None:
        found = index.search(
            criteria,
            concepts,
            [typo_word(c) for c in concepts],
            language,
            local,
            holiday=bool(public_holiday(local.date())),
        )
        facets, counts = facets_of(found.counts, criteria) if with_facets else ({}, {})
        return SearchResult(ordered, facets, counts, ids=found.ids, index=index)
    queryset = filtered()
    facets, counts = facet_counts(queryset, criteria, now) if with_facets else ({}, {})
    ordered_queryset = _order(queryset, criteria, language, local.date())
    return SearchResult(lambda: ordered_queryset, facets, counts)


def organisation_detail(slug: str) -> Organisation:
    """One organisation with everything its page shows, in a fixed number of queries."""
    services = service_display_queryset(Service.objects.listed()).prefetch_related(
        "themes",
        "publics",
        "area_communes",
        Prefetch("faq", queryset=FaqEntry.objects.all()),
    )
    return (
        Organisation.objects.prefetch_related(
            Prefetch("services", queryset=services),
            "locations__commune",
            "locations__bassin",
            Prefetch("contacts", queryset=_public_contacts()),
        )
        .filter(slug=slug)
        .get()
    )


def services_of_organisations(slugs: Iterable[str]) -> list[Service]:
    """The services of the organisations ``slugs`` with their organisation, in one
    query, for other apps that show them as cards (links in the exchange space)."""
    return list(
        Service.objects.listed()
        .filter(organisation__slug__in=list(slugs))
        .select_related("organisation")
        .order_by("organisation__slug", "pk")
    )


def _public_contacts():
    return Contact.objects.filter(consent_public=True)


def stale_organisations(today: datetime.date | None = None) -> QuerySet:
    return Organisation.objects.filter(last_verified__lt=verification_cutoff(today))


def organisations_to_follow_up(
    organisations: QuerySet, today: datetime.date | None = None
) -> QuerySet:
    """Of ``organisations``, those nobody keeps current (no maintainer) or overdue for
    verification, the oldest verification first; annotated with ``maintainer_count``
    and ``overdue``."""
    cutoff = verification_cutoff(today)
    return (
        organisations.annotate(maintainer_count=Count("maintainers", distinct=True))
        .filter(Q(maintainer_count=0) | Q(last_verified__lt=cutoff))
        .annotate(
            overdue=Case(
                When(last_verified__lt=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("last_verified", "name_fr", "pk")
    )
