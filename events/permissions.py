"""Which bassins a Wagtail user may edit and moderate events for.

Bassin teams are the groups made by ``bassins.permissions.ensure_team_groups()``
("Équipe bassin Nord", ...): a member edits the events of their bassin(s). The
regional team and superusers see everything, and only they edit region-wide events.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bassins.models import Bassin
from bassins.permissions import REGIONAL_GROUP, bassin_group_name


def user_bassins(user) -> list[Bassin] | None:
    """The user's bassins, or None when the user may act on every bassin."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    names = set(user.groups.values_list("name", flat=True))
    if REGIONAL_GROUP in names:
        return None
    return [b for b in Bassin.objects.all() if bassin_group_name(b) in names]


def scope_events(queryset: QuerySet, user) -> QuerySet:
    bassins = user_bassins(user)
    if bassins is None:
        return queryset
    return queryset.filter(Q(bassins__in=bassins)).distinct()


def can_edit_event(user, event) -> bool:
    bassins = user_bassins(user)
    if bassins is None:
        return True
    return bool(set(event.bassins.all()) & set(bassins))


def team_emails(event) -> list[str]:
    """Where to announce a new proposal: the bassins' helpdesk addresses."""
    emails = [b.helpdesk_email for b in event.bassins.all() if b.helpdesk_email]
    return emails
