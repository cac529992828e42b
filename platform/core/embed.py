"""Pages partners may show in an <iframe> on their own sites ("embeds").

Every page of the site refuses to be framed: Django's ``XFrameOptionsMiddleware``
sends ``X-Frame-Options: DENY`` and ``FrameAncestorsMiddleware`` adds
``Content-Security-Policy: frame-ancestors 'none'`` (the header browsers read first).
A view wrapped in ``embeddable`` is the exception: no X-Frame-Options, and
``frame-ancestors`` from the ``EMBED_FRAME_ANCESTORS`` setting (``*`` by default).

An embed must set no cookie (a partner's visitors are not ours to track, and a
third-party cookie would be refused anyway): its template must not use the session,
``{% csrf_token %}`` or messages. ``embeddable`` also drops any cookie the response
carries, and tests check that none is set.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control

EMBED_ATTRIBUTE = "maillage_embeddable"
# What every response but an embed answers: no site may frame it.
NOT_FRAMABLE = "frame-ancestors 'none'"


def embeddable(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        setattr(response, EMBED_ATTRIBUTE, True)
        setattr(request, EMBED_ATTRIBUTE, True)
        response["Content-Security-Policy"] = f"frame-ancestors {settings.EMBED_FRAME_ANCESTORS}"
        patch_cache_control(response, public=True, max_age=300)
        return response

    return wrapped


class FrameAncestorsMiddleware:
    """``frame-ancestors 'none'`` on every response but the embeds; and no cookie on
    an embed (the session, CSRF and language middlewares run after the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, EMBED_ATTRIBUTE, False):
            response.cookies.clear()
            return response
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = NOT_FRAMABLE
        return response
