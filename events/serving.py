"""How the agenda's iCal feeds and pages are cached and served.

Everything is kept in the Django cache (Redis in production, shared by every process
and every host), nothing in local files, so several web processes or hosts answer the
same thing; each process also keeps a few feed bodies it served, used only while their
version is the shared one (``FEED_LOCAL_COPIES``):

* **the agenda version**: a token (a time in ns) replaced by every change of an event,
  kind, occurrence or their bassin/theme links (``bump_agenda_version``, connected to
  the model signals and to ``events.models.agenda_changed`` in ``events.signals``);
* **rendered feeds**: one entry per requested URL (path + sorted query string) holding
  the version it was rendered for, its language and its bytes. A request reads the
  version and its URL's entry in one cache round trip and is answered from the entry
  when the versions agree; otherwise the query string is validated (400 on bad input),
  the feed rendered (``events.feeds.render_feed``) and the entry replaced;
* **conditional GET**: the ETag hashes the version and the URL and Last-Modified is the
  version's time, so 304s need no rendering and no database;
* **bound**: at most ``FEED_CACHE_MAX_NEW_ENTRIES`` new feed entries are stored per
  ``FEED_CACHE_SECONDS`` (a counter in the cache, shared by hosts) and each expires after
  ``FEED_CACHE_SECONDS``, so at most twice that number exist at once whatever query
  strings clients invent; past the bound a feed is rendered and answered unstored;
* **agenda pages** for anonymous visitors (``cached_agenda_page``), keyed on the version.

``serve_feed`` answers ``/feeds/<bassin>.ics`` and ``/feeds/agenda.ics``;
``cached_feed_response`` is its cache-only half, which ``events.middleware`` calls before
the rest of the middleware chain.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date_safe

from bassins.models import Bassin
from core.params import BadParameter, language_param

from .feeds import render_feed
from .filters import BadFilter, parse_selection
from .version import VERSION_KEY, feed_version, new_era

FEED_KEY = "events:feed-url:"
NEW_ENTRIES_KEY = "events:feed-new-entries:"
PAGE_KEY = "events:page:"
FEED_CONTENT_TYPE = "text/calendar; charset=utf-8"


# --- feeds --------------------------------------------------------------------------


def _url_key(request) -> str:
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    raw = request.path + "?" + "&".join(f"{k}={v}" for k, v in query)
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def feed_etag(version: int, url_key: str) -> str:
    return '"' + hashlib.sha256(f"{version}:{url_key}".encode()).hexdigest()[:32] + '"'


def _not_modified(request, etag: str, version: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        return if_none_match.strip() == "*" or etag in [t.strip() for t in if_none_match.split(",")]
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and since >= int(version / 1e9)


def _headers(response, etag: str, version: int, lang: str):
    # Content-Language is the feed's language, not the visitor's: set here rather than by
    # LocaleMiddleware, which the middleware's early answer skips.
    response["Content-Language"] = lang
    response["Vary"] = "Accept-Language"
    response["ETag"] = etag
    if response.status_code == 200:
        response["Last-Modified"] = http_date(version / 1e9)
        response["Cache-Control"] = "public, max-age=300"
        response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def _answer(request, body: bytes, etag: str, version: int, lang: str) -> HttpResponse:
    if _not_modified(request, etag, version):
        return _headers(HttpResponseNotModified(), etag, version, lang)
    return _headers(HttpResponse(body, content_type=FEED_CONTENT_TYPE), etag, version, lang)


# Each process keeps its last FEED_LOCAL_COPIES feed bodies, so a cached answer costs
# one small read of the shared version instead of fetching the ~1 MB body from Redis on
# every request (five times the cost of serving the same bytes as a static file). A copy
# is used only while its version is the shared version: every process still answers the
# same, and a change anywhere makes every copy stale at once.
_copies: OrderedDict[str, tuple] = OrderedDict()
_copies_lock = threading.Lock()


def _keep_copy(url_key: str, entry: tuple) -> None:
    if settings.FEED_LOCAL_COPIES <= 0:
        return
    with _copies_lock:
        _copies[url_key] = entry
        _copies.move_to_end(url_key)
        while len(_copies) > settings.FEED_LOCAL_COPIES:
            _copies.popitem(last=False)


def _version_and_entry(url_key: str) -> tuple[int, tuple | None]:
    copy = _copies.get(url_key)
    if copy is not None:
        version = cache.get(VERSION_KEY)
        if version is None:
            return new_era(), None
        if copy[0] == version:
            return version, copy
        entry = cache.get(FEED_KEY + url_key)
    else:
        found = cache.get_many([VERSION_KEY, FEED_KEY + url_key])
        version = found.get(VERSION_KEY)
        if version is None:
            return new_era(), None
        entry = found.get(FEED_KEY + url_key)
    if entry is not None and entry[0] == version:
        _keep_copy(url_key, entry)
    return version, entry


def cached_feed_response(request) -> HttpResponse | None:
    """The answer from the cache alone (one round trip), or None when it must be built."""
    url_key = _url_key(request)
    version, entry = _version_and_entry(url_key)
    if entry is None or entry[0] != version:
        return None
    _version, lang, body = entry
    return _answer(request, body, feed_etag(version, url_key), version, lang)


def _may_store_new_entry() -> bool:
    window = int(time.time() // max(settings.FEED_CACHE_SECONDS, 1))
    key = f"{NEW_ENTRIES_KEY}{window}"
    cache.add(key, 0, timeout=settings.FEED_CACHE_SECONDS * 2)
    try:
        return cache.incr(key) <= settings.FEED_CACHE_MAX_NEW_ENTRIES
    except ValueError:  # the counter expired in between: a new window starts
        return True


def _store(url_key: str, version: int, lang: str, body: bytes, existed: bool) -> None:
    if settings.FEED_CACHE_SECONDS <= 0:
        return
    if existed or _may_store_new_entry():
        cache.set(FEED_KEY + url_key, (version, lang, body), timeout=settings.FEED_CACHE_SECONDS)
        _keep_copy(url_key, (version, lang, body))


def _feed_selection(request, bassin_slug: str | None):
    with translation.override("fr"):
        lang = language_param(request.GET)
        bassin = None
        if bassin_slug:
            bassin = Bassin.objects.filter(slug=bassin_slug).first()
            if bassin is None:
                raise BadFilter(
                    f"unknown bassin {bassin_slug!r}: "
                    + ", ".join(Bassin.objects.values_list("slug", flat=True))
                )
        selection, _filterset = parse_selection(request.GET, bassin=bassin)
    return lang, selection


def serve_feed(request, bassin_slug: str | None = None) -> HttpResponse:
    """``/feeds/agenda.ics`` and ``/feeds/<bassin>.ics``: cached body, conditional GET."""
    url_key = _url_key(request)
    version, entry = _version_and_entry(url_key)
    etag = feed_etag(version, url_key)
    if entry is not None and entry[0] == version:
        return _answer(request, entry[2], etag, version, entry[1])
    try:
        lang, selection = _feed_selection(request, bassin_slug)
    except BadParameter as error:
        return HttpResponse(
            f"Bad request: {error}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    if _not_modified(request, etag, version):
        return _headers(HttpResponseNotModified(), etag, version, lang)
    with translation.override(lang):
        body = render_feed(selection, lang)
    _store(url_key, version, lang, body, existed=entry is not None)
    return _answer(request, body, etag, version, lang)


# --- agenda pages -------------------------------------------------------------------


def cached_agenda_page(view):
    """Cache agenda pages for anonymous visitors until the agenda changes.

    The key holds the agenda version, the language, today's date (default windows
    start today) and the full path with its query string. Logged-in editors (Wagtail
    user bar), visitors with pending messages and error pages are not cached.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.user.is_authenticated
            or request.method != "GET"
            or ("messages" in request.COOKIES)
        ):
            return view(request, *args, **kwargs)
        version = feed_version()
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"{PAGE_KEY}{version}:{translation.get_language()}:{timezone.localdate()}:{path}"
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(cached, content_type="text/html; charset=utf-8")
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.content, timeout=settings.FEED_CACHE_SECONDS)
        return response

    return wrapper
