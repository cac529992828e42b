"""Personal data of people who proposed an event: retention, access and erasure."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from core.privacy import PersonalDataSource, RetentionRule, register_retention, register_source

from .models import Event, EventStatus, Occurrence


def delete_unconfirmed_proposals(cutoff: datetime.datetime) -> int:
    """Proposals whose author never confirmed their address, made before ``cutoff``."""
    expired = Event.objects.filter(status=EventStatus.UNCONFIRMED, created_at__lt=cutoff)
    return expired.delete()[1].get(Event._meta.label, 0)


def erase_proposer_contacts(cutoff: datetime.datetime) -> int:
    """Blank the proposer's name and address of events over before ``cutoff`` (every
    occurrence ended) and of proposals refused before ``cutoff``."""
    later_occurrence = Occurrence.objects.filter(event=OuterRef("pk"), end__gte=cutoff)
    over = Q(end_date__lt=cutoff.date()) & ~Exists(later_occurrence)
    refused = Q(status=EventStatus.REJECTED, moderated_at__lt=cutoff)
    return (
        Event.objects.exclude(proposer_name="", proposer_email="")
        .filter(over | refused)
        .update(proposer_name="", proposer_email="")
    )


def find_event_data(email: str) -> list[str]:
    email = email.strip()
    lines = [
        f"Event #{e.pk} '{e.title_fr}' ({e.status}, {e.start_date}): proposed by "
        f"'{e.proposer_name}' <{e.proposer_email}>"
        for e in Event.objects.filter(proposer_email__iexact=email)
    ]
    lines += [
        f"Event #{e.pk} '{e.title_fr}' ({e.status}, {e.start_date}): contact address"
        for e in Event.objects.filter(contact_email__iexact=email)
    ]
    return lines


def erase_event_data(email: str) -> int:
    email = email.strip()
    unconfirmed = Event.objects.filter(proposer_email__iexact=email, status=EventStatus.UNCONFIRMED)
    changed = unconfirmed.delete()[1].get(Event._meta.label, 0)
    changed += Event.objects.filter(proposer_email__iexact=email).update(
        proposer_name="", proposer_email=""
    )
    changed += Event.objects.filter(contact_email__iexact=email).update(contact_email="")
    return changed


register_retention(
    RetentionRule(
        name="events.unconfirmed_proposals",
        setting="EVENTS_UNCONFIRMED_PROPOSAL_RETENTION_DAYS",
        unit="days",
        purge=delete_unconfirmed_proposals,
        description="proposals never confirmed by e-mail deleted, counted from the proposal",
    ),
    RetentionRule(
        name="events.proposer_contacts",
        setting="EVENTS_PROPOSER_RETENTION_MONTHS",
        unit="months",
        purge=erase_proposer_contacts,
        description="proposer's name and address blanked, counted from the event's last "
        "occurrence (or from the refusal)",
    ),
)
register_source(PersonalDataSource("events", find=find_event_data, erase=erase_event_data))
