"""Language routing.

Django's ``LocaleMiddleware`` answers a 404 on an unprefixed path by redirecting
to the same path under the visitor's language, so ``/agenda/`` becomes
``/fr/agenda/``. For ``/de/...`` that turns a language we do not serve into the
page slug ``de`` (``/fr/de/...``) and a second, misleading hop. We answer such a
path with the 404 page at once, in the visitor's negotiated language.

Likewise a 404 from a view that *did* resolve outside the language prefix (a feed,
a JSON API, the admin) is the real answer: an unknown organisation id must not be
redirected to ``/fr/api/...``. Nor is any unknown path under ``/api/``: the APIs
have no language prefix, so ``/fr/api/...`` can never be the answer.
"""

import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers

LANGUAGE_LIKE = re.compile(r"^[a-z]{2}(?:[-_][a-zA-Z]{2,4})?$")


def unknown_language_prefix(path: str) -> str | None:
    """``"de"`` for ``/de/...`` when de looks like a language code we do not serve."""
    first = path.lstrip("/").split("/", 1)[0]
    if LANGUAGE_LIKE.match(first) and first.lower() not in dict(settings.LANGUAGES):
        return first
    return None


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and unknown_language_prefix(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        if response.status_code == 404 and getattr(request, "resolver_match", None):
            return response
        if response.status_code == 404 and request.path_info.startswith("/api/"):
            return response
        return super().process_response(request, response)
