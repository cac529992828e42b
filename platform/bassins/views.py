"""Health check and error pages."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation

from core.i18n import current_content_language

from . import hub, lookup
from .pages import bassin_page_path


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "down" for a health check
        return False


def _redis_ok() -> bool:
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def healthz(request):
    """JSON status of the database and (when configured) Redis; 503 when one is down."""
    checks = {"database": "ok" if _database_ok() else "down"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ok() else "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503
    )


def _language_from_path(request) -> str:
    """The URL's language; for an unknown prefix (/de/), the negotiated one."""
    prefix = request.path.lstrip("/").split("/", 1)[0]
    if prefix in dict(settings.LANGUAGES):
        return prefix
    negotiated = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    return negotiated if negotiated in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def page_not_found(request, exception=None):
    """404 in the language of the URL, even for an unknown language prefix; JSON for
    the APIs (``/api/...``), as their OpenAPI description says."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not found"}, status=404)
    with translation.override(_language_from_path(request)):
        return render(request, "404.html", status=404)


def server_error(request):
    with translation.override(_language_from_path(request)):
        return render(request, "500.html", status=500)


def _target_url(target_key: str, slug: str, language: str) -> str:
    target = hub.finder_target(target_key)
    return target.url(slug, language) if target else bassin_page_path(slug, language)


def find_bassin(request):
    """The finder's answer: straight to the bassin (or to its agenda, subscription
    form, ... when ``vers`` names a registered target) when the place is in one
    bassin; the parts of a shared commune or postal code otherwise."""
    language = current_content_language()
    target_key = request.GET.get("vers", "")
    target = hub.finder_target(target_key)
    query = request.GET.get("q", "")
    context = {"query": query, "target": target, "target_key": target.key if target else ""}
    if not query.strip():
        return render(request, "bassins/find_bassin.html", context)
    try:
        result = lookup.lookup(query, language)
    except lookup.BadLookup as error:
        context["error"] = str(error)
        return render(request, "bassins/find_bassin.html", context, status=400)
    if result.single:
        return redirect(_target_url(context["target_key"], result.single.slug, language))
    context["result"] = result
    context["choices"] = [
        (match, _target_url(context["target_key"], match.slug, language))
        for match in result.matches
    ]
    return render(request, "bassins/find_bassin.html", context, status=200 if result.found else 404)


def api_lookup(request):
    """JSON for partners: ``/api/bassins/lookup?postal_code=1030`` (or ``?q=`` for a
    commune name; ``&lang=nl`` for Dutch names). 400 on malformed input, 404 when
    the place is not in the Brussels-Capital Region."""
    language = request.GET.get("lang", "fr")
    if language not in dict(settings.LANGUAGES):
        return JsonResponse({"error": "lang must be fr or nl"}, status=400)
    with translation.override(language):
        try:
            if "postal_code" in request.GET:
                result = lookup.lookup_postal_code(request.GET["postal_code"], language)
            elif "q" in request.GET:
                result = lookup.lookup(request.GET["q"], language)
            else:
                raise lookup.BadLookup(
                    translation.gettext("Paramètre postal_code (ou q) manquant.")
                )
        except lookup.BadLookup as error:
            return JsonResponse({"error": str(error)}, status=400)
        body = {
            "query": result.query,
            "postal_code": result.postal_code,
            "locality": result.locality,
            "commune": result.commune,
            "shared": result.shared,
            "note": result.note,
            "bassins": [
                {
                    "slug": match.slug,
                    "name": match.name,
                    "commune": match.commune,
                    "part": match.part,
                    "suggested": match.suggested,
                    "url": settings.SITE_URL + bassin_page_path(match.slug, language),
                }
                for match in result.matches
            ],
        }
        if not result.found:
            body["error"] = translation.gettext(
                "Ce code postal ou cette commune ne fait pas partie de la Région bruxelloise."
            )
        return JsonResponse(body, status=200 if result.found else 404)
