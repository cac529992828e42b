"""Fixtures of the exchange space: two bassins, their channels, and one person of
each kind the permission rules know (member of A, member of B, pending member,
moderator, référent (bassin A's helpdesk team), staff, bassin and regional teams
that manage channels)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime
import threading
import time
from dataclasses import dataclass

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Group, Permission
from django.db.backends.signals import connection_created

from bassins.models import Bassin, BassinTeam, Theme
from bassins.permissions import ensure_team
from exchanges import services
from exchanges.models import Channel, ExchangeSettings, Member, MemberStatus

PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def bassins(db):
    sud, _ = Bassin.objects.update_or_create(
        slug="sud",
        defaults=dict(
            name_fr="Sud",
            name_nl="Zuid",
            population=319935,
            population_date=datetime.date(2024, 1, 1),
            helpdesk_email="helpdesk-sud@example.org",
            sort_order=4,
        ),
    )
    nord, _ = Bassin.objects.update_or_create(
        slug="nord",
        defaults=dict(
            name_fr="Nord",
            name_nl="Noord",
            population=223509,
            population_date=datetime.date(2024, 1, 1),
            helpdesk_email="helpdesk-nord@example.org",
            sort_order=1,
        ),
    )
    return {"sud": sud, "nord": nord}


@pytest.fixture
def channels(bassins):
    theme, _ = Theme.objects.get_or_create(
        slug="sante-mentale", defaults={"name_fr": "Santé mentale", "name_nl": "GGZ"}
    )
    Channel.objects.all().delete()
    return {
        "sud": Channel.objects.create(
            slug="sud-sante-mentale",
            name_fr="Santé mentale — Sud",
            name_nl="Geestelijke gezondheid — Zuid",
            bassin=bassins["sud"],
            theme=theme,
        ),
        "nord": Channel.objects.create(
            slug="nord-general",
            name_fr="Général — Nord",
            name_nl="Algemeen — Noord",
            bassin=bassins["nord"],
        ),
        "regional": Channel.objects.create(
            slug="regional", name_fr="Échanges régionaux", name_nl="Gewestelijk"
        ),
    }


@pytest.fixture
def charter(db):
    settings_ = ExchangeSettings.load()
    settings_.charter_fr = "<p>Pas de données personnelles.</p>"
    settings_.charter_nl = "<p>Geen persoonsgegevens.</p>"
    settings_.charter_version = 1
    settings_.save()
    return settings_


@pytest.fixture
def make_member(bassins, charter, settings):
    settings.EXCHANGES_PREMODERATED_MESSAGES = 0

    def make(name, bassin="sud", status=MemberStatus.ACTIVE, language="fr", accepted=True):
        member = services.register_member(
            email=f"{name.lower().replace(' ', '.')}@asbl.example",
            password=PASSWORD,
            display_name=name,
            organisation=f"Asbl de {name}",
            role="assistant·e social·e",
            bassin_ids=[bassins[bassin].pk],
            language=language,
        )
        member.status = status
        member.save()
        if accepted:
            services.accept_charter(member)
        return member

    return make


def staff_user(django_user_model, username, bassin, permissions):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@brusano.example", password=PASSWORD, is_staff=True
    )
    group, _ = ensure_team(bassin)
    user.groups.add(group)
    # The team group's exchange rights (every bassin team moderates by default) are
    # taken away here: the matrix grants them person by person.
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="exchanges"))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label__in=["exchanges", "wagtailadmin"], codename=codename
            )
        )
    return user


def helpdesk_user(django_user_model, username, bassin):
    """A person of ``bassin``'s helpdesk team: a group of its own tied to the bassin by
    a ``BassinTeam`` marked as helpdesk, with no exchange permission at all."""
    group, _ = Group.objects.get_or_create(name=f"Helpdesk {bassin.name_fr}")
    BassinTeam.objects.get_or_create(group=group, defaults={"bassin": bassin, "is_helpdesk": True})
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@brusano.example", password=PASSWORD, is_staff=True
    )
    user.groups.add(group)
    return user


CHANNEL_ADMIN = ["add_channel", "change_channel", "view_channel"]


@pytest.fixture
def people(make_member, bassins, channels, django_user_model):
    return {
        "member_a": make_member("Amina Sud"),
        "member_a2": make_member("Bruno Sud", language="nl"),
        "member_b": make_member("Chloé Nord", bassin="nord"),
        "pending": make_member("Dora Pending", status=MemberStatus.PENDING),
        "moderator": staff_user(
            django_user_model, "moderatrice-sud", bassins["sud"], ["moderate_message"]
        ),
        "referent": helpdesk_user(django_user_model, "referent-sud", bassins["sud"]),
        "referent_b": helpdesk_user(django_user_model, "referent-nord", bassins["nord"]),
        "staff": staff_user(django_user_model, "staff-sud", bassins["sud"], []),
        "team_a": staff_user(django_user_model, "equipe-sud", bassins["sud"], CHANNEL_ADMIN),
        "regional": staff_user(django_user_model, "equipe-regionale", None, CHANNEL_ADMIN),
    }


def login(client, who):
    user = who.user if isinstance(who, Member) else who
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def commit_callbacks_run_at_once(request, monkeypatch):
    """Tests run inside a transaction that never commits: run what waits for the commit
    (e-mail, live updates) at once, as a committed request would. Tests with real
    transactions (the browser tests) keep Django's own ``on_commit``."""
    from django.db import transaction

    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@dataclass
class AsgiServer:
    url: str
    loop: asyncio.AbstractEventLoop

    def call(self, func, *args, **kwargs):
        """Run ``func`` as the server runs a view: in a worker thread of the server's
        event loop. What it sends to the channel layer then leaves from that loop, as a
        request's would (the in-memory layer only wakes consumers of its own loop)."""

        async def work():
            SERVED.set(True)
            return await sync_to_async(func, thread_sensitive=False)(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(work(), self.loop).result(timeout=30)


SERVED = contextvars.ContextVar("served_by_the_test_asgi_server", default=False)


def served(application):
    """``application``, marking what it runs (its views' threads, its consumers) as
    the test server's."""

    async def marked(scope, receive, send):
        SERVED.set(True)
        await application(scope, receive, send)

    return marked


@pytest.fixture(scope="session")
def asgi_server(django_db_setup):
    """The project's ASGI application (HTTP and WebSockets, static files from the
    finders) served by daphne, the server of the ``ws`` service, in a thread of the
    test process: it reads the test database and shares the channel layer (in memory
    on SQLite, Redis otherwise) with the test. Twisted's reactor runs once per process,
    so the server lives for the session."""
    from daphne.server import Server  # installs Twisted's asyncio reactor first
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from twisted.internet import reactor

    from maillage.asgi import application

    opened = []

    def close_after_use(sender, connection, **kwargs):
        # The server's requests each run in a thread of their own: their database
        # connections are closed when the request ends (Django's close_old_connections
        # sees them as expired), so none outlives the test database.
        if SERVED.get():
            connection.close_at = time.monotonic()
            opened.append(connection)

    connection_created.connect(close_after_use, weak=False)
    server = Server(
        served(ASGIStaticFilesHandler(application)),
        endpoints=["tcp:port=0:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
    )
    ready = threading.Event()

    def started():
        if server.listening_addresses:
            ready.set()
        else:
            reactor.callLater(0.05, started)

    reactor.callLater(0.05, started)
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    thread.start()
    if not ready.wait(timeout=30):
        raise RuntimeError("daphne did not start listening within 30 s")
    port = server.listening_addresses[0][1]
    yield AsgiServer(url=f"http://127.0.0.1:{port}", loop=reactor._asyncioEventloop)
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=15)
    connection_created.disconnect(close_after_use)
    for connection in opened:
        if connection.connection is not None:
            with contextlib.suppress(Exception):
                connection.connection.close()
