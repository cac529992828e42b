"""Celery tasks: thin wrappers around ``drafting`` and ``sending``.

Sending tasks are ``acks_late`` and idempotent: running one twice (a redelivery after
a worker died) only re-claims what is still pending. Routes: ``send_*`` and
``deliver_*`` go to the ``mail`` queue (settings.CELERY_TASK_ROUTES).
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import drafting, sending
from .models import NewsletterIssue
from .queries import due_issue_ids

logger = logging.getLogger(__name__)


@shared_task(name="newsletters.tasks.draft_newsletters")
def draft_newsletters(month: str | None = None) -> str:
    """Draft next month's issues (or ``month`` = 'YYYY-MM')."""
    target = drafting.parse_month(month) if month else drafting.next_month(timezone.localdate())
    return str(drafting.draft_newsletters(target, log=logger.info))


@shared_task(name="newsletters.tasks.send_issue", acks_late=True, reject_on_worker_lost=True)
def send_issue(issue_id: int) -> int:
    mailing = sending.start_issue_mailing(issue_id)
    return dispatch(mailing.pk)


@shared_task(name="newsletters.tasks.send_weekly_digest", acks_late=True)
def send_weekly_digest(week_start: str | None = None) -> int:
    """Monday's digest of the coming week; sends nothing when no bassin has anything."""
    day = datetime.date.fromisoformat(week_start) if week_start else timezone.localdate()
    mailing = sending.start_digest_mailing(day)
    return dispatch(mailing.pk) if mailing else 0


@shared_task(name="newsletters.tasks.send_due_issues")
def send_due_issues() -> int:
    """Beat: start the mailing of every published issue whose ``send_at`` has come."""
    ids = due_issue_ids()
    for issue_id in ids:
        send_issue.delay(issue_id)
    return len(ids)


@shared_task(
    name="newsletters.tasks.deliver_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def deliver_chunk(mailing_id: int) -> int:
    result = sending.deliver_batch(mailing_id)
    if result.transient_error:
        # The server or network is failing: try again later rather than hammering it.
        deliver_chunk.apply_async(args=[mailing_id], countdown=60)
    return result.sent


@shared_task(name="newsletters.tasks.recover_mailings")
def recover_mailings() -> int:
    """Beat (and worker start): release stale claims, re-dispatch lost work."""
    total = 0
    for mailing_id, chunks in sending.recover_stale_claims().items():
        for _ in range(chunks):
            deliver_chunk.delay(mailing_id)
        total += chunks
    return total


def on_page_published(sender, instance, **kwargs) -> None:
    """Wagtail ``page_published``: send now, or let the beat send at ``send_at``."""
    issue = instance
    if not isinstance(issue, NewsletterIssue) or not issue.send_to_subscribers:
        return
    if issue.send_at and issue.send_at > timezone.now():
        logger.info("issue %s published; sending scheduled for %s", issue.pk, issue.send_at)
        return
    transaction.on_commit(lambda: send_issue.delay(issue.pk))


def dispatch(mailing_id: int) -> int:
    """Queue enough chunk tasks for the mailing's pending deliveries."""
    chunks = sending.chunks_needed(mailing_id)
    for _ in range(chunks):
        deliver_chunk.delay(mailing_id)
    if not chunks:
        sending.finish_if_complete(mailing_id)
    return chunks


@worker_ready.connect
def _recover_after_restart(sender=None, **kwargs):
    """A worker that starts (maybe after a crash) looks for claims its predecessor left."""
    delay = settings.NEWSLETTER_CLAIM_TIMEOUT + 1
    try:
        recover_mailings.apply_async(countdown=delay)
    except Exception:  # noqa: BLE001 - never stop a worker from starting
        logger.exception("could not schedule the mailing recovery")
