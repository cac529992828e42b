"""Template helpers of the open-door pages."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..hub import week_state as state_of

register = template.Library()


@register.filter
def week_state(week) -> str:
    """Where a week stands today ("past", "running", "booking", "registration",
    "announced"), for labels: a past week never reads "bookings open"."""
    return state_of(week, timezone.localdate())
