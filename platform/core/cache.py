"""Django's Redis cache backend, keeping its Redis client objects.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` object for every cache
operation. Building one fills its table of response callbacks (about 170 entries): at
four cache reads per agenda page, a sixth of the page's own work outside its templates,
as much as the round trips themselves. A ``redis.Redis`` object is safe to share between
threads (its connection pool hands each command a connection), so one per pool is kept.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # The index is chosen once (a read picks one of the replicas at random).
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._client(connection_pool=self._pools[index])
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisCacheClient
