"""Render issues and digests to e-mail once per mailing (per variant for digests).

Per-subscriber links are placeholders replaced by ``sending.MessageFactory``, so
10,000 recipients cost one template render and one CSS inlining, not 10,000.
"""

from __future__ import annotations

import datetime
import re
from html import unescape

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.rich_text import RichText, expand_db_html

from bassins.models import Bassin
from core.links import site_url
from core.mail import render_email

from .agenda import revive

UNSUBSCRIBE_PLACEHOLDER = "__MAILLAGE_UNSUBSCRIBE_URL__"
PREFERENCES_PLACEHOLDER = "__MAILLAGE_PREFERENCES_URL__"
_RELATIVE_HREF = re.compile(r'(href|src)="/(?!/)')


def absolutize(html: str) -> str:
    """E-mails need absolute links; rich text and templates make relative ones."""
    return _RELATIVE_HREF.sub(rf'\1="{settings.SITE_URL}/', html)


def plain_text(value) -> str:
    """Rich text (or a string of HTML) as readable plain text."""
    html = value.source if isinstance(value, RichText) else str(value or "")
    html = expand_db_html(html)
    html = re.sub(r"</(p|li|h\d|div)>", "\n", html)
    html = re.sub(r"<br\s*/?>", "\n", html)
    text = unescape(strip_tags(html))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _links(language: str) -> dict:
    return {
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "preferences_url": PREFERENCES_PLACEHOLDER,
        "language": language,
    }


def render_issue_message(issue, agenda: list[dict]) -> tuple[str, str, str]:
    language = issue.language
    with translation.override(language):
        context = {
            "issue": issue,
            "page": issue,
            "agenda_items": revive(agenda),
            "blocks": list(issue.body),
            "issue_url": site_url(issue),
            **_links(language),
        }
        subject, text, html = render_email("newsletters/email/issue", context, language)
    return subject, text, absolutize(html)


def render_digest_message(payload: dict, slugs: tuple[str, ...], language: str):
    agenda = payload["agenda"].get(language, {})
    bassins = {b.slug: b for b in Bassin.objects.filter(slug__in=slugs)}
    with translation.override(language):
        sections = [
            {"bassin": bassins[slug], "items": revive(agenda[slug])}
            for slug in slugs
            if slug in bassins
        ]
        week_start = datetime.date.fromisoformat(payload["week_start"])
        context = {"sections": sections, "week_start": week_start, **_links(language)}
        subject, text, html = render_email("newsletters/email/digest", context, language)
    return subject, text, absolutize(html)
