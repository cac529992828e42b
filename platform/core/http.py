"""HTTP behaviour shared by every endpoint of the site."""

from __future__ import annotations


class HeadAsGetMiddleware:
    """Every GET endpoint answers HEAD like GET, without the body (RFC 9110 §9.3.2).

    Calendar clients and link checkers send HEAD; views decorated ``require_GET`` (and
    class-based views without a ``head`` handler) would answer 405. The request is
    handed to the rest of the chain as a GET and the body of the answer dropped, its
    headers (``Content-Length`` included) kept. Placed first in ``MIDDLEWARE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        if response.streaming:
            if hasattr(response, "close"):
                response.close()
            response.streaming_content = []
        else:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response
