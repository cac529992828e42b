"""Which weeks a Wagtail user moderates: their bassin team's, or all for the regional team."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import OpenDoorWeek, Registration

REGIONAL_GROUP = "Équipe régionale"


def weeks_for_user(user) -> QuerySet[OpenDoorWeek]:
    weeks = OpenDoorWeek.objects.select_related("bassin")
    if not user.is_authenticated:
        return weeks.none()
    if user.is_superuser or user.groups.filter(name=REGIONAL_GROUP).exists():
        return weeks
    group_names = list(user.groups.values_list("name", flat=True))
    bassin_names = [name.removeprefix("Équipe bassin ") for name in group_names]
    return weeks.filter(
        Q(team__in=user.groups.all()) | Q(team__isnull=True, bassin__name_fr__in=bassin_names)
    )


def registrations_for_user(user) -> QuerySet[Registration]:
    return Registration.objects.filter(week__in=weeks_for_user(user)).select_related(
        "week__bassin", "suggested_bassin"
    )
