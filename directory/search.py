"""Text search columns of a service, for PostgreSQL and for the SQLite fallback.

PostgreSQL (production): ``search_vector`` is a weighted tsvector built in SQL from
the French text with the ``french`` configuration and the Dutch text with the
``dutch`` one, both passed through ``unaccent``. A query is stemmed both ways and
matched with OR, so "dettes" and "schulden" both find the debt hotline.

SQLite (embedded default, tests): ``search_text`` holds every word of both
languages, lower-cased, accent-stripped and cut by a crude suffix stemmer, each
preceded by a space; a query word matches when `` <stem>`` occurs (prefix match, so
"schuld" also finds "schuldbemiddeling"). Good enough for a few hundred entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection

from bassins.models import Bassin

from .models import Service

# Longest first; the stem keeps at least 3 letters. Singular and plural end up equal:
# dette/dettes -> dett, schuld/schulden -> schuld, médiateur/médiateurs -> mediat.
_SUFFIXES = (
    "issements",
    "issement",
    "ements",
    "ement",
    "ations",
    "ation",
    "ateurs",
    "atrices",
    "ateur",
    "atrice",
    "ingen",
    "ing",
    "iteiten",
    "iteit",
    "ites",
    "ite",
    "eurs",
    "euses",
    "euse",
    "eur",
    "ies",
    "aux",
    "en",
    "es",
    "s",
    "e",
    "x",
)
_WORD = re.compile(r"[a-z0-9]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def normalise_words(text: str) -> list[str]:
    """Lower-case, accent-free, stemmed words of ``text`` (one-letter words dropped)."""
    words = _WORD.findall(strip_accents(text or "").lower())
    return [stem(w) for w in words if len(w) > 1]


def normalised_text(*parts: str) -> str:
    words = []
    for part in parts:
        words += normalise_words(part)
    return " " + " ".join(words) + " " if words else ""


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


def fill_search_columns(service) -> None:
    """Set the search columns of ``service`` from itself, its organisation and its terms."""
    service.facet_keys = facet_keys(service) if service.pk else [f"for:{service.for_whom}"]
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
    service.search_title = normalised_text(service.name_fr, service.name_nl)
    service.search_text = normalised_text(
        service.name_fr, service.name_nl, service.search_doc_fr, service.search_doc_nl
    )


VECTOR_SQL = """
UPDATE directory_service SET search_vector =
    setweight(to_tsvector('french', unaccent(coalesce(name_fr, ''))), 'A')
 || setweight(to_tsvector('dutch', unaccent(coalesce(name_nl, ''))), 'A')
 || setweight(to_tsvector('french', unaccent(coalesce(search_doc_fr, ''))), 'B')
 || setweight(to_tsvector('dutch', unaccent(coalesce(search_doc_nl, ''))), 'B')
"""


def refresh_search_vectors(service_ids: Iterable[int] | None = None) -> None:
    """Recompute the tsvector of some services (all when ``service_ids`` is None). PG only."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if service_ids is None:
            cursor.execute(VECTOR_SQL)
        else:
            ids = [i for i in service_ids if i]
            if ids:
                cursor.execute(VECTOR_SQL + " WHERE id = ANY(%s)", [ids])


def index_saved_service(service: Service) -> None:
    """After a save: the facet keys (a new row only now has a pk to read relations
    from) and, on PostgreSQL, the tsvector."""
    keys = facet_keys(service)
    if keys != service.facet_keys:
        service.facet_keys = keys
        Service.objects.filter(pk=service.pk).update(facet_keys=keys)
    refresh_search_vectors([service.pk])


def reindex_services(services) -> None:
    """Refresh every search column of ``services`` (after M2M or organisation changes)."""
    services = list(services)
    for service in services:
        fill_search_columns(service)
    Service.objects.bulk_update(
        services,
        ["search_text", "search_title", "search_doc_fr", "search_doc_nl", "facet_keys"],
        batch_size=500,
    )
    refresh_search_vectors([s.pk for s in services])


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
            fill_search_columns(service)
            service.facet_keys = facet_keys(service, slugs)
        Service.objects.bulk_update(
            services,
            ["search_text", "search_title", "search_doc_fr", "search_doc_nl", "facet_keys"],
        )
    refresh_search_vectors()
    return len(ids)
