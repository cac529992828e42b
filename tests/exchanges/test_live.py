"""Live updates over WebSocket: a member viewing a channel receives new messages in
their language and sees hidden ones disappear; others cannot subscribe."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from exchanges import queries, services
from maillage.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def run(scenario) -> None:
    """Runs the coroutine function in a thread of its own: the test's main thread may
    already hold an event loop (Playwright's, once a browser test ran in the session)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, scenario()).result()


def communicator(user, slug, language="fr"):
    """Built outside the event loop: logging in writes a session to the database."""
    return WebsocketCommunicator(
        application,
        f"/ws/echanges/{slug}/?lang={language}",
        headers=[(b"cookie", session_cookie(user).encode()), (b"origin", b"http://testserver")],
    )


def test_a_new_message_reaches_a_connected_member_in_their_language_then_disappears(
    people, channels
):
    viewer = communicator(people["member_a2"].user, "sud-sante-mentale", "nl")

    async def scenario():
        connected, _ = await viewer.connect()
        assert connected
        message = await database_sync_to_async(services.post_message)(
            people["member_a"], channels["sud"], "Un conseil pour tout le monde"
        )
        event = await viewer.receive_json_from(timeout=5)
        assert event["type"] == "published" and event["id"] == message.pk
        assert "Un conseil pour tout le monde" in event["html"]
        assert "Melden" in event["html"]  # Dutch interface
        moderator = await database_sync_to_async(queries.viewer_for)(people["moderator"])
        await database_sync_to_async(services.moderate_message)(
            moderator, message, "hide", "hors charte"
        )
        event = await viewer.receive_json_from(timeout=5)
        assert event == {"type": "removed", "id": message.pk}
        await viewer.disconnect()

    run(scenario)


def test_members_of_another_bassin_and_anonymous_visitors_cannot_subscribe(people, channels):
    outsider = communicator(people["member_b"].user, "sud-sante-mentale")
    anonymous = WebsocketCommunicator(
        application,
        "/ws/echanges/sud-sante-mentale/",
        headers=[(b"origin", b"http://testserver")],
    )

    async def scenario():
        connected, code = await outsider.connect()
        assert not connected and code == 4403
        connected, code = await anonymous.connect()
        assert not connected and code == 4403

    run(scenario)
