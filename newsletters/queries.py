"""Reads shared by the archives, the feeds and the dashboard."""

from __future__ import annotations

from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import NewsletterIssue


def published_issues(language: str, bassin=None):
    """Live issues in one language, newest month first (bassin and theme joined)."""
    issues = (
        NewsletterIssue.objects.live()
        .filter(locale__language_code=language)
        .select_related("bassin", "theme", "locale")
        .order_by("-month", "bassin__sort_order")
    )
    if bassin is not None:
        issues = issues.filter(bassin=bassin)
    return issues


def due_issue_ids() -> list[int]:
    """Published issues meant for subscribers, due now, not started yet."""
    return list(
        NewsletterIssue.objects.live()
        .filter(send_to_subscribers=True, mailing__isnull=True)
        .exclude(send_at__gt=timezone.now())
        .values_list("pk", flat=True)
    )


def drafts_awaiting(user, limit: int = 10):
    """Draft issues the user may edit (for the dashboard panel)."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return (
        NewsletterIssue.objects.filter(live=False, pk__in=editable.values("pk"))
        .select_related("bassin", "theme", "locale")
        .order_by("month", "bassin__sort_order")[:limit]
    )
