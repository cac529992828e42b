"""Which weeks a Wagtail user moderates: those of their bassins (``bassins.rights``)."""

from __future__ import annotations

from django.db.models import QuerySet

from bassins.rights import bassin_rights

from .models import OpenDoorWeek, Registration


def weeks_for_user(user) -> QuerySet[OpenDoorWeek]:
    return bassin_rights(user).filter(OpenDoorWeek.objects.select_related("bassin"), "bassin")


def registrations_for_user(user) -> QuerySet[Registration]:
    return Registration.objects.filter(week__in=weeks_for_user(user)).select_related(
        "week__bassin", "suggested_bassin"
    )
