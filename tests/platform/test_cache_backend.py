"""core.cache.RedisCache: Django's Redis backend keeping one Redis client per pool."""

import threading

from django.conf import settings
from django.core.cache import cache

from core.cache import RedisCache


def test_it_reads_what_it_wrote_with_one_client_shared_by_threads(require_redis):
    backend = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-kept-client"})
    backend.set("answer", {"value": 42}, 30)
    assert backend.get("answer") == {"value": 42}
    assert backend.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    seen = []

    def read():
        seen.append((backend.get("answer"), backend._cache.get_client()))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [({"value": 42}, client)] * 4
    backend.delete("answer")
    assert backend.get("answer") is None


def test_the_site_uses_it_with_redis(require_redis):
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"
    cache.set("test:kept-client", 1)
    assert cache.get("test:kept-client") == 1
    assert cache._cache.get_client() is cache._cache.get_client()
