"""Personal data in the directory: who reported an error or proposed a change, and the
people named as contacts or maintainers of an entry."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.db.models.functions import Coalesce

from core.privacy import PersonalDataSource, RetentionRule, register_retention, register_source

from .models import ChangeRequest, Contact, Maintainer, Organisation, Service


def erase_report_addresses(cutoff: datetime.datetime) -> int:
    """Blank the submitter's address of requests reviewed (or left pending) before
    ``cutoff``; the request itself stays as the entry's history."""
    return (
        ChangeRequest.objects.exclude(submitter_email="")
        .annotate(settled_at=Coalesce("reviewed_at", "created_at"))
        .filter(settled_at__lt=cutoff)
        .update(submitter_email="")
    )


def find_directory_data(email: str) -> list[str]:
    email = email.strip()
    lines = [
        f"Change request #{r.pk} ({r.kind}, {r.status}) on '{r.organisation}', "
        f"{r.created_at:%Y-%m-%d}: submitter address"
        for r in ChangeRequest.objects.filter(submitter_email__iexact=email).select_related(
            "organisation"
        )
    ]
    lines += [
        f"Contact #{c.pk} '{c.name}' of '{c.organisation}'"
        for c in Contact.objects.filter(email__iexact=email).select_related("organisation")
    ]
    for organisation in Organisation.objects.filter(
        Q(email__iexact=email) | Q(maintainers__email__iexact=email)
    ).distinct():
        lines.append(f"Organisation '{organisation}': public or maintainer address")
    lines += [
        f"Service '{s}' of '{s.organisation}': public address"
        for s in Service.objects.filter(email__iexact=email).select_related("organisation")
    ]
    return lines


def erase_directory_data(email: str) -> int:
    email = email.strip()
    changed = ChangeRequest.objects.filter(submitter_email__iexact=email).update(submitter_email="")
    changed += Contact.objects.filter(email__iexact=email).delete()[1].get(Contact._meta.label, 0)
    changed += (
        Maintainer.objects.filter(email__iexact=email).delete()[1].get(Maintainer._meta.label, 0)
    )
    changed += Organisation.objects.filter(email__iexact=email).update(email="")
    changed += Service.objects.filter(email__iexact=email).update(email="")
    return changed


register_retention(
    RetentionRule(
        name="directory.report_addresses",
        setting="DIRECTORY_REPORT_EMAIL_RETENTION_DAYS",
        unit="days",
        purge=erase_report_addresses,
        description="addresses of people who reported an error or proposed a change "
        "blanked, counted from the review (or the report while unreviewed)",
    )
)
register_source(
    PersonalDataSource("directory", find=find_directory_data, erase=erase_directory_data)
)
