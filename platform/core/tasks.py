"""Celery tasks of the shared layer: thin wrappers around ``core.mail`` and
``core.privacy``."""

from __future__ import annotations

import smtplib

from celery import Task, shared_task

from . import mail, privacy

# Errors worth another try: the mail server or the network, not our message.
RETRYABLE = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


class OutboundEmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries exhausted (or an error not worth retrying): the row says so."""
        mail.mark_failed(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(
    name=mail.SEND_TASK,
    base=OutboundEmailTask,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=6,
)
def send_outbound_email(pk: int) -> bool:
    """Send one message of the outbox (``core.mail.send_transactional``)."""
    return mail.deliver_outbound(pk)


@shared_task(name="core.tasks.requeue_unsent_email")
def requeue_unsent_email() -> int:
    """Every few minutes: queue again what a lost broker message or a dead worker left."""
    return mail.requeue_unsent()


@shared_task(name="core.tasks.purge_outbox")
def purge_outbox() -> int:
    """Daily: forget sent e-mails after the retention period."""
    return mail.purge_outbox()


@shared_task(name="core.tasks.apply_retention")
def apply_retention(rule: str) -> int:
    """Daily, one beat entry per rule: erase personal data older than its period."""
    return privacy.apply_retention(rule)
