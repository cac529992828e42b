"""Text search of services: the same words and the same matches on every database.

Words are accent-free, lower-cased, the French text stemmed with Snowball's French
stemmer and the Dutch text with its Dutch one, stop words dropped (PostgreSQL's own
lists, ``stopwords.py``), computed in Python with the ``snowballstemmer`` package (the
Snowball algorithms PostgreSQL uses; ``dutch_porter`` is the Dutch stemmer of
PostgreSQL 15). ``search_text`` (everything) and ``search_title`` (the names) hold the
stems, each preceded by a space, so a stem is found with ``LIKE`` in SQL
(``directory.queries``, the definition) and by a posting list in each process's index
(``directory.search_index``, which answers the pages). On PostgreSQL,
``search_names`` (the names, not stemmed) also carries a trigram index for names typed
with a typo.

A query is cut into *concepts* (``query_concepts``): a word, or an expression of a
synonym group (``SynonymGroup``, edited in Wagtail) that stands for every term of its
group. A service matches when it matches any concept (OR) and ranks by how many it
matches, with a bonus when the match is in its name (``queries._text_filter``). A
stem of five letters or more also matches as a prefix ("verblijf" finds
"verblijfsvergunning"), on both backends.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.core.cache import cache
from django.db import connection, transaction

from bassins.models import Bassin

from . import stopwords
from .models import Service, SynonymGroup
from .version import bump_directory_version

_WORD = re.compile(r"[a-z0-9]+")
# A stem this long also matches longer words (prefix); a shorter one only itself, so
# "det" (dettes) does not find "detenus".
PREFIX_MIN_LENGTH = 5
MAX_QUERY_WORDS = 12
SYNONYMS_CACHE_KEY = "directory:synonym-groups:v1"
_stemmers = threading.local()  # Snowball stemmer objects keep state: one per thread


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_words(text: str, keep_letters: bool = False) -> list[str]:
    """Lower-case, accent-free words of ``text``, not stemmed; one-letter words dropped
    unless ``keep_letters`` (the "d" of "d'action", which holds a position in a phrase)."""
    words = _WORD.findall(strip_accents(text or "").lower())
    return words if keep_letters else [w for w in words if len(w) > 1]


def _stemmer(language: str):
    stemmer = getattr(_stemmers, language, None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer("french" if language == "fr" else "dutch_porter")
        setattr(_stemmers, language, stemmer)
    return stemmer


@lru_cache(maxsize=100_000)
def raw_stem(word: str, language: str) -> str:
    """The Snowball stem of an accent-free, lower-case ``word`` in ``language`` (fr/nl)."""
    return _stemmer(language).stemWord(word)


def stem(word: str, language: str) -> str | None:
    """``raw_stem``, or None for a stop word of that language."""
    stops = stopwords.FRENCH if language == "fr" else stopwords.DUTCH
    if word in stops:
        return None
    return raw_stem(word, language)


def stemmed_text(french: Iterable[str], dutch: Iterable[str]) -> str:
    """`` stem stem ... `` of French texts stemmed in French and Dutch texts in Dutch."""
    stems = []
    for language, parts in (("fr", french), ("nl", dutch)):
        for part in parts:
            for word in normalise_words(part):
                found = stem(word, language)
                if found:
                    stems.append(found)
    return " " + " ".join(stems) + " " if stems else ""


# --- Queries: concepts and synonyms ------------------------------------------------------


# The normalised words of a term, one-letter words kept: ("centre", "public", "d",
# "action", "sociale"). Matching and the SQLite search skip the one-letter words.
Term = tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    """One idea of a query: a typed word, or a synonym group one of whose terms was
    typed. ``alternatives`` are the terms that satisfy it (any one; a term of several
    words is a phrase: its words in that order)."""

    typed: str
    alternatives: tuple[Term, ...]

    def language_words(self, term: Term, language: str) -> list[str]:
        """The words of ``term`` that count in ``language`` (its stop words left out)."""
        return [w for w in term if len(w) > 1 and stem(w, language)]

    def stem_patterns(self) -> list[tuple[str, bool]]:
        """What finds this concept in a stem column: for each term, in French and in
        Dutch, its stems joined by spaces and whether they must stand whole (``exact``:
        a phrase's stems side by side, or a stem too short to match as a prefix) or
        may start a longer word. Read by the SQL definition and by the index alike."""
        patterns = []
        for term in self.alternatives:
            for language in LANGUAGES:
                words = self.language_words(term, language)
                if words:
                    stems = " ".join(raw_stem(w, language) for w in words)
                    patterns.append((stems, is_phrase(term) or not is_prefix(words[0], language)))
        return patterns

    @property
    def searchable(self) -> bool:
        return any(self.language_words(t, lang) for t in self.alternatives for lang in LANGUAGES)


LANGUAGES = ("fr", "nl")


def is_prefix(word: str, language: str) -> bool:
    return len(raw_stem(word, language)) >= PREFIX_MIN_LENGTH


def _same_word(a: str, b: str) -> bool:
    """Same word for synonym matching: equal stems in French or in Dutch (dette/dettes)."""
    return a == b or any(raw_stem(a, lang) == raw_stem(b, lang) for lang in LANGUAGES)


def is_phrase(term: Term) -> bool:
    return sum(len(w) > 1 for w in term) > 1


def _starts_with(words: list[str], start: int, term: Term) -> bool:
    key = [w for w in term if len(w) > 1]
    window = words[start : start + len(key)]
    return bool(key) and len(window) == len(key) and all(map(_same_word, window, key))


def synonym_groups() -> list[tuple[Term, ...]]:
    """Every synonym group as its terms' words; cached until a group is saved or deleted."""
    groups = cache.get(SYNONYMS_CACHE_KEY)
    if groups is None:
        groups = []
        for group in SynonymGroup.objects.all():
            terms = tuple(
                t
                for t in (tuple(normalise_words(x, keep_letters=True)) for x in group.terms())
                if t
            )
            if len(terms) > 1:
                groups.append(terms)
        cache.set(SYNONYMS_CACHE_KEY, groups, timeout=None)
    return groups


def forget_synonyms() -> None:
    """Drop the cached groups now and again at commit (a search running meanwhile in
    another process may have cached the old ones)."""
    cache.delete(SYNONYMS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SYNONYMS_CACHE_KEY))


def query_concepts(text: str, groups: Sequence[tuple[Term, ...]] = ()) -> list[Concept]:
    """The concepts of a query, in order. At each word the longest synonym term that
    starts there wins ("sans papiers" before "papiers"); a word in no group is a
    concept of its own. Concepts made only of stop words are dropped."""
    words = normalise_words(text)[: MAX_QUERY_WORDS * 2]
    concepts: list[Concept] = []
    seen: set = set()
    i = 0
    while i < len(words) and len(concepts) < MAX_QUERY_WORDS:
        best: tuple[int, tuple[Term, ...]] | None = None  # (words, the group's terms)
        for terms in groups:
            for term in terms:
                n = sum(len(w) > 1 for w in term)
                if (best is None or n > best[0]) and _starts_with(words, i, term):
                    best = (n, terms)
        if best is None:
            concept = Concept(words[i], ((words[i],),))
            i += 1
        else:
            concept = Concept(" ".join(words[i : i + best[0]]), best[1])
            i += best[0]
        if concept.searchable and concept.alternatives not in seen:
            seen.add(concept.alternatives)
            concepts.append(concept)
    return concepts


def facet_keys(service, bassin_slugs: list[str] | None = None) -> list[str]:
    """The facet values of a saved service (uses prefetched relations when present)."""
    keys = [f"for:{service.for_whom}"]
    if service.is_help_line:
        keys.append("line:yes")
    if service.area_whole_region:
        keys.append("area:region")
        if bassin_slugs is None:
            bassin_slugs = list(Bassin.objects.values_list("slug", flat=True))
        keys += [f"bassin:{slug}" for slug in bassin_slugs]
    else:
        keys += [f"bassin:{b.slug}" for b in service.area_bassins.all()]
    keys += [f"commune:{c.slug}" for c in service.area_communes.all()]
    keys += [f"theme:{t.slug}" for t in service.themes.all()]
    keys += [f"public:{p.slug}" for p in service.publics.all()]
    keys += [f"language:{lang.code}" for lang in service.languages.all()]
    keys += [f"modality:{m.slug}" for m in service.modalities.all()]
    return sorted(set(keys))


def fill_search_columns(service, bassin_slugs: list[str] | None = None) -> None:
    """Set the search columns of ``service`` from itself, its organisation and its terms."""
    service.facet_keys = (
        facet_keys(service, bassin_slugs) if service.pk else [f"for:{service.for_whom}"]
    )
    organisation = service.organisation
    themes = list(service.themes.all()) if service.pk else []
    publics = list(service.publics.all()) if service.pk else []
    doc_fr = [
        organisation.name_fr,
        organisation.alternate_name,
        service.description_fr,
        organisation.description_fr,
        *[t.name_fr for t in themes],
        *[p.name_fr for p in publics],
    ]
    doc_nl = [
        organisation.name_nl,
        service.description_nl,
        organisation.description_nl,
        *[t.name_nl for t in themes],
        *[p.name_nl for p in publics],
    ]
    service.search_doc_fr = "\n".join(x for x in doc_fr if x)
    service.search_doc_nl = "\n".join(x for x in doc_nl if x)
    service.search_title = stemmed_text([service.name_fr], [service.name_nl])
    service.search_text = stemmed_text(
        [service.name_fr, service.search_doc_fr], [service.name_nl, service.search_doc_nl]
    )
    names = [
        service.name_fr,
        service.name_nl,
        organisation.name_fr,
        organisation.name_nl,
        organisation.alternate_name,
    ]
    service.search_names = " ".join(dict.fromkeys(w for n in names for w in normalise_words(n)))


SEARCH_COLUMNS = [
    "search_text",
    "search_title",
    "search_doc_fr",
    "search_doc_nl",
    "search_names",
    "facet_keys",
]


def index_saved_service(service: Service) -> None:
    """After a save: the facet keys (a new row only now has a pk to read relations
    from)."""
    keys = facet_keys(service)
    if keys != service.facet_keys:
        service.facet_keys = keys
        Service.objects.filter(pk=service.pk).update(facet_keys=keys)
    bump_directory_version()


def _write_search_columns(services) -> None:
    """One parameterised UPDATE per row, sent as a batch (psycopg pipelines it): much
    cheaper than ``bulk_update``'s CASE expressions on thousands of rows."""
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    columns = ", ".join(f"{c} = %s" for c in SEARCH_COLUMNS[:-1]) + f", facet_keys = %s{cast}"
    rows = []
    for service in services:
        values = [getattr(service, c) for c in SEARCH_COLUMNS]
        values[-1] = json.dumps(values[-1])  # facet_keys
        rows.append([*values, service.pk])
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE directory_service SET {columns} WHERE id = %s", rows)


def reindex_services(services) -> None:
    """Refresh every search column of ``services`` (after M2M or organisation changes)."""
    services = list(services)
    for service in services:
        fill_search_columns(service)
    _write_search_columns(services)
    bump_directory_version()


def rebuild_search_index(chunk: int = 1000) -> int:
    """Recompute every search column of every service (after bulk imports). Returns the count."""
    slugs = list(Bassin.objects.values_list("slug", flat=True))
    queryset = Service.objects.select_related("organisation").prefetch_related(
        "themes", "publics", "languages", "modalities", "area_bassins", "area_communes"
    )
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        services = list(queryset.filter(pk__in=ids[start : start + chunk]))
        for service in services:
            fill_search_columns(service, slugs)
        _write_search_columns(services)
    bump_directory_version()
    return len(ids)
