"""The visitor's address, as seen through a known number of trusted reverse proxies.

Behind a proxy, ``REMOTE_ADDR`` is the proxy's address: a limit keyed on it puts every
visitor in one bucket. ``X-Forwarded-For`` carries the real address, but its left part
is whatever the client sent, so it is read from the right: each trusted proxy appends
the address it received the connection from, and the entry written by the outermost
proxy (the ``TRUSTED_PROXY_COUNT``-th from the right) is the client. Entries further
left are forgeries or untrusted hops and are never used.

Hand-written rather than django-ipware: the rule is one line of arithmetic, and ipware
consults a list of headers (``X-Real-IP``, ``CF-Connecting-IP``, ...) that a client can
also send unless every one is configured away.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's IP address for ``request`` (used by the rate limits).

    With ``TRUSTED_PROXY_COUNT = 0`` (no proxy), ``REMOTE_ADDR``; ``X-Forwarded-For``
    is ignored. With ``N > 0``, the N-th address from the right of
    ``X-Forwarded-For``; when the header holds fewer than N addresses, or that entry is
    not an address, the request did not come through every proxy and ``REMOTE_ADDR``
    (never client-controlled) is used.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if len(forwarded) < count:
        return remote_addr
    return _valid_address(forwarded[-count]) or remote_addr
