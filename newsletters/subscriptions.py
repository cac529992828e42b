"""Subscribing (double opt-in), preferences and unsubscribing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.mail import normalise_email, send_transactional

from . import links
from .models import Subscriber, SubscriberStatus


@transaction.atomic
def request_subscription(email: str, language: str, bassins, digest_bassins) -> Subscriber:
    """Record what a person asked for and e-mail the confirmation link.

    A pending (or unsubscribed) address gets the new choices and a fresh link; an
    active one keeps its choices (anyone may type any address) and gets a link to
    its preferences instead. The page shown is the same in every case, so the form
    does not reveal who is subscribed.
    """
    email = normalise_email(email)
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language}
    )
    if subscriber.status == SubscriberStatus.ACTIVE:
        _send_already_subscribed(subscriber)
        return subscriber
    subscriber.language = language
    subscriber.status = SubscriberStatus.PENDING
    subscriber.save(update_fields=["language", "status"])
    subscriber.bassins.set(bassins)
    subscriber.digest_bassins.set(digest_bassins)
    _send_confirmation(subscriber)
    return subscriber


def _send_confirmation(subscriber: Subscriber) -> None:
    send_transactional(
        "newsletters/email/confirm",
        {"subscriber": subscriber, "confirm_url": links.confirm_url(subscriber)},
        [subscriber.email],
        subscriber.language,
    )


def _send_already_subscribed(subscriber: Subscriber) -> None:
    send_transactional(
        "newsletters/email/already_subscribed",
        {"subscriber": subscriber, "preferences_url": links.preferences_url(subscriber)},
        [subscriber.email],
        subscriber.language,
    )


def send_preferences_link(email: str) -> bool:
    """E-mail the preferences link to a known address; silent for unknown ones."""
    subscriber = Subscriber.objects.filter(email=normalise_email(email)).first()
    if subscriber is None or subscriber.suppressed_at:
        return False
    _send_already_subscribed(subscriber)
    return True


def confirm(subscriber: Subscriber) -> bool:
    """Activate a pending subscription. True when it changed something."""
    if subscriber.status == SubscriberStatus.ACTIVE:
        return False
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return True


@transaction.atomic
def update_preferences(subscriber: Subscriber, language: str, bassins, digest_bassins) -> None:
    subscriber.language = language
    fields = ["language"]
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED and (bassins or digest_bassins):
        # Choosing lists again from a signed link is a fresh, confirmed consent.
        subscriber.status = SubscriberStatus.ACTIVE
        subscriber.unsubscribed_at = None
        fields += ["status", "unsubscribed_at"]
    subscriber.save(update_fields=fields)
    subscriber.bassins.set(bassins)
    subscriber.digest_bassins.set(digest_bassins)


def unsubscribe(subscriber: Subscriber) -> bool:
    """Stop every list for this address. Idempotent."""
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=SubscriberStatus.UNSUBSCRIBED)
        .update(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )
    subscriber.bassins.clear()
    subscriber.digest_bassins.clear()
    return bool(changed)
