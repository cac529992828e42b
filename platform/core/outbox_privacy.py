"""The transactional-mail outbox as a personal-data source: its rows carry the
recipient's address (and, until sent, the message) for
``TRANSACTIONAL_EMAIL_RETENTION_DAYS``. Apart from ``core.privacy`` because that module
is loaded by the logging configuration, before the models can be imported."""

from __future__ import annotations

from .models import OutboundEmail
from .privacy import PersonalDataSource, register_source


def find_outbound_emails(email: str) -> list[str]:
    return [
        f"E-mail #{row.pk} ({row.template}) to <{row.recipient}>: {row.status}, "
        f"queued {row.created_at:%Y-%m-%d}"
        for row in OutboundEmail.objects.filter(recipient__iexact=email.strip())
    ]


def erase_outbound_emails(email: str) -> int:
    deleted = OutboundEmail.objects.filter(recipient__iexact=email.strip()).delete()
    return deleted[1].get(OutboundEmail._meta.label, 0)


register_source(
    PersonalDataSource(
        name="core.outbound_emails", find=find_outbound_emails, erase=erase_outbound_emails
    )
)
