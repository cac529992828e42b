"""A ``BadParameter`` that no view caught becomes a 400 carrying its message."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

from .params import BadParameter


class BadParameterMiddleware:
    """JSON ``{"error": message}`` under ``/api/``, plain text elsewhere (feeds, exports)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadParameter):
            return None
        message = str(exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"error": message}, status=400)
        return HttpResponse(
            f"Bad request: {message}\n", status=400, content_type="text/plain; charset=utf-8"
        )
