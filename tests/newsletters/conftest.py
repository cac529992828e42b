"""Helpers for the newsletters tests: subscribers in bulk, a drafted/published issue."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bassins.models import Bassin
from newsletters.drafting import draft_newsletters
from newsletters.models import NewsletterIssue, Subscriber, SubscriberStatus

MONTH = datetime.date(2025, 10, 1)


def make_subscribers(count: int, bassin_slug: str = "nord", language: str = "fr", prefix="pro"):
    """``count`` active subscribers of one bassin (bulk, fast)."""
    bassin = Bassin.objects.get(slug=bassin_slug)
    rows = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"{prefix}{i:05d}.{language}@example.org",
                language=language,
                status=SubscriberStatus.ACTIVE,
                confirmed_at=timezone.now(),
            )
            for i in range(count)
        ]
    )
    rows = list(Subscriber.objects.filter(email__startswith=prefix, language=language))
    through = Subscriber.bassins.through
    through.objects.bulk_create([through(subscriber=s, bassin=bassin) for s in rows])
    return rows


def drafted_issue(bassin_slug="nord", language="fr", month=MONTH) -> NewsletterIssue:
    draft_newsletters(month, log=lambda m: None)
    return NewsletterIssue.objects.get(
        bassin__slug=bassin_slug, locale__language_code=language, month=month
    )


def publish(issue: NewsletterIssue, send: bool = True) -> NewsletterIssue:
    issue.send_to_subscribers = send
    issue.save_revision().publish()
    return NewsletterIssue.objects.get(pk=issue.pk)


@pytest.fixture
def issue_fr(reference_data):
    return drafted_issue()


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """Run tasks in-process (the integration test switches this off for its real worker):
    with REDIS_URL set, the settings would otherwise queue them for a worker that is
    not there."""
    from maillage.celery import app

    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
