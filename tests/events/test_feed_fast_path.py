"""Cached iCal feeds answered by events.middleware.FeedFastPathMiddleware.

The fast path must be invisible: same bytes and headers as the feed view, conditional
GET, invalidation on event change, language/filter variants kept apart, bad filters
still answered 400 by the view. Its only state is the shared cache.
"""

from pathlib import Path

import icalendar
import pytest
from django.test import Client

from events import services

from .factories import body
from .test_pages_feeds import events, with_commit  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

FAST = "events.middleware.FeedFastPathMiddleware"
URLS = [
    "/feeds/nord.ics",
    "/feeds/nord.ics?lang=nl",
    "/feeds/agenda.ics?bassin=nord&bassin=sud&lang=fr",
    "/feeds/agenda.ics?kind=concertation",
]
# Headers that legitimately differ between two requests (none at the moment).
VOLATILE = {"Date"}


def served(client, url, **headers):
    response = client.get(url, **headers)
    return response, body(response) if response.status_code == 200 else b""


def counted_fast_hits(monkeypatch):
    from events import middleware

    hits = []
    real = middleware.cached_feed_response

    def spy(request):
        response = real(request)
        hits.append(response is not None)
        return response

    monkeypatch.setattr(middleware, "cached_feed_response", spy)
    return hits


def test_fast_path_is_in_middleware_right_after_whitenoise(settings):
    index = settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert settings.MIDDLEWARE[index + 1] == FAST


@pytest.mark.parametrize("url", URLS)
def test_same_bytes_and_headers_as_the_view(settings, events, url):  # noqa: F811
    fast_client = Client()
    first, first_body = served(fast_client, url)  # view: validates, renders, fills cache
    assert first.status_code == 200
    second, second_body = served(fast_client, url)  # fast path
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != FAST]
    view, view_body = served(Client(), url)  # no middleware fast path at all
    assert first_body == second_body == view_body
    headers = {k: v for k, v in second.headers.items() if k not in VOLATILE}
    assert headers == {k: v for k, v in view.headers.items() if k not in VOLATILE}
    assert headers == {k: v for k, v in first.headers.items() if k not in VOLATILE}
    # 304s too.
    etag = {"HTTP_IF_NONE_MATCH": view["ETag"]}
    fast_304 = fast_client.get(url, **etag)
    view_304 = Client().get(url, **etag)
    assert fast_304.status_code == view_304.status_code == 304
    assert {k: v for k, v in fast_304.headers.items() if k not in VOLATILE} == {
        k: v for k, v in view_304.headers.items() if k not in VOLATILE
    }


def test_second_request_skips_the_chain(client, events, monkeypatch, django_assert_num_queries):  # noqa: F811
    hits = counted_fast_hits(monkeypatch)
    client.get("/feeds/nord.ics")
    with django_assert_num_queries(0):
        response = client.get("/feeds/nord.ics")
    assert response.status_code == 200
    # First request: miss in the middleware, then the view renders; second: hit.
    assert hits == [False, True]


def test_conditional_get_on_the_fast_path(client, events):  # noqa: F811
    first = client.get("/feeds/nord.ics")
    etag, modified = first["ETag"], first["Last-Modified"]
    for headers in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": modified}):
        response = client.get("/feeds/nord.ics", **headers)
        assert response.status_code == 304
        assert response["ETag"] == etag
        assert not response.content
    assert client.get("/feeds/nord.ics", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_event_change_is_seen_by_the_next_request(client, events):  # noqa: F811
    first = client.get("/feeds/nord.ics")
    etag = first["ETag"]
    client.get("/feeds/nord.ics")  # now served by the fast path
    event = events[0]
    event.title_fr = "Rendez-vous Jette (déplacé)"
    with_commit(lambda: services.save_event(event))
    again = client.get("/feeds/nord.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    content = body(again)
    cal = icalendar.Calendar.from_ical(content)
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    assert int(master["SEQUENCE"]) == 1
    assert "déplacé" in str(master["SUMMARY"])
    # And the new version is itself served by the fast path, unchanged.
    assert body(client.get("/feeds/nord.ics")) == content


def test_language_and_filter_variants_stay_distinct(client, events):  # noqa: F811
    bodies = {}
    for url in URLS:
        client.get(url)
        response = client.get(url)  # fast path
        bodies[url] = (response["ETag"], body(response))
    assert len({etag for etag, _ in bodies.values()}) == len(URLS)
    assert len({content for _, content in bodies.values()}) == len(URLS)
    assert b"X-WR-CALNAME:Maillage \xe2\x80\x93 Agenda" in bodies["/feeds/nord.ics"][1]
    assert bodies["/feeds/nord.ics?lang=nl"][1] != bodies["/feeds/nord.ics"][1]


@pytest.mark.parametrize(
    "url", ["/feeds/agenda.ics?bassin=zz", "/feeds/atlantide.ics", "/feeds/nord.ics?lang=en"]
)
def test_bad_filters_still_400_from_the_view(client, events, url):  # noqa: F811
    for _ in range(2):  # never remembered by the fast path
        response = client.get(url)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")


def test_head_is_answered_like_get_without_a_body(client, events):  # noqa: F811
    for _ in range(2):  # from the view, then from the fast path
        get = client.get("/feeds/nord.ics")
        head = client.head("/feeds/nord.ics")
        assert head.status_code == 200 and head.content == b""
        assert head["Content-Length"] == str(len(body(get)))
        assert head["ETag"] == get["ETag"]
    assert client.post("/feeds/nord.ics").status_code == 405


def test_can_be_disabled(settings, events, monkeypatch):  # noqa: F811
    settings.FEED_FAST_PATH = False
    hits = counted_fast_hits(monkeypatch)
    client = Client()
    client.get("/feeds/nord.ics")
    assert client.get("/feeds/nord.ics").status_code == 200
    assert hits == []


def test_a_change_made_elsewhere_is_seen_at_once(client, events):  # noqa: F811
    """The process's copy of a feed is checked against the shared version: a version
    written to the shared cache by another host (here, directly) is seen by the very
    next request."""
    from django.core.cache import cache

    from events.version import VERSION_KEY

    first = client.get("/feeds/nord.ics")
    client.get("/feeds/nord.ics")
    cache.set(VERSION_KEY, cache.get(VERSION_KEY) + 1)
    again = client.get("/feeds/nord.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_feed_cache_is_bounded_whatever_the_query_strings(client, events, settings):  # noqa: F811
    """At most FEED_CACHE_MAX_NEW_ENTRIES distinct URLs are stored per cache lifetime;
    the others are still answered (rendered), just not kept, and nothing is written
    to disk."""
    from django.core.cache import cache

    from events import serving, version

    settings.FEED_CACHE_MAX_NEW_ENTRIES = 3
    urls = [f"/feeds/nord.ics?x={i}" for i in range(6)]
    keys = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        keys.append(serving.FEED_KEY + serving._url_key(response.wsgi_request))
    stored = [key for key in keys if cache.get(key) is not None]
    assert len(stored) == 3
    # An URL already stored is refreshed after a change, even past the bound.
    version.bump_agenda_version()
    assert client.get(urls[0]).status_code == 200
    assert cache.get(keys[0])[0] == version.feed_version()
    assert not list(Path(settings.VAR_DIR).rglob("*.ics"))


def test_a_served_feed_is_answered_from_the_process_copy(client, events, monkeypatch):  # noqa: F811
    """Once served, a feed costs one small cache read (the version), not its body."""
    from django.core.cache import cache

    from events.serving import FEED_KEY

    first = client.get("/feeds/nord.ics")
    reads = []
    real_get, real_get_many = cache.get, cache.get_many
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k)
    )
    monkeypatch.setattr(
        cache, "get_many", lambda keys, *a, **k: reads.extend(keys) or real_get_many(keys, *a, **k)
    )
    again = client.get("/feeds/nord.ics")
    assert again.content == first.content
    assert not [key for key in reads if key.startswith(FEED_KEY)]


def test_process_copies_are_bounded(client, events, settings):  # noqa: F811
    from events import serving

    settings.FEED_LOCAL_COPIES = 2
    for index in range(5):
        assert client.get(f"/feeds/nord.ics?n={index}").status_code == 200
    assert len(serving._copies) == 2
