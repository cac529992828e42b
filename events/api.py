"""Machine endpoints (no language prefix): iCal feeds, JSON occurrences, RSS/Atom."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_GET

from bassins.models import Bassin

from . import feeds
from .filters import BadFilter, parse_selection, window
from .models import Event, EventStatus
from .queries import absolute_url, upcoming_occurrences

LANGS = ("fr", "nl")


def _lang(request) -> str:
    lang = request.GET.get("lang", "fr") or "fr"
    if lang not in LANGS:
        raise BadFilter(f"lang={lang[:10]!r}: use fr or nl.")
    return lang


def _text_400(message: str) -> HttpResponse:
    return HttpResponse(
        f"Bad request: {message}\n", status=400, content_type="text/plain; charset=utf-8"
    )


def _not_modified(request, etag: str, version: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and since >= int(version / 1e9)


# (version, path, raw query) -> (etag, file) of feeds already validated and rendered by
# this process: a repeated request skips the filter validation and any database query.
_SEEN: dict[tuple, tuple[str, object, str]] = {}


def _language_headers(response, lang: str):
    """Set here, not by LocaleMiddleware, so the fast path (which runs before it) answers
    the same headers; Content-Language is the feed's language, not the visitor's."""
    response["Content-Language"] = lang
    response["Vary"] = "Accept-Language"
    return response


def _not_modified_response(etag: str, lang: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return _language_headers(response, lang)


def _file_response(path, etag: str, version: int, lang: str) -> FileResponse:
    response = FileResponse(path.open("rb"), content_type="text/calendar; charset=utf-8")
    _language_headers(response, lang)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version / 1e9)
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def _seen_key(request, version: int) -> tuple:
    return (version, request.path, tuple(sorted((k, tuple(v)) for k, v in request.GET.lists())))


def seen_feed_response(request, version: int | None = None):
    """The response for a feed this process already validated and rendered, else None.

    Without ``version`` (the fast path, ``events.middleware.FeedFastPathMiddleware``)
    the version comes from ``feeds.memo_feed_version()``: two stat() calls and a dict
    lookup, no cache round trip on most requests. The view passes the version it read.
    """
    version = feeds.memo_feed_version() if version is None else version
    seen = _SEEN.get(_seen_key(request, version))
    if seen is None or not seen[1].exists():
        return None
    etag, path, lang = seen
    if _not_modified(request, etag, version):
        return _not_modified_response(etag, lang)
    return _file_response(path, etag, version, lang)


@require_GET
def ical_feed(request, bassin_slug: str | None = None):
    """``/feeds/agenda.ics`` and ``/feeds/<bassin>.ics``: conditional GET, cached body."""
    version = feeds.feed_version()
    seen_key = _seen_key(request, version)
    response = seen_feed_response(request, version)
    if response is not None:
        return response
    bassin = None
    with translation.override("fr"):
        try:
            lang = _lang(request)
            if bassin_slug:
                bassin = Bassin.objects.filter(slug=bassin_slug).first()  # 1 indexed query
                if bassin is None:
                    raise BadFilter(
                        f"unknown bassin {bassin_slug!r}: "
                        + ", ".join(Bassin.objects.values_list("slug", flat=True))
                    )
            selection, _filterset = parse_selection(request.GET, bassin=bassin)
        except BadFilter as error:
            return _text_400(str(error))
    etag = feeds.feed_etag(selection, lang, version)
    if _not_modified(request, etag, version):
        return _not_modified_response(etag, lang)
    path = feeds.feed_file(selection, lang, version)
    if path is not None:
        if len(_SEEN) > 256:
            _SEEN.clear()
        _SEEN[seen_key] = (etag, path, lang)
        return _file_response(path, etag, version, lang)
    body, _etag, _modified = feeds.cached_feed(selection, lang, version)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    _language_headers(response, lang)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version / 1e9)
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@require_GET
def api_events(request):
    """``/api/events?start=YYYY-MM-DD&end=YYYY-MM-DD`` (+ filters): occurrences as JSON."""
    with translation.override("fr"):
        try:
            lang = _lang(request)
            selection, _filterset = parse_selection(request.GET, require_window=True)
        except BadFilter as error:
            return JsonResponse({"error": str(error)}, status=400)
    start, end = window(selection)
    with translation.override(lang):
        occurrences = upcoming_occurrences(start, end, **selection.query_kwargs())
    return JsonResponse(
        {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "count": len(occurrences),
            "occurrences": [
                {
                    "uid": o.uid,
                    "recurrence_id": o.recurrence_id.astimezone(datetime.UTC).isoformat(),
                    "event_id": o.event_id,
                    "title": o.title,
                    "start": timezone.localtime(o.start).isoformat(),
                    "end": timezone.localtime(o.end).isoformat(),
                    "all_day": o.all_day,
                    "status": o.status,
                    "kind": o.kind_slug,
                    "bassins": list(o.bassin_slugs),
                    "regional": o.is_regional,
                    "venue": {"name": o.venue_name, "address": o.venue_address},
                    "url": o.url,
                }
                for o in occurrences
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


class NewEventsFeed(Feed):
    """RSS 2.0 of the 30 most recently published events (``?lang=nl`` for Dutch)."""

    link = "/fr/agenda/"

    def get_object(self, request, *args, **kwargs):
        lang = request.GET.get("lang", "fr")
        if lang not in LANGS:
            raise Http404("lang must be fr or nl")
        translation.activate(lang)
        return lang

    def title(self, lang):
        with translation.override(lang):
            return "Maillage – " + translation.gettext("Nouveaux événements")

    def description(self, lang):
        with translation.override(lang):
            return translation.gettext("Événements récemment publiés dans l'agenda des bassins")

    def items(self, lang):
        return (
            Event.objects.filter(status=EventStatus.PUBLISHED, published_at__isnull=False)
            .select_related("kind")
            .order_by("-published_at")[:30]
        )

    def item_title(self, item):
        return item.tr("title")

    def item_description(self, item):
        return item.tr("description")

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return f"event-{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.kind.tr("name")]


class NewEventsAtomFeed(NewEventsFeed):
    feed_type = Atom1Feed
    subtitle = NewEventsFeed.description
