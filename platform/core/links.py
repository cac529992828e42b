"""Views use ``resolve_signed_link`` so every forged or expired link gets the same clear page."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from .signing import ExpiredLink, InvalidLink, read_token


def link_error_response(request, expired: bool):
    status = 410 if expired else 400
    return render(request, "core/link_error.html", {"expired": expired}, status=status)


def resolve_signed_link(request, purpose: str, token: str, max_age=None):
    """Return ``(payload, None)`` or ``(None, error_response)``."""
    try:
        return read_token(purpose, token, max_age=max_age), None
    except ExpiredLink:
        return None, link_error_response(request, expired=True)
    except InvalidLink:
        return None, link_error_response(request, expired=False)


def site_url(page_or_path) -> str:
    """The absolute URL of a Wagtail page or a path, on the configured SITE_URL.

    Wagtail's ``page.full_url`` uses the Site record's hostname (``http://localhost``
    on a fresh install); links in e-mails, print versions and feeds must use the
    address the site is really served at.
    """
    path = page_or_path
    if hasattr(page_or_path, "get_url_parts"):
        parts = page_or_path.get_url_parts()
        path = parts[2] if parts else "/"
    return settings.SITE_URL + str(path)
