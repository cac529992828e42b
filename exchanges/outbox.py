"""The one function through which the exchange space sends e-mail: core's
transactional mail (outbox row in the caller's transaction, sent by Celery after the
commit with retries, per-recipient hourly cap)."""

from __future__ import annotations

from core.mail import send_transactional


def send_to(address: str, language: str, template: str, context: dict) -> None:
    """Queue ``template`` for ``address`` in ``language``."""
    send_transactional(template, context, [address], language)
