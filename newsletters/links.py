"""Signed links of a subscriber: confirm, manage preferences, one-click unsubscribe.

Each purpose has its own salt (``core.signing``), so a confirmation token cannot
unsubscribe anyone and vice versa. Unsubscribe links stay valid longer than the
others because they sit in old e-mails (setting NEWSLETTER_UNSUBSCRIBE_MAX_AGE_DAYS).
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from core.signing import make_token

CONFIRM = "newsletter-confirm"
PREFERENCES = "newsletter-preferences"
UNSUBSCRIBE = "newsletter-unsubscribe"


def confirm_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS)


def unsubscribe_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.NEWSLETTER_UNSUBSCRIBE_MAX_AGE_DAYS)


def address_check(subscriber) -> str:
    """A keyed digest of the subscriber's address: a token stops working if the row's
    address changes, and the token (readable by anyone who sees the URL, e.g. in a proxy
    log) never carries the address itself."""
    return salted_hmac("maillage:newsletter-address", subscriber.email).hexdigest()[:16]


def subscriber_token(purpose: str, subscriber) -> str:
    return make_token(purpose, {"s": subscriber.pk, "a": address_check(subscriber)})


def token_matches(payload: dict, subscriber) -> bool:
    """True when ``payload`` (read from a token) was made for ``subscriber`` as it is."""
    return constant_time_compare(str(payload.get("a", "")), address_check(subscriber))


TOKEN_SLOT = "__TOKEN__"


@functools.lru_cache(maxsize=32)
def _url_template(name: str, language: str, site_url: str) -> str:
    """``reverse`` once per (name, language); tokens are URL-safe, so they slot in."""
    with translation.override(language):
        return site_url + reverse(name, kwargs={"token": TOKEN_SLOT})


def _localized(name: str, language: str, token: str) -> str:
    return _url_template(name, language, settings.SITE_URL).replace(TOKEN_SLOT, token)


def confirm_url(subscriber) -> str:
    return _localized(
        "newsletters:confirm", subscriber.language, subscriber_token(CONFIRM, subscriber)
    )


def preferences_url(subscriber, language: str | None = None) -> str:
    return _localized(
        "newsletters:preferences",
        language or subscriber.language,
        subscriber_token(PREFERENCES, subscriber),
    )


def unsubscribe_url(subscriber) -> str:
    """Language-neutral (api_urls): RFC 8058 one-click POST target."""
    return _localized(
        "newsletters-api:unsubscribe", "fr", subscriber_token(UNSUBSCRIBE, subscriber)
    )
