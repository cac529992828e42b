"""Test settings: base plus speed-ups. The database, Redis and e-mail still come
from the environment, so the same suite runs embedded (SQLite) and in CI
(PostgreSQL + Redis)."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
PUBLIC_FORM_RATE_LIMIT = "1000/h"
TRANSACTIONAL_EMAIL_MAX_PER_RECIPIENT_PER_HOUR = 1000
# Tests serve static files through the finders (nothing is collected), so WhiteNoise
# has no collected root to index.
STATIC_ROOT = None
