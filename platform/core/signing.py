"""Signed links (cancel a booking, edit an entry, manage a subscription).

A token is Django's ``TimestampSigner`` over a small JSON payload, salted per
purpose so a token for one purpose is worthless for another. The payload is signed,
not encrypted: anyone who sees the URL (a proxy log, a forwarded e-mail) can read it,
so it carries ids, never an e-mail address (``make_token`` refuses one).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing

from .privacy import EMAIL_PATTERN


class InvalidLink(Exception):
    """The token was forged, truncated, or made for another purpose (HTTP 400/403)."""


class ExpiredLink(InvalidLink):
    """The token was genuine but is too old (HTTP 410)."""


def make_token(purpose: str, payload: dict) -> str:
    if EMAIL_PATTERN.search(signing.JSONSerializer().dumps(payload).decode()):
        raise ValueError(f"a {purpose} link would carry an e-mail address: use an id")
    return signing.dumps(payload, salt=f"maillage:{purpose}", compress=True)


def read_token(purpose: str, token: str, max_age: datetime.timedelta | None = None) -> dict:
    """Return the payload, or raise ``ExpiredLink`` / ``InvalidLink``."""
    if max_age is None:
        max_age = datetime.timedelta(days=settings.SIGNED_LINK_MAX_AGE_DAYS)
    try:
        return signing.loads(token, salt=f"maillage:{purpose}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredLink(str(error)) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(str(error)) from error
