"""Which events a Wagtail user may edit and moderate.

An event belongs to one or more bassins (none: region-wide). A bassin team edits
the events of its bassin(s), the regional team and superusers edit every event, and
only they edit region-wide events. The bassins come from ``bassins.rights``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from bassins.rights import bassin_rights


def scope_events(queryset: QuerySet, user) -> QuerySet:
    rights = bassin_rights(user)
    if rights.regional:
        return queryset
    return rights.filter(queryset, "bassins").distinct()


def can_edit_event(user, event) -> bool:
    return bassin_rights(user).allows_any(event.bassins.all())


def team_emails(event) -> list[str]:
    """Where to announce a new proposal: the bassins' helpdesk addresses."""
    emails = [b.helpdesk_email for b in event.bassins.all() if b.helpdesk_email]
    return emails
