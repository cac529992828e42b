"""CSV export of a slot's attendees (for hosts through their link, and for bassin teams)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils.translation import gettext as _


def attendees_csv_response(bookings, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
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
    )
    for booking in bookings:
        slot = booking.slot
        writer.writerow(
            [
                slot.date.isoformat(),
                slot.start_time.strftime("%H:%M"),
                slot.end_time.strftime("%H:%M"),
                booking.get_status_display(),
                booking.name,
                booking.organisation,
                booking.profession,
                booking.email,
                booking.phone,
            ]
        )
    return response
