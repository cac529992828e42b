"""Shared fixtures.

Services: a test that needs PostgreSQL, Redis or a Celery worker uses
``require_postgres`` / ``require_redis`` / ``celery_worker``. Outside CI a missing
service skips the test; with ``CI=true`` or ``MAILLAGE_REQUIRE_SERVICES=1`` it fails.
Asking for one of these fixtures marks the test ``integration`` (see
``pytest_collection_modifyitems``), so the SQLite pass never selects it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]


def services_required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("MAILLAGE_REQUIRE_SERVICES") == "1"
    )


def missing_service(reason: str):
    if services_required():
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


SERVICE_FIXTURES = frozenset({"require_postgres", "require_redis", "celery_worker"})


def pytest_collection_modifyitems(config, items):
    """A test that needs PostgreSQL, Redis or a worker is an integration test, by the
    fixtures it asks for rather than by a mark its author must remember: a forgotten mark
    put such tests in the SQLite pass, where CI (``CI=true``) fails them."""
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def require_postgres():
    if not settings.IS_POSTGRES:
        missing_service("DATABASE_URL does not point to PostgreSQL")


@pytest.fixture
def require_redis():
    import redis

    if not settings.REDIS_URL:
        missing_service("REDIS_URL is not set")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        missing_service(f"Redis at {settings.REDIS_URL} does not answer: {error}")


@pytest.fixture(autouse=True)
def _reference_cache_isolation():
    """Tests share one process: clear the cache between them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_for_every_test():
    """Every test starts in the site's default language: a test that activates Dutch (a
    request through LocaleMiddleware, translation.activate) must not make the next test in
    the same process reverse Dutch URLs or render Dutch text."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _transactional_mail_is_sent_in_process(request, monkeypatch):
    """``core.mail`` hands each message to a Celery task after the commit. In unit tests
    the task runs in this process (also when ``REDIS_URL`` is set), and as soon as the
    message is written: the test's transaction never commits. Tests of the after-commit
    behaviour itself use ``transactional_db`` and the ``mail_after_commit`` mark;
    integration tests keep the real broker and worker."""
    if request.node.get_closest_marker("integration"):
        return
    from core import mail
    from core.tasks import send_outbound_email

    monkeypatch.setattr(
        mail, "_enqueue", lambda pks: [send_outbound_email.apply(args=[pk]) for pk in pks]
    )
    if not request.node.get_closest_marker("mail_after_commit"):
        monkeypatch.setattr(mail, "_after_commit", lambda pks: mail._enqueue(pks))


def worker_environment(extra: dict | None = None) -> dict:
    """Environment for a Celery worker that sees the *test* database."""
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "platform"), str(ROOT)])
    env["DJANGO_SETTINGS_MODULE"] = "maillage.settings.base"
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    env.update(extra or {})
    return env


class WorkerProcess:
    """A real ``celery worker`` subprocess; ``stop(kill=True)`` sends SIGKILL."""

    def __init__(self, queues: str = "default,mail", concurrency: int = 2, extra_env=None):
        self.args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "maillage",
            "worker",
            "-Q",
            queues,
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--include",
            "tests.platform.runtime_probe",
            "-l",
            "WARNING",
        ]
        self.env = worker_environment(extra_env)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> WorkerProcess:
        from maillage.celery import app

        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace")
                raise RuntimeError(f"Celery worker exited early:\n{output}")
            replies = app.control.ping(timeout=0.5) or []
            if replies:
                return self
        # A worker left running would take the next test's tasks from the same Redis.
        self.stop(kill=True)
        raise RuntimeError("Celery worker did not answer a ping in time")

    def stop(self, kill: bool = False) -> None:
        import signal

        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def celery_worker(require_postgres, require_redis, transactional_db, settings):
    """Start a real worker against the test database and Redis; tasks are not eager."""
    from maillage.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    worker = WorkerProcess().start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


# --- Reference data: loaded once per session -------------------------------------------
#
# Every test that uses the database starts with the real reference data and the Wagtail
# page tree, exactly as ``load_reference_data`` leaves them. They are loaded once per test
# database (once per xdist worker), right after pytest-django creates it; ``db`` tests run
# in a transaction that is rolled back, so they never change what the next test sees.
# ``transactional_db`` / ``live_server`` tests (browser, Celery worker) end with a flush:
# the next test that uses the database first gets the rows back from a copy of every table
# taken after the load (``COPY`` on PostgreSQL, plain rows on SQLite: no model code, no
# signal runs), which takes a fraction of a second whatever the order of the tests.

_SESSION: dict = {"blocker": None, "migrated": None, "loaded": None, "flushed": False}


def load_reference_data() -> None:
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("load_reference_data", verbosity=0, stdout=devnull)


def _tables() -> list[str]:
    from django.db import connection

    return sorted(connection.introspection.django_table_names(only_existing=True))


def _search_tables() -> list[str]:
    """SQLite's full-text tables of the Wagtail search index (``<table>_fts``): virtual
    tables no model describes, whose ``rowid`` is the index entry's id. A flush leaves
    their rows behind, and a later index entry with a reused id then collides: they are
    emptied with the flush, and restoring the index entries fills them again."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return []
    return [name for name in connection.introspection.table_names() if name.endswith("_fts")]


def copy_tables() -> dict:
    """Every row of every table of the project's models, as the database returns them."""
    from django.db import connection

    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                    rows[table] = b"".join(bytes(chunk) for chunk in copy)
            else:
                cursor.execute(f"SELECT * FROM {quote(table)} LIMIT 0")
                columns = [column[0] for column in cursor.description]
                # "+column" is SQLite's no-op: the value as stored, without the type
                # converters Django registers for declared column types.
                plain = ", ".join(f"+{quote(column)}" for column in columns)
                cursor.execute(f"SELECT {plain} FROM {quote(table)}")
                rows[table] = (columns, cursor.fetchall())
    return rows


def restore_tables(rows: dict) -> None:
    """Empty every table and put ``rows`` back, primary keys included, in one transaction
    (Django's foreign keys are checked at commit). Sequences are not reset."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), _tables(), reset_sequences=False)
        )
        for table in _search_tables():
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, content in rows.items():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(content)
            elif content[1]:
                columns, values = content
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus the reference data (once per session)."""
    with django_db_blocker.unblock():
        _SESSION["migrated"] = copy_tables()
        load_reference_data()
        _SESSION["loaded"] = copy_tables()
    _SESSION["blocker"] = django_db_blocker
    yield
    _SESSION["blocker"] = None


def _uses_db(item) -> bool:
    names = getattr(item, "fixturenames", ())
    return bool(
        item.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server"} & set(names)
    )


def _flushes_db(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    # Before any fixture (so before the test's transaction opens).
    if _SESSION["flushed"] and _SESSION["blocker"] and _uses_db(item):
        with _SESSION["blocker"].unblock():
            restore_tables(_SESSION["loaded"])
        _SESSION["flushed"] = False
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _flushes_db(item):
            _SESSION["flushed"] = True


@pytest.fixture
def reference_data(db):
    """The real reference data and page tree (loaded once per session; see above)."""


@pytest.fixture
def empty_database(db):
    """The database as ``migrate`` leaves it, before any reference data, for this test
    only (rolled back with the test): for tests of loading the reference data from
    scratch."""
    restore_tables(_SESSION["migrated"])


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        missing_service(f"{CHROMIUM} is not installed (scripts/setup.sh --dev installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh page (own context: cookies, downloads) on the live test server."""
    context = chromium.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def teams(reference_data):
    """A member of the Nord bassin's team and one of the Sud's: ``teams["nord"]``."""
    from django.contrib.auth.models import Group, User

    from bassins.permissions import ensure_team_groups

    ensure_team_groups()
    members = {}
    for slug, group in (("nord", "Équipe bassin Nord"), ("sud", "Équipe bassin Sud")):
        members[slug] = User.objects.create_user(slug, f"{slug}@example.org", "x")
        members[slug].groups.add(Group.objects.get(name=group))
    return members
