"""Health check and error pages."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "down" for a health check
        return False


def _redis_ok() -> bool:
    import redis

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
    """404 in the language of the URL, even for an unknown language prefix."""
    with translation.override(_language_from_path(request)):
        return render(request, "404.html", status=404)


def server_error(request):
    with translation.override(_language_from_path(request)):
        return render(request, "500.html", status=500)
