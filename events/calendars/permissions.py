"""Which calendar sources a Wagtail user manages: those of their bassin(s), or all for
the regional team and superusers (same rule as the agenda's events)."""

from __future__ import annotations

from django.db.models import QuerySet

from events.permissions import user_bassins


def scope_sources(queryset: QuerySet, user) -> QuerySet:
    bassins = user_bassins(user)
    if bassins is None:
        return queryset
    return queryset.filter(bassins__in=bassins).distinct()


def can_manage_source(user, source) -> bool:
    bassins = user_bassins(user)
    if bassins is None:
        return True
    return bool(set(source.bassins.all()) & set(bassins))
