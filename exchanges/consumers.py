"""WebSocket consumer: a viewer of a channel receives its new and removed messages.

The consumer only relays: messages are posted over HTTP (the same form that works
without JavaScript) and rendered once per language and role in ``live``.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import queries


def _subscription(user, slug: str):
    """(group, role) for a viewer allowed to read the channel, else None."""
    viewer = queries.viewer_for(user)
    channel = queries.channel_for(viewer, slug)
    if channel is None or not (viewer.is_member or viewer.can_moderate(channel)):
        return None
    return channel.group_name, "moderator" if viewer.can_moderate(channel) else "member"


class ChannelConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        slug = self.scope["url_route"]["kwargs"]["slug"]
        subscription = await database_sync_to_async(_subscription)(user, slug) if user else None
        if subscription is None:
            await self.close(code=4403)
            return
        self.group, role = subscription
        query = parse_qs(self.scope.get("query_string", b"").decode())
        language = "nl" if query.get("lang") == ["nl"] else "fr"
        self.variant = f"{language}:{role}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # Clients only listen; "ping" keeps proxies from closing an idle socket.
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def message_published(self, event):
        await self.send_json(
            {
                "type": "published",
                "id": event["id"],
                "parent": event["parent"],
                "html": event["html"][self.variant],
            }
        )

    async def message_removed(self, event):
        await self.send_json({"type": "removed", "id": event["id"]})
