"""Live updates: what viewers of a channel receive through the channel layer.

A change is rendered once per language and role (member / moderator) when it is
published, then sent to the channel's group; each WebSocket consumer picks the
variant for its viewer. Nothing is sent before the transaction commits.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Message


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def render_variants(message: Message) -> dict[str, str]:
    """The message's HTML as members and moderators see it, in each language."""
    variants = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for role in ("member", "moderator"):
                variants[f"{language}:{role}"] = render_to_string(
                    "exchanges/_message.html",
                    {"message": message, "live": True, "can_moderate": role == "moderator"},
                )
    return variants


def message_published(message: Message) -> None:
    group = message.channel.group_name

    def send():
        _send(
            group,
            {
                "type": "message.published",
                "id": message.pk,
                "parent": message.parent_id,
                "html": render_variants(message),
            },
        )

    transaction.on_commit(send)


def message_removed(message: Message) -> None:
    group, pk = message.channel.group_name, message.pk
    transaction.on_commit(lambda: _send(group, {"type": "message.removed", "id": pk}))
