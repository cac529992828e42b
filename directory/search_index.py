"""Each process's index of the listed services: what the directory search filters, counts
and orders, without SQL.

Why not SQL: a search with facets is one filtered, ranked and sorted query plus one that
counts every facet value over the matches; a common word ("dettes", with its synonyms)
matches a third of a regional directory, and both queries then cost ~200 ms of a 2-core
machine at 15,000 services: far from the 50 ms at 10 concurrent clients a professional
needs while typing. The directory is small (a few MB of facts) and changes a few times
a day, so each process keeps an immutable snapshot of the facts the search reads, valid
for one directory version (``core.snapshots``), and answers with bit sets: one bit per
service, a Python ``int`` per word, facet value and state, so a facet count is an AND
and a ``bit_count``.

``directory.queries`` stays the definition: its SQL answers whenever the snapshot may
not be used (``settings.DIRECTORY_INDEX`` off, or inside a transaction), and
``tests/directory/test_search_index.py`` compares both on random searches. The only SQL
a search still makes here is pg_trgm's typo tolerance on names (PostgreSQL), one query
per typed word, kept with the snapshot.

Bit ``i`` is the ``i``-th listed service in French name order (``lower(name_fr), id``,
as the database sorts), so a set read from its lowest bit up is already sorted by name.
"""

from __future__ import annotations

import bisect
import datetime
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models.functions import Lower

from core.bitsets import bits_of, positions_of, union
from core.snapshots import ProcessSnapshot

from .maps import PLACE_COLUMNS, place_rows
from .models import Availability, ScheduleException, ScheduleSlot, Service, availability_cutoff
from .search import Concept
from .version import DIRECTORY_VERSION

# Keys of the counts besides the facet values ("theme:dettes", "for:both", ...).
TOTAL = "__total"
OPEN_NOW = "__open_now"
ACCEPTING = "__accepting"
FACETS = ("bassin", "commune", "theme", "public", "language", "modality")

# Relevance is multiplied by this factor: a service that said within 60 days that it
# takes new people ranks above an equally good match that did not say, a full one below;
# an older answer counts as unknown (1). Shared with the SQL definition.
AVAILABILITY_BOOST = {
    Availability.ACCEPTING: 1.3,
    Availability.WAITING_LIST: 1.1,
    Availability.NOT_ACCEPTING: 0.9,
}
NAME_BONUS = 0.5  # a concept found in the service's name counts half again
MEMO_SIZE = 512
# Result cards (services with what a card shows) kept per snapshot: the ones people
# see again and again, page one of the common searches.
ROWS_KEPT = 3000
# Response bodies kept per snapshot (map GeoJSON: up to ~3 MB each), in all.
BODIES_KEPT_BYTES = 24 * 1024 * 1024
# Posting lists at least this long are kept as bit sets; shorter ones as positions
# (a bit set costs its highest position / 8 bytes, whatever its length).
DENSE_POSTING = 48


def kept_part(row, key: tuple, build: Callable[[], object]):
    """What ``build`` makes of ``row`` alone (a card's HTML, its API facts), made once per
    directory version when the row is one the index keeps (``DirectoryIndex.rows`` gives
    it ``kept_parts``, shared by its copies), made every time for any other row."""
    kept = getattr(row, "kept_parts", None)
    if kept is None:
        return build()
    if key not in kept:
        kept[key] = build()
    return kept[key]


def _shallow_copy(row):
    """A copy of a model instance sharing its loaded relations (read-only), whose own
    attributes a request may set; much cheaper than ``copy.copy`` (pickling protocol)."""
    clone = object.__new__(type(row))
    clone.__dict__.update(row.__dict__)
    return clone


@dataclass
class IndexedSearch:
    """A search answered by the index: the service ids in order and the counts (the keys
    of ``directory.queries.facet_counts``)."""

    ids: list[int]
    counts: dict[str, int]


class DirectoryIndex:
    """An immutable snapshot of the listed services for one directory version."""

    def __init__(self, version: int):
        self.version = version
        self._memo: OrderedDict[tuple, int] = OrderedDict()
        self._rows: OrderedDict[int, object] = OrderedDict()
        self._bodies: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()  # the memo and the rows are shared by threads
        self._load()

    # --- building ---------------------------------------------------------------------

    def _load(self) -> None:
        listed = Service.objects.listed()
        order_fr = list(listed.order_by(Lower("name_fr"), "pk").values_list("pk", flat=True))
        order_nl = list(listed.order_by(Lower("name_nl"), "pk").values_list("pk", flat=True))
        self.ids = order_fr
        self.size = size = len(order_fr)
        self.position = {pk: i for i, pk in enumerate(order_fr)}
        self.name_rank = {"fr": list(range(size)), "nl": [0] * size}
        for rank, pk in enumerate(order_nl):
            self.name_rank["nl"][self.position[pk]] = rank
        self.all = (1 << size) - 1

        self.latitude: list[float | None] = [None] * size
        self.longitude: list[float | None] = [None] * size
        self.last_verified: list[int] = [0] * size
        self.availability: list[tuple[str, datetime.date | None]] = [("", None)] * size
        text_postings: dict[str, list[int]] = {}
        title_postings: dict[str, list[int]] = {}
        facet_postings: dict[str, list[int]] = {}
        keeps_holiday_hours: list[int] = []
        rows = listed.values_list(
            "pk",
            "search_text",
            "search_title",
            "facet_keys",
            "location__map_latitude",
            "location__map_longitude",
            "last_verified",
            "availability",
            "availability_date",
            "open_on_public_holidays",
        ).iterator(chunk_size=2000)  # streamed: the long texts are not all held at once
        for pk, text, title, keys, lat, lon, verified, state, state_date, holiday in rows:
            i = self.position.get(pk)
            if i is None:  # listed since the order was read: the next version has it
                continue
            self.latitude[i], self.longitude[i] = lat, lon
            self.last_verified[i] = verified.toordinal()
            self.availability[i] = (state, state_date)
            for stem in set(text.split()):
                text_postings.setdefault(stem, []).append(i)
            for stem in set(title.split()):
                title_postings.setdefault(stem, []).append(i)
            for key in keys or ():
                facet_postings.setdefault(key, []).append(i)
            if holiday:
                keeps_holiday_hours.append(i)
        self.text_postings = {s: self._posting(p) for s, p in text_postings.items()}
        self.title_postings = {s: self._posting(p) for s, p in title_postings.items()}
        self.vocabulary = sorted(text_postings)
        self.title_vocabulary = sorted(title_postings)
        self.facets = {k: bits_of(p, size) for k, p in facet_postings.items()}
        self.keeps_holiday_hours = bits_of(keeps_holiday_hours, size)

        self.slots: dict[int, list[tuple[datetime.time, datetime.time, int]]] = {}
        for service_id, weekday, opens, closes in ScheduleSlot.objects.values_list(
            "service_id", "weekday", "opens_at", "closes_at"
        ):
            if service_id in self.position:
                self.slots.setdefault(weekday, []).append(
                    (opens, closes, self.position[service_id])
                )
        # The map's columns (``maps.PLACE_COLUMNS``) of the services with a map point.
        self.place_row: dict[int, tuple] = {}
        shared: dict[str, str] = {}  # one copy of each repeated text (communes, names)
        places = place_rows(listed).values_list("pk", *PLACE_COLUMNS).iterator(chunk_size=2000)
        for pk, *columns in places:
            if pk in self.position:
                row = tuple(
                    shared.setdefault(value, value) if isinstance(value, str) else value
                    for value in columns
                )
                self.place_row[self.position[pk]] = row
        self.slot_boundaries = {
            weekday: sorted({t for opens, closes, _ in slots for t in (opens, closes)})
            for weekday, slots in self.slots.items()
        }
        self.closures = [
            (start, end, self.position[service_id])
            for service_id, start, end in ScheduleException.objects.values_list(
                "service_id", "start", "end"
            )
            if service_id in self.position
        ]

    def _posting(self, positions: list[int]) -> int | tuple[int, ...]:
        if len(positions) >= DENSE_POSTING:
            return bits_of(positions, self.size)
        return tuple(positions)

    def _bits(self, posting) -> int:
        if posting is None:
            return 0
        if isinstance(posting, int):
            return posting
        bits = 0
        for p in posting:
            bits |= 1 << p
        return bits

    def _memoised(self, key: tuple, compute):
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    def place_rows(self, ids: list[int]) -> list[tuple]:
        """``maps.place_rows`` of the services ``ids`` (those with a map point)."""
        position, place_row = self.position, self.place_row
        found = (place_row.get(position.get(pk, -1)) for pk in ids)
        return [row for row in found if row is not None]

    def kept_body(self, key: tuple, render: Callable[[], bytes]) -> bytes:
        """A response body for this version, rendered once under ``key`` and kept (the
        most recent ones, ``BODIES_KEPT_BYTES`` in all)."""
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
                return body
        body = render()
        with self._lock:
            self._bodies[key] = body
            while sum(map(len, self._bodies.values())) > BODIES_KEPT_BYTES and self._bodies:
                self._bodies.popitem(last=False)
        return body

    def rows(self, ids: list[int], fetch: Callable[[list[int]], Iterable]) -> dict[int, object]:
        """The rows ``ids`` by id, each read once per snapshot by ``fetch(missing ids)``
        and kept (the ``ROWS_KEPT`` last used); the caller gets shallow copies of its
        own, to decorate for its request."""
        with self._lock:
            missing = [pk for pk in ids if pk not in self._rows]
        fetched = {row.pk: row for row in fetch(missing)} if missing else {}
        for row in fetched.values():
            # What renders from the row alone (a card's head and body), kept with it
            # and shared by its copies (``directory_tags.kept_card_part``).
            row.kept_parts = {}
        found = {}
        with self._lock:
            self._rows.update(fetched)
            for pk in ids:
                row = self._rows.get(pk)
                if row is not None:
                    self._rows.move_to_end(pk)
                    found[pk] = _shallow_copy(row)
            while len(self._rows) > ROWS_KEPT:
                self._rows.popitem(last=False)
        return found

    # --- text -------------------------------------------------------------------------

    def _stems_bits(self, stems: str, exact: bool, title: bool) -> int:
        """Services whose stemmed text (or name) holds `` stems`` (a prefix) or
        `` stems `` (``exact``): ``directory.queries._sqlite_concept_q``'s test."""
        postings = self.title_postings if title else self.text_postings
        words = stems.split()
        if len(words) == 1 and exact:
            return self._bits(postings.get(words[0]))
        if len(words) == 1:
            vocabulary = self.title_vocabulary if title else self.vocabulary
            bits = 0
            start = bisect.bisect_left(vocabulary, words[0])
            for word in vocabulary[start:]:
                if not word.startswith(words[0]):
                    break
                bits |= self._bits(postings[word])
            return bits
        # A phrase: every word there, then the words side by side in the text.
        candidates = self.all
        for word in words:
            candidates &= self._bits(postings.get(word))
            if not candidates:
                return 0
        # The texts are not kept (17 MB at 15,000 services): the few candidates are read
        # once per phrase and version (the caller memoises), with the SQL's own test.
        column = "search_title" if title else "search_text"
        ids = [self.ids[i] for i in positions_of(candidates)]
        found = Service.objects.filter(pk__in=ids, **{f"{column}__contains": f" {stems} "})
        return bits_of((self.position[pk] for pk in found.values_list("pk", flat=True)), self.size)

    def concept_bits(self, concept: Concept, title: bool = False) -> int:
        """Services matching ``concept`` (any of its terms, French or Dutch stems) in
        their text, or in their name when ``title``."""

        def compute() -> int:
            bits = 0
            for stems, exact in concept.stem_patterns():
                bits |= self._stems_bits(stems, exact, title)
            return bits

        return self._memoised(("concept", concept.alternatives, title), compute)

    def typo_bits(self, word: str) -> int:
        """Services whose names hold ``word`` give or take a typo (pg_trgm, PostgreSQL)."""

        def compute() -> int:
            with connection.cursor() as cursor:
                cursor.execute("SELECT id FROM directory_service WHERE %s <%% search_names", [word])
                found = (self.position.get(pk) for (pk,) in cursor.fetchall())
                return bits_of((i for i in found if i is not None), self.size)

        return self._memoised(("typo", word), compute)

    # --- states that depend on the day or the instant ----------------------------------

    def open_bits(self, local_now: datetime.datetime, holiday: bool) -> int:
        """Services with a weekly slot covering this instant, not closed today, and on a
        public holiday only those keeping their hours (``queries.open_now_q``)."""
        moment, today, weekday = local_now.time(), local_now.date(), local_now.weekday()
        slots = self.slots.get(weekday, ())
        # The services open are the same all along the interval between two consecutive
        # opening or closing times of that weekday: computed once per interval.
        boundaries = self.slot_boundaries.get(weekday, ())
        interval = bisect.bisect_right(boundaries, moment)
        bits = self._memoised(
            ("open", weekday, interval),
            lambda: bits_of((i for o, c, i in slots if o <= moment < c), self.size),
        )
        closed = self.closed_bits(today)
        bits &= ~closed
        if holiday:
            bits &= self.keeps_holiday_hours
        return bits

    def closed_bits(self, day: datetime.date) -> int:
        return self._memoised(
            ("closed", day),
            lambda: bits_of((i for s, e, i in self.closures if s <= day <= e), self.size),
        )

    def boost_classes(self, today: datetime.date) -> dict[float, int]:
        """The services by availability factor on ``today`` (``AVAILABILITY_BOOST``)."""
        key = ("boost", today)
        cutoff = availability_cutoff(today)
        classes = {}
        for state, boost in AVAILABILITY_BOOST.items():
            classes[boost] = self._memoised(
                (*key, state),
                lambda state=state: bits_of(
                    (
                        i
                        for i, (value, date) in enumerate(self.availability)
                        if value == state and date is not None and date >= cutoff
                    ),
                    self.size,
                ),
            )
        rest = self.all
        for bits in classes.values():
            rest &= ~bits
        classes[1.0] = classes.get(1.0, 0) | rest
        return classes

    # --- the search -------------------------------------------------------------------

    def search(
        self,
        criteria,
        concepts: list[Concept],
        typo_words: list[str],
        language: str,
        local_now: datetime.datetime,
        holiday: bool,
    ) -> IndexedSearch:
        """``directory.queries.search_services`` (``criteria`` a ``queries.Criteria``):
        ``typo_words[i]`` is the word of ``concepts[i]`` matched with a typo, or ""."""
        found = self.all
        matched, in_name = [], []
        if concepts:
            any_concept = 0
            for concept, typo in zip(concepts, typo_words, strict=True):
                bits = self.concept_bits(concept)
                if typo:
                    bits |= self.typo_bits(typo)
                matched.append(bits)
                in_name.append(self.concept_bits(concept, title=True))
                any_concept |= bits
            found &= any_concept
        for name in FACETS:
            values = getattr(criteria, name)
            if values:
                found &= union(self.facets, (f"{name}:{value}" for value in values))
        if criteria.professionals:
            found &= self.facets.get("for:professionals", 0) | self.facets.get("for:both", 0)
        if criteria.help_lines:
            found &= self.facets.get("line:yes", 0)
        open_now = self.open_bits(local_now, holiday)
        if criteria.open_now:
            found &= open_now
        boosts = self.boost_classes(local_now.date())
        accepting = boosts[AVAILABILITY_BOOST[Availability.ACCEPTING]]
        if criteria.accepting:
            found &= accepting

        counts = {key: n for key, bits in self.facets.items() if (n := (found & bits).bit_count())}
        counts[TOTAL] = found.bit_count()
        counts[OPEN_NOW] = (found & open_now).bit_count()
        counts[ACCEPTING] = (found & accepting).bit_count()
        ordered = self._order(found, criteria, matched, in_name, language, boosts)
        return IndexedSearch(ordered, counts)

    def _order(self, found, criteria, matched, in_name, language, boosts) -> list[int]:
        """``directory.queries._order`` over the set ``found``: its service ids in order."""
        ranks = self.name_rank["nl" if language == "nl" else "fr"]
        origin = criteria.origin
        sort = criteria.sort or ("relevance" if criteria.q.strip() else "name")
        if origin is not None and criteria.sort in ("", "distance"):
            positions = self._by_distance(found, origin, language)
        elif sort == "relevance":
            positions = []
            for _score, bits in sorted(self._scores(found, matched, in_name, boosts), reverse=True):
                positions += self._by_name(positions_of(bits), ranks, language)
        elif sort == "fresh":
            verified = self.last_verified
            positions = sorted(positions_of(found), key=lambda i: (-verified[i], ranks[i]))
        else:
            positions = self._by_name(positions_of(found), ranks, language)
        ids = self.ids
        return [ids[i] for i in positions]

    @staticmethod
    def _by_name(positions: list[int], ranks: list[int], language: str) -> list[int]:
        return positions if language != "nl" else sorted(positions, key=ranks.__getitem__)

    def _scores(self, found, matched, in_name, boosts) -> list[tuple[float, int]]:
        """``found`` split by relevance score (concepts matched, plus the name bonus,
        times the availability factor of ``boosts``), as (score, bits), scores distinct."""
        classes = {0.0: found}
        for bits, name_bits in zip(matched, in_name, strict=True):
            split: dict[float, int] = {}
            for score, members in classes.items():
                for add, part in (
                    (1.0 + NAME_BONUS, members & bits & name_bits),
                    (1.0, members & bits & ~name_bits),
                    (NAME_BONUS, members & name_bits & ~bits),
                    (0.0, members & ~bits & ~name_bits),
                ):
                    if part:
                        split[score + add] = split.get(score + add, 0) | part
            classes = split
        scored: dict[float, int] = {}
        for score, members in classes.items():
            for boost, boosted in boosts.items():
                part = members & boosted
                if part:
                    value = score * boost
                    scored[value] = scored.get(value, 0) | part
        return list(scored.items())

    def _by_distance(self, found: int, origin, language: str) -> list[int]:
        """By squared equirectangular distance (``geo.distance_order_expression``), the
        places without a map point last, then by name. From a commune's point (a postal
        code: 19 of them) every service's order is computed once and kept, and the
        members of ``found`` read in it; from a person's position, sorted each time."""
        if not origin.approximate:
            return self._distance_order(origin, language, positions_of(found))
        order = self._memoised(
            ("distance", origin.latitude, origin.longitude, language),
            lambda: self._distance_order(origin, language, range(self.size)),
        )
        members = set(positions_of(found))
        return [i for i in order if i in members]

    def _distance_order(self, origin, language: str, positions: Iterable[int]) -> list[int]:
        ranks = self.name_rank["nl" if language == "nl" else "fr"]
        k = math.cos(math.radians(origin.latitude))
        lat0, lon0 = origin.latitude, origin.longitude
        latitude, longitude = self.latitude, self.longitude

        def key(i: int):
            if latitude[i] is None:
                return (1, 0.0, ranks[i])
            d_lat = latitude[i] - lat0
            d_lon = (longitude[i] - lon0) * k
            return (0, d_lat * d_lat + d_lon * d_lon, ranks[i])

        return sorted(positions, key=key)


_snapshot = ProcessSnapshot(
    DIRECTORY_VERSION, DirectoryIndex, enabled=lambda: settings.DIRECTORY_INDEX
)


def current_index() -> DirectoryIndex | None:
    """This process's index for the current directory version, or None where the SQL
    reads must answer (index off, or inside a transaction)."""
    return _snapshot.get()


def forget() -> None:
    _snapshot.forget()
