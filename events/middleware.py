"""Answer iCal feeds found in the shared cache before the rest of the middleware chain.

Calendar clients poll ``/feeds/*.ics`` with the same URL again and again. For a GET of
such a path (a HEAD arrives as a GET, see ``core.http.HeadAsGetMiddleware``) this
middleware asks ``events.serving.cached_feed_response``, which reads the agenda
version and the entry of that exact URL from the Django cache in one round trip: when
the entry was rendered for the current version, the response (200 or 304) is built
from it here, without sessions, locale, CSRF, auth, messages, Wagtail redirects, URL
resolution or a database query. The bodies come from the cache or from the process's
own copies of them, used only while their version is the shared one, so every process and
host answers the same. Anything else (first request after a change, bad filters,
other methods) goes on to the feed view, ``events.api.ical_feed``, which validates,
renders and stores the entry.

Place it right after WhiteNoise in ``MIDDLEWARE``; ``FEED_FAST_PATH=false`` disables it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

from core.embed import NOT_FRAMABLE

from .serving import cached_feed_response


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
        if "core.embed.FrameAncestorsMiddleware" in settings.MIDDLEWARE:
            # A feed is not an embed: framed by no site, as every other response.
            self.extra_headers["Content-Security-Policy"] = NOT_FRAMABLE

    def __call__(self, request):
        path = request.path_info
        if request.method == "GET" and path.startswith("/feeds/") and path.endswith(".ics"):
            response = cached_feed_response(request)
            if response is not None:
                for header, value in self.extra_headers.items():
                    response.headers.setdefault(header, value)
                if self.content_length:
                    response.headers.setdefault("Content-Length", str(len(response.content)))
                return response
        return self.get_response(request)
