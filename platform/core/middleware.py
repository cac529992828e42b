"""Input the site refuses before any view sees it, and parameters no view caught.

Both answer 400 with a message: JSON ``{"error": message}`` under ``/api/``, plain text
elsewhere (feeds, exports, forms).
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .params import BadParameter


def bad_request(request, message: str):
    """A 400 carrying ``message``, in the form the endpoint's callers read."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message}, status=400)
    return HttpResponse(
        f"Bad request: {message}\n", status=400, content_type="text/plain; charset=utf-8"
    )


def has_nul_byte(request) -> bool:
    """A NUL character in the path, a query-string or a form field (name or value).

    Uploaded files may hold any byte: they are not looked at."""
    if "\x00" in request.path:
        return True
    queries = [request.GET]
    if request.method == "POST":
        queries.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in queries
        for key, values in query.lists()
    )


class RefuseNulBytesMiddleware:
    """A request carrying a NUL character (``%00``) gets a 400, whatever the view.

    No text we store or look up may hold one: PostgreSQL refuses it in a text value
    (``ValueError`` from the driver, a 500) where SQLite stores it. Django's forms refuse
    it in their ``CharField``s, but views also read raw parameters (ids, tokens, slugs,
    ``next``): refusing it here, once, covers every one of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul_byte(request):
            return bad_request(request, _("La requête contient un caractère nul (%00)."))
        return self.get_response(request)


class BadParameterMiddleware:
    """A ``BadParameter`` that no view caught becomes a 400 carrying its message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadParameter):
            return None
        return bad_request(request, str(exception))
