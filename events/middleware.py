"""Cached iCal feeds answered before the middleware chain.

A calendar client polls ``/feeds/*.ics`` with the same URL again and again. Once the
feed view has validated a request's filters and written the rendered feed to its file
(``events.feeds.feed_file``), the same process answers the same path + query for the
same feed version straight from ``events.api._SEEN``: no session, locale, CSRF, auth,
messages or Wagtail redirect middleware, no URL resolution, no database. The version
stamp is read from the shared cache on every request, so an event change (which bumps
it) is seen at once by every process. Everything else (first request, bad filters,
HEAD, other methods) falls through to the normal view, which fills the cache.

Place it right after WhiteNoise in ``MIDDLEWARE``; ``FEED_FAST_PATH=false`` disables it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

from . import api


class FeedFastPathMiddleware:
    def __init__(self, get_response):
        if not getattr(settings, "FEED_FAST_PATH", True):
            raise MiddlewareNotUsed
        self.get_response = get_response
        # Headers the rest of the chain adds to every feed response (X-Frame-Options,
        # CommonMiddleware's Content-Length), so both paths answer the same headers.
        self.content_length = "django.middleware.common.CommonMiddleware" in settings.MIDDLEWARE
        self.extra_headers = {}
        if "django.middleware.clickjacking.XFrameOptionsMiddleware" in settings.MIDDLEWARE:
            self.extra_headers["X-Frame-Options"] = getattr(
                settings, "X_FRAME_OPTIONS", "DENY"
            ).upper()

    def __call__(self, request):
        path = request.path_info
        if request.method == "GET" and path.startswith("/feeds/") and path.endswith(".ics"):
            response = api.seen_feed_response(request)
            if response is not None:
                for header, value in self.extra_headers.items():
                    response.headers.setdefault(header, value)
                if self.content_length and not response.streaming:  # the 304s
                    response.headers.setdefault("Content-Length", str(len(response.content)))
                return response
        return self.get_response(request)
