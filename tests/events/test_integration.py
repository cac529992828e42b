"""PostgreSQL + Redis: the feed cache and its version live in Redis, shared by processes."""

import subprocess
import sys

import pytest

from tests.conftest import worker_environment

from .factories import body, local, make_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_feed_version_is_shared_through_redis(
    client, require_postgres, require_redis, agenda_reference
):
    from django.core.cache import cache

    from events.version import VERSION_KEY

    make_event(
        "Série partagée",
        bassins=["nord"],
        start=local(2027, 2, 2, 10, 0),
        rule="RRULE:FREQ=WEEKLY;COUNT=3",
    )
    first = client.get("/feeds/nord.ics")
    etag = first["ETag"]
    assert client.get("/feeds/nord.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Another process (as a second web worker would) edits an event through the services.
    code = (
        "import django; django.setup();"
        "from events.models import Event; from events import services;"
        "e = Event.objects.get(title_fr='Série partagée'); e.title_fr = 'Série modifiée';"
        "services.save_event(e)"
    )
    env = worker_environment()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert cache.get(VERSION_KEY) is not None
    again = client.get("/feeds/nord.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "Série modifiée" in body(again).decode()
