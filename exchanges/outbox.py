"""The one function through which the exchange space sends e-mail.

Sent once the transaction commits, in the recipient's language, with a per-recipient
cap per hour (``EXCHANGES_MAIL_CAP_PER_HOUR``) so a burst of mentions cannot flood
anyone. When the shared queued mail of ``core`` lands (retries, idempotency), only
the body of ``send_to`` changes.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.mail import send_email

log = logging.getLogger(__name__)


def _under_cap(address: str) -> bool:
    key = f"exchanges:mailcap:{address}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= settings.EXCHANGES_MAIL_CAP_PER_HOUR


def send_to(address: str, language: str, template: str, context: dict) -> None:
    """Queue ``template`` for ``address`` after the current transaction commits."""

    def deliver():
        if not _under_cap(address):
            log.info("exchanges: hourly e-mail cap reached for a recipient, %s skipped", template)
            return
        send_email(template, context, [address], language)

    transaction.on_commit(deliver)
