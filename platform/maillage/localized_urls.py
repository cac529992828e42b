"""Dutch URLs in Dutch: /nl/noord/, /nl/sociale-kaart/mijn-lijst/, /nl/agenda/maand/, ...

The app prefixes and the paths inside each app are translated URL patterns
(``pgettext_lazy("url", ...)`` in ``maillage.urls`` and the apps' ``urls.py``; the
Dutch words are in the nl catalogues) and the Wagtail pages carry Dutch slugs
(``bassins.pages``). Links and bookmarks made before, with the French words under /nl/
(/nl/nord/, /nl/repertoire/organisation/x/), keep working: a 404 under a language
prefix whose segments are the other language's words answers a permanent redirect to
the same path with the right words.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from bassins.pages import BASSIN_SLUGS_NL, dutch_page_slugs

# The first path segment of each app, in French (the msgid) and, through the
# catalogue, in Dutch.
APP_PREFIXES = {
    "agenda": pgettext_lazy("url", "agenda/"),
    "portes-ouvertes": pgettext_lazy("url", "portes-ouvertes/"),
    "repertoire": pgettext_lazy("url", "repertoire/"),
    "info-prevention": pgettext_lazy("url", "info-prevention/"),
    "trouver-mon-bassin": pgettext_lazy("url", "trouver-mon-bassin/"),
}


def first_segments(language: str) -> dict[str, str]:
    """French first segment -> the segment in ``language`` (apps and standard pages)."""
    with translation.override(language):
        segments = {french: str(prefix).strip("/") for french, prefix in APP_PREFIXES.items()}
    if language == "nl":
        segments |= dutch_page_slugs()
    return {french: local for french, local in segments.items() if local != french}


def _translated_routes(patterns: list[URLPattern | URLResolver]) -> list[Promise]:
    """The lazily translated routes of ``patterns`` and of the URLconfs they include."""
    routes = []
    for pattern in patterns:
        route = getattr(pattern.pattern, "_route", None)
        if isinstance(route, Promise):
            routes.append(route)
        if isinstance(pattern, URLResolver):
            routes += _translated_routes(pattern.url_patterns)
    return routes


def inner_words(language: str) -> dict[str, str]:
    """French word -> the word in ``language``, for the segments of the translated
    routes inside the apps (``mois`` -> ``maand``, ``ma-liste.csv`` -> ``mijn-lijst.csv``)."""
    words = {}
    for route in _translated_routes(get_resolver().url_patterns):
        with translation.override("fr"):
            french = str(route).strip("/").split("/")
        with translation.override(language):
            local = str(route).strip("/").split("/")
        if len(french) != len(local):
            continue
        for source, target in zip(french, local, strict=True):
            if source != target and "<" not in source:
                words.setdefault(source, target)
    return words


def localized_path(path: str) -> str | None:
    """``/nl/nord/x/`` -> ``/nl/noord/x/``, ``/nl/repertoire/ma-liste/`` ->
    ``/nl/sociale-kaart/mijn-lijst/``, ``/nl/agenda/nord-est/`` -> ``/nl/agenda/noordoost/``
    (and ``/fr/noord/`` -> ``/fr/nord/``); None when
    the path has no word of the other language to replace."""
    parts = path.split("/")
    if len(parts) < 3 or parts[1] not in dict(settings.LANGUAGES):
        return None
    first, inner = first_segments("nl"), inner_words("nl") | BASSIN_SLUGS_NL
    if parts[1] != "nl":
        first = {dutch: french for french, dutch in first.items()}
        inner = {dutch: french for french, dutch in inner.items()}
    replaced = [parts[0], parts[1], first.get(parts[2], parts[2])]
    replaced += [inner.get(segment, segment) for segment in parts[3:]]
    if replaced == parts:
        return None
    return "/".join(replaced)


class LocalizedUrlRedirectMiddleware:
    """301 from a URL with the other language's words to the localized URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = localized_path(request.path)
            if target:
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))
        return response
