"""Bilingual multipart e-mail: a plain-text part, an HTML part with inlined CSS.

Templates come in pairs, ``<name>.txt`` and ``<name>.html``, rendered with the
recipient's language active. The HTML is passed through css-inline so that mail
clients that drop ``<style>`` still show it right.
"""

from __future__ import annotations

from collections.abc import Iterable

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from .text import printable, single_line

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def normalise_email(email: str) -> str:
    """The form an address is stored and compared in (one subscriber, one booking per
    address): surrounding spaces dropped, lower-cased. Used by every app that dedupes
    people by e-mail (open-door bookings, newsletter subscribers)."""
    return (email or "").strip().lower()


def render_email(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Return ``(subject, text, html)`` rendered in ``language``.

    ``<template>_subject.txt`` gives the subject (one line).
    """
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "language": language, **context}
        # Control characters that reached the data (admin, imports) never reach a header.
        subject = single_line(render_to_string(f"{template}_subject.txt", context))
        text = printable(render_to_string(f"{template}.txt", context))
        html = _inliner.inline(render_to_string(f"{template}.html", context))
    return subject, text, html


def build_email(
    template: str,
    context: dict,
    to: Iterable[str],
    language: str,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    headers: dict | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    subject, text, html = render_email(template, context, language)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_email(*args, **kwargs) -> int:
    """Build and send one message; returns the number sent (0 or 1)."""
    return build_email(*args, **kwargs).send()


__all__ = ["build_email", "render_email", "send_email", "get_connection"]
