"""Personal data of subscribers: retention and the right of access and erasure.

Deleting a subscriber also deletes their ``Delivery`` rows, so the send report of an
old mailing counts only the recipients still known.
"""

from __future__ import annotations

import datetime

from core.privacy import PersonalDataSource, RetentionRule, register_retention, register_source

from .models import Subscriber, SubscriberStatus


def delete_unconfirmed_subscribers(cutoff: datetime.datetime) -> int:
    """Addresses that never confirmed their subscription, signed up before ``cutoff``."""
    expired = Subscriber.objects.filter(status=SubscriberStatus.PENDING, created_at__lt=cutoff)
    return expired.delete()[1].get(Subscriber._meta.label, 0)


def delete_unsubscribed_subscribers(cutoff: datetime.datetime) -> int:
    """Addresses that unsubscribed before ``cutoff``."""
    expired = Subscriber.objects.filter(
        status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at__lt=cutoff
    )
    return expired.delete()[1].get(Subscriber._meta.label, 0)


def find_subscriber(email: str) -> list[str]:
    return [
        f"Subscriber #{s.pk} <{s.email}>: {s.status}, language {s.language}, "
        f"signed up {s.created_at:%Y-%m-%d}, "
        f"bassins {sorted(s.bassins.values_list('slug', flat=True))}, "
        f"digest {sorted(s.digest_bassins.values_list('slug', flat=True))}, "
        f"{s.deliveries.count()} deliveries"
        for s in Subscriber.objects.filter(email__iexact=email.strip())
    ]


def erase_subscriber(email: str) -> int:
    return (
        Subscriber.objects.filter(email__iexact=email.strip())
        .delete()[1]
        .get(Subscriber._meta.label, 0)
    )


register_retention(
    RetentionRule(
        name="newsletters.unconfirmed_subscribers",
        setting="NEWSLETTER_UNCONFIRMED_RETENTION_DAYS",
        unit="days",
        purge=delete_unconfirmed_subscribers,
        description="never-confirmed subscribers deleted, counted from the sign-up",
    ),
    RetentionRule(
        name="newsletters.unsubscribed_subscribers",
        setting="NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS",
        unit="days",
        purge=delete_unsubscribed_subscribers,
        description="unsubscribed subscribers deleted, counted from the unsubscription",
    ),
)
register_source(
    PersonalDataSource("newsletters.subscribers", find=find_subscriber, erase=erase_subscriber)
)
