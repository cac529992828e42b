"""Personal data of open-door weeks: organisations' contact people, visitors'
appreciation comments, and everything held about one address (bookings of visits and
registrations for agenda dates alike: one ``Booking`` table).

Visitors' bookings have their own purge (``services.erase_expired_visitor_data``,
``OPENDOORS_VISITOR_RETENTION_MONTHS``, counted from the end of the week or from the
agenda date); the rules here use the same clock: the end of the week.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from core.privacy import PersonalDataSource, RetentionRule, register_retention, register_source

from .models import AppreciationResponse, Booking, Registration
from .services import erase_booking


def erase_registration_contacts(cutoff: datetime.datetime) -> int:
    """Blank the contact person of registrations to weeks that ended before ``cutoff``."""
    return (
        Registration.objects.filter(week__end_date__lt=cutoff.date())
        .exclude(contact_name="", contact_email="", contact_phone="")
        .update(contact_name="", contact_email="", contact_phone="")
    )


def anonymise_appreciations(cutoff: datetime.datetime) -> int:
    """Unlink answers of weeks that ended before ``cutoff`` from their booking and blank
    the free comment; the ratings stay for the statistics."""
    return (
        AppreciationResponse.objects.filter(week__end_date__lt=cutoff.date())
        .filter(Q(booking__isnull=False) | ~Q(comment=""))
        .update(booking=None, comment="")
    )


def find_opendoors_data(email: str) -> list[str]:
    email = email.strip()
    lines = [
        f"Registration #{r.pk} of '{r.organisation_name}' to {r.week}: contact "
        f"'{r.contact_name}' <{r.contact_email}> {r.contact_phone}".rstrip()
        for r in Registration.objects.filter(contact_email__iexact=email).select_related("week")
    ]
    bookings = Booking.objects.filter(email__iexact=email).select_related(
        "slot__registration", "occurrence__event", "event"
    )
    for booking in bookings:
        lines.append(
            f"Booking #{booking.pk} ({booking.status}) of '{booking.name}' "
            f"({booking.organisation}, {booking.profession}) on {booking.occasion}"
        )
        appreciation = AppreciationResponse.objects.filter(booking=booking).first()
        if appreciation:
            lines.append(
                f"Appreciation #{appreciation.pk} of booking #{booking.pk}: "
                f"rating {appreciation.rating}, comment '{appreciation.comment}'"
            )
    return lines


def erase_opendoors_data(email: str) -> int:
    email = email.strip()
    changed = Registration.objects.filter(contact_email__iexact=email).update(
        contact_name="", contact_email="", contact_phone=""
    )
    bookings = list(Booking.objects.filter(email__iexact=email))
    changed += AppreciationResponse.objects.filter(booking__in=bookings).update(
        booking=None, comment=""
    )
    for booking in bookings:
        erase_booking(booking, notify=False)
    return changed + len(bookings)


register_retention(
    RetentionRule(
        name="opendoors.registration_contacts",
        setting="OPENDOORS_CONTACT_RETENTION_MONTHS",
        unit="months",
        purge=erase_registration_contacts,
        description="organisations' contact person (name, address, phone) blanked, "
        "counted from the end of the week",
    ),
    RetentionRule(
        name="opendoors.appreciation_comments",
        setting="OPENDOORS_APPRECIATION_RETENTION_MONTHS",
        unit="months",
        purge=anonymise_appreciations,
        description="appreciation answers unlinked from the visitor and comments blanked, "
        "counted from the end of the week",
    ),
)
register_source(
    PersonalDataSource("opendoors", find=find_opendoors_data, erase=erase_opendoors_data)
)
