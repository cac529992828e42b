"""Dutch URLs in Dutch: /nl/noord/, /nl/sociale-kaart/, /nl/opendeurdagen/, ...

The app prefixes are translated URL patterns (``pgettext_lazy("url", ...)`` in
``maillage.urls``; the Dutch words are in locale/nl) and the Wagtail pages carry
Dutch slugs (``bassins.pages``). Links and bookmarks made before, with the French
words under /nl/ (/nl/nord/, /nl/repertoire/organisation/x/), keep working: a 404
under a language prefix whose first segment is the other language's word answers a
permanent redirect to the same path with the right word.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.utils import translation
from django.utils.translation import pgettext_lazy

from bassins.pages import dutch_page_slugs

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


def localized_path(path: str) -> str | None:
    """``/nl/nord/x/`` -> ``/nl/noord/x/`` (and ``/fr/noord/`` -> ``/fr/nord/``);
    None when the path has no word of the other language to replace."""
    parts = path.split("/")
    if len(parts) < 3 or parts[1] not in dict(settings.LANGUAGES):
        return None
    language, segment = parts[1], parts[2]
    mapping = first_segments("nl")
    if language == "nl":
        replacement = mapping.get(segment)
    else:
        replacement = {dutch: french for french, dutch in mapping.items()}.get(segment)
    if not replacement:
        return None
    parts[2] = replacement
    return "/".join(parts)


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
