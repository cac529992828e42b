"""Cache entries that most pages read, fetched together in one cache round trip.

The layout and the filter bars read several small reference lists kept in the shared
cache (the bassins of the menus, the spoken languages, the bassin finder's options).
Each was one round trip to Redis per page. A key registered here (``batched``) is read,
with every other registered key of the active language, by a request's first
``cached_read``; the request's later reads of those keys come from that one
``get_many``. Nothing outlives the request (a thread-local reset at Django's
``request_started`` and ``request_finished``); outside a request every read goes to
the cache.
"""

from __future__ import annotations

import threading

from django.core.cache import cache
from django.core.signals import request_finished, request_started

from .i18n import current_content_language

_KEY_TEMPLATES: list[str] = []
_OUTSIDE_A_REQUEST = object()
_request = threading.local()


def batched(template: str) -> str:
    """Register a cache key (``{language}`` stands for the active content language) to be
    read with the others on a request's first ``cached_read``; returns the template."""
    if template not in _KEY_TEMPLATES:
        _KEY_TEMPLATES.append(template)
    return template


def cached_read(key: str):
    """``cache.get(key)``, from the request's batch when the key is in it."""
    batch = getattr(_request, "batch", _OUTSIDE_A_REQUEST)
    if batch is _OUTSIDE_A_REQUEST:
        return cache.get(key)
    if batch is None:
        language = current_content_language()
        batch = cache.get_many([template.format(language=language) for template in _KEY_TEMPLATES])
        _request.batch = batch
    if key in batch:
        return batch[key]
    return cache.get(key)


def forget(key: str) -> None:
    """Delete ``key`` from the cache and from this request's batch (a change made while
    handling the request is seen by the rest of it)."""
    cache.delete(key)
    batch = getattr(_request, "batch", None)
    if batch:
        batch.pop(key, None)


def _start_request(**_signal_kwargs) -> None:
    _request.batch = None


def _end_request(**_signal_kwargs) -> None:
    _request.__dict__.pop("batch", None)


request_started.connect(_start_request, dispatch_uid="core.batched_reads:start")
request_finished.connect(_end_request, dispatch_uid="core.batched_reads:end")
