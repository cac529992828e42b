"""CSV exports of attendees: a slot's (for hosts through their link, and for bassin
teams) and an agenda event's registrations, per date or for the whole series (for its
organiser and bassin teams)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csvfiles import csv_response


def attendees_csv_response(bookings, filename: str) -> HttpResponse:
    header = [
        _("Jour"),
        _("Début"),
        _("Fin"),
        _("Statut"),
        _("Nom"),
        _("Organisation"),
        _("Profession"),
        _("E-mail"),
        _("Téléphone"),
    ]
    rows = (
        [
            booking.slot.date.isoformat(),
            booking.slot.start_time.strftime("%H:%M"),
            booking.slot.end_time.strftime("%H:%M"),
            booking.get_status_display(),
            booking.name,
            booking.organisation,
            booking.profession,
            booking.email,
            booking.phone,
        ]
        for booking in bookings
    )
    return csv_response(filename, header, rows)


def _date_and_time(booking, whole_series: str) -> list[str]:
    """A date's day and start time; a series registration's "toute la série" (its dates
    are the event's)."""
    if booking.occurrence_id is None:
        return [whole_series, ""]
    start = timezone.localtime(booking.occurrence.start)
    return [start.date().isoformat(), start.strftime("%H:%M")]


def event_attendees_csv_response(event, bookings, filename: str) -> HttpResponse:
    header = [
        _("Événement"),
        _("Date"),
        _("Début"),
        _("Statut"),
        _("Nom"),
        _("Organisation"),
        _("Profession"),
        _("E-mail"),
        _("Téléphone"),
    ]
    whole_series = _("toute la série")
    rows = (
        [
            event.title,
            *_date_and_time(booking, whole_series),
            booking.get_status_display(),
            booking.name,
            booking.organisation,
            booking.profession,
            booking.email,
            booking.phone,
        ]
        for booking in bookings
    )
    return csv_response(filename, header, rows)
