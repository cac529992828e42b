"""HTTP behaviour shared by every endpoint of the site."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .text import has_control_characters


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


def redirect_back(request, fallback: str) -> HttpResponseRedirect:
    """Redirect to the ``next`` parameter (POST, then GET) when it is a path of this
    site, else to ``fallback`` (a URL or a URL name).

    ``next`` comes from the visitor: an absolute or scheme-relative URL (``//other.org``)
    would make the site an open redirect, and a bare word would be taken for a URL name
    by ``redirect()``; both go to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not has_control_characters(target)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)
