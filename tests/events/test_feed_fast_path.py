"""Cached iCal feeds answered by events.middleware.FeedFastPathMiddleware.

The fast path must be invisible: same bytes and headers as the feed view, conditional
GET, invalidation on event change, language/filter variants kept apart, bad filters
still answered 400 by the view.
"""

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
    from events import api

    hits = []
    real = api.seen_feed_response

    def spy(request, version=None):
        response = real(request, version)
        hits.append(response is not None)
        return response

    monkeypatch.setattr(api, "seen_feed_response", spy)
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
    # First request: miss in the middleware, miss then fill in the view; second: hit.
    assert hits == [False, False, True]


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


def test_other_methods_fall_through(client, events):  # noqa: F811
    client.get("/feeds/nord.ics")
    assert client.head("/feeds/nord.ics").status_code == 405  # the view's require_GET
    assert client.post("/feeds/nord.ics").status_code == 405


def test_can_be_disabled(settings, events, monkeypatch):  # noqa: F811
    settings.FEED_FAST_PATH = False
    hits = counted_fast_hits(monkeypatch)
    client = Client()
    client.get("/feeds/nord.ics")
    assert client.get("/feeds/nord.ics").status_code == 200
    assert hits == [False, True]  # the view's own in-process lookup only


def test_version_memo_follows_bumps_without_cache_reads(events, settings):  # noqa: F811
    from events import feeds

    settings.FEED_VERSION_RECHECK_SECONDS = 3600
    first = feeds.memo_feed_version()
    assert first == feeds.feed_version()
    feeds.cache.set(feeds.VERSION_KEY, first + 1)  # as another host would, without stamp
    assert feeds.memo_feed_version() == first  # trusted until the re-check delay
    feeds.bump_feed_version()  # this host (any process): stamp file mtime changes
    assert feeds.memo_feed_version() == feeds.feed_version() != first
    settings.FEED_VERSION_RECHECK_SECONDS = 0
    feeds.cache.set(feeds.VERSION_KEY, 42)
    assert feeds.memo_feed_version() == 42
