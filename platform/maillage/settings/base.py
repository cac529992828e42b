"""Settings shared by every environment, driven by environment variables.

With no variable set this is the *embedded default*: SQLite in ``var/``, Celery
tasks run eagerly, e-mail printed to the console, DEBUG on and a secret key
generated once into ``var/secret_key``. Setting ``DATABASE_URL``, ``REDIS_URL``
and ``EMAIL_URL`` switches each part to its real service (see README,
"Configuration").
"""

import datetime
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(environ.Env().str("MAILLAGE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _local_secret_key() -> str:
    """A random key kept in var/ so sessions survive restarts of the embedded site."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Maillage"

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and WebSockets (the exchange space).
    "daphne",
    # Project apps first so their templates and translations win.
    "maillage",
    "core",
    "bassins",
    "events",
    "events.opendoors",
    "events.calendars",
    "directory",
    "newsletters",
    "exchanges",
    "channels",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "recurrence",
    "django_filters",
    "django_celery_beat",
    "anymail",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.http.HeadAsGetMiddleware",  # HEAD answered like GET on every endpoint
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "events.middleware.FeedFastPathMiddleware",  # cached iCal feeds, see docs/agenda.md
    # Embeds: frame-ancestors 'none' everywhere but on core.embed.embeddable views, and no
    # cookie on those (outside the session, CSRF and locale middlewares, see core/embed.py).
    "core.embed.FrameAncestorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maillage.middleware.LocaleMiddleware",
    "core.middleware.RefuseNulBytesMiddleware",  # %00 anywhere in the input: 400
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.middleware.BadParameterMiddleware",
    "maillage.localized_urls.LocalizedUrlRedirectMiddleware",  # /nl/nord/ -> /nl/noord/
    # Last, as django-axes asks: answers a locked-out login with core/account_locked.html.
    "axes.middleware.AxesMiddleware",
]

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# account, or from one IP address, further attempts are refused for AXES_COOLOFF_HOURS
# (429 with core/account_locked.html). Unlock earlier: `manage.py axes_reset_username
# <username>`, `manage.py axes_reset_ip <address>` or `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(hours=env.float("AXES_COOLOFF_HOURS", default=1.0))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/account_locked.html"
# The same client address as the rate limits (TRUSTED_PROXY_COUNT, core.clientip).
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"
ASGI_APPLICATION = "maillage.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "bassins.context_processors.site_navigation",
            ],
        },
    },
    {
        # Plain-text e-mail parts and subjects are not HTML: core.mail renders them
        # with this engine (same templates, no autoescaping), so "L'Îlot" stays
        # "L'Îlot" and not "L&#x27;Îlot".
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "text",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked": the
    # embedded site must survive two people booking the same slot at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "maillage",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "maillage",
        }
    }
# The layout's header and footer as each process rendered them ({% cache ... using="layout"
# %} in base.html), keyed on everything they show (language, the bassins' names and
# helpdesks), so a change shows at once and nothing needs invalidating across processes.
CACHES["layout"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "maillage-layout",
    "TIMEOUT": 3600,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French is the default, Dutch is equal; URLs always carry the prefix.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES + [("en", "English")]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt"]

# E-mail: console by default; EMAIL_URL=smtp://host:port (see django-environ) otherwise.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Maillage <noreply@maillage.brussels>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = env.json("ANYMAIL", default={})

# Celery: eager in the embedded default, Redis broker otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = False  # opted into per idempotent task
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "newsletters.tasks.send_*": {"queue": "mail"},
    "newsletters.tasks.deliver_*": {"queue": "mail"},
    "events.opendoors.tasks.send_*": {"queue": "mail"},
    "core.tasks.send_*": {"queue": "mail"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No e-mail address reaches a log line (core.privacy.MaskEmailsFilter).
    "filters": {"mask_emails": {"()": "core.privacy.MaskEmailsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_emails"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default config gives "django" its own console handler: with the root's,
        # every record (each 404) was printed twice. One handler, the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # one line per background search/reference-index update of every saved page
        "django_tasks": {"level": "WARNING"},
    },
}

# Public forms: proposals, registrations, bookings, subscriptions, error reports.
PUBLIC_FORM_RATE_LIMIT = env.str("PUBLIC_FORM_RATE_LIMIT", default="10/h")
# Reverse proxies in front of the app that append to X-Forwarded-For (docker-compose: 1,
# Caddy). 0 = none: X-Forwarded-For is ignored. See core.clientip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
RATELIMIT_IP_META_KEY = "core.clientip.client_ip"
# The admin login throttle counts per client address the same way.
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
SIGNED_LINK_MAX_AGE_DAYS = env.int("SIGNED_LINK_MAX_AGE_DAYS", default=60)
# Transactional e-mail (core.mail): at most this many messages per recipient address
# per hour, whatever form or task causes them; sent ones are forgotten after N days.
TRANSACTIONAL_EMAIL_MAX_PER_RECIPIENT_PER_HOUR = env.int(
    "TRANSACTIONAL_EMAIL_MAX_PER_RECIPIENT_PER_HOUR", default=10
)
TRANSACTIONAL_EMAIL_RETENTION_DAYS = env.int("TRANSACTIONAL_EMAIL_RETENTION_DAYS", default=30)

# Agenda and feeds.
FEED_PAST_WINDOW_DAYS = env.int("FEED_PAST_WINDOW_DAYS", default=183)
FEED_CACHE_SECONDS = env.int("FEED_CACHE_SECONDS", default=3600)
# New feed cache entries (one per distinct feed URL) stored per FEED_CACHE_SECONDS.
FEED_CACHE_MAX_NEW_ENTRIES = env.int("FEED_CACHE_MAX_NEW_ENTRIES", default=500)
# Cached iCal feeds answered right after WhiteNoise (events.middleware); false = off.
FEED_FAST_PATH = env.bool("FEED_FAST_PATH", default=True)
# Feed bodies each process keeps (about 1 MB each), checked against the shared version.
FEED_LOCAL_COPIES = env.int("FEED_LOCAL_COPIES", default=16)
# Agenda pages, API and newsletter select from each process's in-memory agenda index
# (events.agenda_index) instead of SQL; false = SQL on every request.
AGENDA_INDEX = env.bool("AGENDA_INDEX", default=True)
# The directory search answers from each process's in-memory index
# (directory.search_index) instead of SQL; false = SQL on every request.
DIRECTORY_INDEX = env.bool("DIRECTORY_INDEX", default=True)
# Days ahead whose dates each web process prepares (views and rendered rows, FR and NL)
# in a background thread when it starts and after each agenda change (events.warmup);
# 0 = none, each date is prepared by the first request that shows it.
AGENDA_WARM_DAYS = env.int("AGENDA_WARM_DAYS", default=183)

# Open-door weeks: visitors' personal data is erased this many months after the week.
OPENDOORS_VISITOR_RETENTION_MONTHS = env.int("OPENDOORS_VISITOR_RETENTION_MONTHS", default=6)

# Personal-data retention (core.privacy; one daily beat entry per rule, see README).
NEWSLETTER_UNCONFIRMED_RETENTION_DAYS = env.int("NEWSLETTER_UNCONFIRMED_RETENTION_DAYS", default=30)
NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS = env.int(
    "NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS", default=30
)
EVENTS_UNCONFIRMED_PROPOSAL_RETENTION_DAYS = env.int(
    "EVENTS_UNCONFIRMED_PROPOSAL_RETENTION_DAYS", default=30
)
EVENTS_PROPOSER_RETENTION_MONTHS = env.int("EVENTS_PROPOSER_RETENTION_MONTHS", default=12)
OPENDOORS_CONTACT_RETENTION_MONTHS = env.int("OPENDOORS_CONTACT_RETENTION_MONTHS", default=24)
OPENDOORS_APPRECIATION_RETENTION_MONTHS = env.int(
    "OPENDOORS_APPRECIATION_RETENTION_MONTHS", default=12
)
DIRECTORY_REPORT_EMAIL_RETENTION_DAYS = env.int("DIRECTORY_REPORT_EMAIL_RETENTION_DAYS", default=90)

# Directory: entries older than this are flagged "to be checked".
DIRECTORY_VERIFY_AFTER_MONTHS = env.int("DIRECTORY_VERIFY_AFTER_MONTHS", default=12)
# Largest CSV file (uncompressed) ``manage.py import_hsds`` accepts.
DIRECTORY_HSDS_IMPORT_MAX_BYTES = env.int("DIRECTORY_HSDS_IMPORT_MAX_BYTES", default=200_000_000)
# Largest spreadsheet (CSV or XLSX) the teams may upload in the admin.
DIRECTORY_SPREADSHEET_MAX_BYTES = env.int("DIRECTORY_SPREADSHEET_MAX_BYTES", default=5_000_000)
# Maps (directory): the tile server the browser asks, {z}/{x}/{y} (and optionally {s});
# OpenStreetMap's by default. Heavy use needs your own tile server or a provider, see
# https://operations.osmfoundation.org/policies/tiles/ . Leaflet itself is served from
# static/vendor/ (no CDN).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
MAP_TILE_MAX_ZOOM = env.int("MAP_TILE_MAX_ZOOM", default=19)
# Embeds (iframe snippets for partners' sites): which sites may frame the embed routes
# (CSP frame-ancestors); every other page refuses framing (X-Frame-Options DENY).
EMBED_FRAME_ANCESTORS = env.str("EMBED_FRAME_ANCESTORS", default="*")

# Newsletters: messages per second the sender allows itself, and chunk size.
NEWSLETTER_SEND_RATE = env.float("NEWSLETTER_SEND_RATE", default=50.0)
NEWSLETTER_CHUNK_SIZE = env.int("NEWSLETTER_CHUNK_SIZE", default=100)

# --- newsletters
# A claim older than this (seconds) belongs to a dead worker and is sent again; keep it
# well above NEWSLETTER_CLAIM_BATCH x NEWSLETTER_SMTP_TIMEOUT.
NEWSLETTER_CLAIM_TIMEOUT = env.int("NEWSLETTER_CLAIM_TIMEOUT", default=900)
NEWSLETTER_CLAIM_BATCH = env.int("NEWSLETTER_CLAIM_BATCH", default=10)
NEWSLETTER_SMTP_TIMEOUT = env.int("NEWSLETTER_SMTP_TIMEOUT", default=30)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=5)
NEWSLETTER_CONFIRM_MAX_AGE_DAYS = env.int("NEWSLETTER_CONFIRM_MAX_AGE_DAYS", default=7)
NEWSLETTER_UNSUBSCRIBE_MAX_AGE_DAYS = env.int("NEWSLETTER_UNSUBSCRIBE_MAX_AGE_DAYS", default=730)

# --- calendars (partners' iCal sources, events.calendars)
# Minutes between two fetches of a source (beat checks every 15 minutes).
CALENDARS_POLL_MINUTES = env.int("CALENDARS_POLL_MINUTES", default=60)
# Bounds of one fetch: body size, connect/read timeouts, whole download, redirects.
CALENDARS_MAX_BYTES = env.int("CALENDARS_MAX_BYTES", default=20 * 1024 * 1024)
CALENDARS_CONNECT_TIMEOUT = env.float("CALENDARS_CONNECT_TIMEOUT", default=5.0)
CALENDARS_READ_TIMEOUT = env.float("CALENDARS_READ_TIMEOUT", default=20.0)
CALENDARS_FETCH_SECONDS = env.float("CALENDARS_FETCH_SECONDS", default=60.0)
CALENDARS_MAX_REDIRECTS = env.int("CALENDARS_MAX_REDIRECTS", default=5)
# Sources on private or loopback addresses (an intranet calendar) are refused unless true.
CALENDARS_ALLOW_PRIVATE_ADDRESSES = env.bool("CALENDARS_ALLOW_PRIVATE_ADDRESSES", default=False)

# --- exchanges
# Live updates of the exchange space go through the channel layer: Redis when
# REDIS_URL is set (several web processes see each other's messages), in memory for
# the embedded single-process site.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Every consumer joins and leaves its group with a Redis command of its own:
            # redis-py's default pool (100 connections per process) refuses the rest
            # when more than 100 viewers of one process disconnect at once (a restart,
            # a network blip), leaving them in the group until it expires.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=1000),
                    }
                ],
                "prefix": "maillage:asgi",
                "capacity": 1500,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Attachments are members-only: outside MEDIA_ROOT, served by a view that checks access.
EXCHANGES_PRIVATE_ROOT = Path(
    env.str("EXCHANGES_PRIVATE_ROOT", default=str(VAR_DIR / "exchanges-private"))
)
EXCHANGES_ATTACHMENT_MAX_BYTES = env.int("EXCHANGES_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
EXCHANGES_ATTACHMENTS_PER_MESSAGE = 3
EXCHANGES_MESSAGE_MAX_LENGTH = 5000
# A new member's first N messages wait for a moderator.
EXCHANGES_PREMODERATED_MESSAGES = env.int("EXCHANGES_PREMODERATED_MESSAGES", default=2)
EXCHANGES_MESSAGES_PER_MINUTE = env.int("EXCHANGES_MESSAGES_PER_MINUTE", default=6)
# Threads with no activity for this long are deleted by the nightly retention task.
EXCHANGES_RETENTION_DAYS = env.int("EXCHANGES_RETENTION_DAYS", default=730)
