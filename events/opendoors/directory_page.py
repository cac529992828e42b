"""The open-door section of a directory organisation's page (see ``directory.sections``)."""

from __future__ import annotations

from django.utils import timezone

from directory.sections import register_organisation_section

from .queries import organisation_open_door_slots, remaining_places


def organisation_open_doors_context(organisation) -> dict | None:
    """The organisation's approved slots of current and coming weeks, one query."""
    today = timezone.localdate()
    slots = organisation_open_door_slots(organisation, today)
    if not slots:
        return None
    for slot in slots:
        slot.remaining = remaining_places(slot)
        slot.booking_open = slot.registration.week.booking_open_on(today)
    return {"slots": slots}


def register() -> None:
    register_organisation_section(
        "opendoors",
        "opendoors/_directory_open_doors.html",
        organisation_open_doors_context,
        order=10,
    )
