"""Reads shared by the archives, the feeds and the dashboard."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404

from .models import NewsletterIssue

ARCHIVE_PAGE_SIZE = 12


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


def bassin_archive_context(index_page, request) -> dict:
    issues = (
        NewsletterIssue.objects.child_of(index_page)
        .live()
        .select_related("bassin", "theme", "locale")
        .order_by("-month")
    )
    paginator = Paginator(issues, ARCHIVE_PAGE_SIZE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except Exception:  # noqa: BLE001 - EmptyPage, PageNotAnInteger
        raise Http404("no such archive page") from None
    return {"page_obj": page_obj, "issues": page_obj, "bassin": index_page.bassin}


def drafts_awaiting(user, limit: int = 10):
    """Draft issues the user may edit (for the dashboard panel)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return (
        NewsletterIssue.objects.filter(live=False, pk__in=editable.values("pk"))
        .select_related("bassin", "theme", "locale")
        .order_by("month", "bassin__sort_order")[:limit]
    )
