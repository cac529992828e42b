"""Open-door pieces other apps' templates show (the directory's organisation page)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..queries import organisation_open_door_slots, remaining_places

register = template.Library()


@register.inclusion_tag("opendoors/_directory_open_doors.html")
def organisation_open_doors(organisation) -> dict:
    """The organisation's approved slots of current and coming weeks, one query."""
    today = timezone.localdate()
    slots = organisation_open_door_slots(organisation, today)
    for slot in slots:
        slot.remaining = remaining_places(slot)
        slot.booking_open = slot.registration.week.booking_open_on(today)
    return {"slots": slots}
