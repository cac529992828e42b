"""Test settings: base plus speed-ups. The database, Redis and e-mail still come
from the environment, so the same suite runs embedded (SQLite) and in CI
(PostgreSQL + Redis)."""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
PUBLIC_FORM_RATE_LIMIT = "1000/h"
TRANSACTIONAL_EMAIL_MAX_PER_RECIPIENT_PER_HOUR = 1000
# Tests serve static files through the finders (nothing is collected), so WhiteNoise
# has no collected root to index.
STATIC_ROOT = None
# No warm-up thread (it would use the test database from another thread); the tests call
# events.warmup.warm themselves.
AGENDA_WARM_DAYS = 0

# pytest-xdist runs the suite in several processes (PYTEST_XDIST_WORKER = gw0, gw1, ...).
# pytest-django gives each its own test database; each also gets its own var/ folder
# (feed files, the feed-version stamp) and, with Redis, its own Redis database for the
# cache (tests clear it), the Celery broker and the Channels layer: REDIS_URL's database
# number plus the worker's.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw"):
    VAR_DIR = VAR_DIR / _XDIST_WORKER  # noqa: F405
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if REDIS_URL:  # noqa: F405
        _url = urlsplit(REDIS_URL)  # noqa: F405
        _db = int(_url.path.strip("/") or 0) + int(_XDIST_WORKER[2:])
        REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))
        CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
        CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
        CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = REDIS_URL  # noqa: F405

# The search index is not kept current on every save in tests: SQLite's full-text table
# keeps rows that a test database flush leaves behind, and the next index entry with a
# reused id would collide. A test that searches the Wagtail index builds it itself.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
