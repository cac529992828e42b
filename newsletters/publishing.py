"""Publishing an issue can schedule its sending (``send_at``), once."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from .models import NewsletterIssue

logger = logging.getLogger(__name__)


def due_issue_ids() -> list[int]:
    """Published issues meant for subscribers, due now, not started yet."""
    return list(
        NewsletterIssue.objects.live()
        .filter(send_to_subscribers=True, mailing__isnull=True)
        .exclude(send_at__gt=timezone.now())
        .values_list("pk", flat=True)
    )


def on_page_published(sender, instance, **kwargs) -> None:
    """Wagtail ``page_published``: send now, or let the beat send at ``send_at``."""
    issue = instance
    if not isinstance(issue, NewsletterIssue) or not issue.send_to_subscribers:
        return
    if issue.send_at and issue.send_at > timezone.now():
        logger.info("issue %s published; sending scheduled for %s", issue.pk, issue.send_at)
        return
    from .tasks import send_issue

    transaction.on_commit(lambda: send_issue.delay(issue.pk))
