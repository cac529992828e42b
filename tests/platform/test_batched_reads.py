"""core.batched_reads: the reference lists most pages read come in one cache round trip."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation

from bassins.context_processors import NAV_BASSINS_KEY
from bassins.lookup import OPTIONS_CACHE_KEY
from bassins.queries import LANGUAGE_CHOICES_KEY
from core.batched_reads import cached_read, forget
from events.filters import CHOICES_KEYS, facet_choices


@pytest.fixture
def in_a_request(db):
    """Between request_started and request_finished, as Django's handler sends them
    (without closing the test's database connection, as the test client does)."""
    request_started.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)


def test_the_layout_and_filter_lists_of_a_request_come_in_one_get_many(in_a_request):
    stored = {
        NAV_BASSINS_KEY: ["nord"],
        LANGUAGE_CHOICES_KEY.format(language="nl"): [("fr", "Frans")],
        OPTIONS_CACHE_KEY.format(language="nl"): ["1000 Brussel"],
        **{key.format(language="nl"): [("x", "X")] for key in CHOICES_KEYS.values()},
    }
    round_trips = []

    def get_many(keys):
        round_trips.append(sorted(keys))
        return {key: stored[key] for key in keys if key in stored}

    with (
        translation.override("nl"),
        mock.patch.object(cache, "get", side_effect=AssertionError("a round trip of its own")),
        mock.patch.object(cache, "get_many", side_effect=get_many),
    ):
        assert cached_read(LANGUAGE_CHOICES_KEY.format(language="nl")) == [("fr", "Frans")]
        assert cached_read(NAV_BASSINS_KEY) == ["nord"]
        assert cached_read(OPTIONS_CACHE_KEY.format(language="nl")) == ["1000 Brussel"]
        assert facet_choices(["bassin", "kind", "theme"]) == {
            "bassin": [("x", "X")],
            "kind": [("x", "X")],
            "theme": [("x", "X")],
        }
    assert round_trips == [sorted(stored)]


def test_a_key_deleted_during_the_request_is_seen_deleted_by_the_rest_of_it(in_a_request):
    cache.set(NAV_BASSINS_KEY, ["nord"])
    assert cached_read(NAV_BASSINS_KEY) == ["nord"]
    forget(NAV_BASSINS_KEY)
    assert cached_read(NAV_BASSINS_KEY) is None


def test_a_key_of_another_language_or_unregistered_is_read_on_its_own(in_a_request):
    cache.set(OPTIONS_CACHE_KEY.format(language="nl"), ["1000 Brussel"])
    cache.set("test:not-batched", 1)
    with translation.override("fr"):
        assert cached_read("test:not-batched") == 1
        assert cached_read(OPTIONS_CACHE_KEY.format(language="nl")) == ["1000 Brussel"]


def test_outside_a_request_every_read_goes_to_the_cache():
    cache.set(NAV_BASSINS_KEY, ["nord"])
    assert cached_read(NAV_BASSINS_KEY) == ["nord"]
    cache.set(NAV_BASSINS_KEY, ["sud"])
    assert cached_read(NAV_BASSINS_KEY) == ["sud"]
