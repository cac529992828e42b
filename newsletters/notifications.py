"""Tell each bassin team that its drafts are ready (e-mail; the dashboard panel is in
``wagtail_hooks``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from bassins.rights import team_groups
from core.mail import send_transactional

logger = logging.getLogger(__name__)


def editors_of(bassin):
    """Active users with an address in the bassin's team group(s)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__in=team_groups(bassin))
        .exclude(email="")
        .distinct()
    )


def notify_editors(report) -> int:
    """One e-mail per editor and bassin listing the new drafts; returns messages sent."""
    by_bassin: dict = {}
    for issue in report.created:
        by_bassin.setdefault(issue.bassin, []).append(issue)
    sent = 0
    for bassin, issues in by_bassin.items():
        drafts = [
            {
                "title": issue.title,
                "language": issue.language,
                "edit_url": settings.WAGTAILADMIN_BASE_URL
                + reverse("wagtailadmin_pages:edit", args=[issue.pk]),
            }
            for issue in issues
        ]
        for user in editors_of(bassin):
            language = getattr(user, "wagtail_userprofile", None)
            language = (getattr(language, "preferred_language", "") or "fr")[:2]
            language = language if language in ("fr", "nl") else "fr"
            sent += send_transactional(
                "newsletters/email/drafts_ready",
                {
                    "bassin": bassin,
                    "drafts": drafts,
                    "month": report.month,
                    "missing_theme": report.missing_theme,
                    "user": user,
                },
                [user.email],
                language,
                cap=False,
            )
    logger.info("newsletters: %s draft notification(s) sent", sent)
    return sent


__all__ = ["notify_editors", "editors_of"]
