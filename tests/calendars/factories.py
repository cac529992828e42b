"""Calendar sources and iCalendar texts for the calendars tests."""

from __future__ import annotations

from bassins.models import Bassin
from events.calendars.models import CalendarSource
from events.models import EventKind


def make_source(name="Maison médicale du Nord", *, bassins=("nord",), trusted=True, **fields):
    """A calendar source; ``language`` is a code of the spoken-language reference."""
    source = CalendarSource.objects.create(
        name=name,
        url=fields.pop("url", "https://calendar.example.org/mm-nord.ics"),
        kind=EventKind.objects.get(slug=fields.pop("kind", "formation")),
        is_trusted=trusted,
        language_id=fields.pop("language", "fr"),
        **fields,
    )
    source.bassins.set(Bassin.objects.filter(slug__in=bassins))
    return source


def vcalendar(*vevents: str, extra: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Partenaire//Test//FR", extra]
    for vevent in vevents:
        lines += ["BEGIN:VEVENT", *[x.strip() for x in vevent.strip().splitlines()], "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(line for line in lines if line) + "\r\n").encode()


WEEKLY = """
UID:weekly-1@partner
DTSTAMP:20270101T000000Z
SEQUENCE:0
SUMMARY:Groupe de parole
DTSTART;TZID=Europe/Brussels:20270315T100000
DTEND;TZID=Europe/Brussels:20270315T120000
RRULE:FREQ=WEEKLY;COUNT=5
EXDATE;TZID=Europe/Brussels:20270329T100000
LOCATION:Maison médicale, rue Haute 1
DESCRIPTION:Ouvert à toutes et tous.
"""

CANCELLED_22 = """
UID:weekly-1@partner
DTSTAMP:20270101T000000Z
RECURRENCE-ID;TZID=Europe/Brussels:20270322T100000
SUMMARY:Groupe de parole
DTSTART;TZID=Europe/Brussels:20270322T100000
DTEND;TZID=Europe/Brussels:20270322T120000
STATUS:CANCELLED
"""

MOVED_05 = """
UID:weekly-1@partner
DTSTAMP:20270101T000000Z
RECURRENCE-ID;TZID=Europe/Brussels:20270405T100000
SUMMARY:Groupe de parole (salle 2)
DTSTART;TZID=Europe/Brussels:20270406T140000
DTEND;TZID=Europe/Brussels:20270406T160000
LOCATION:Salle 2
"""

SINGLE = """
UID:single-1@partner
DTSTAMP:20270101T000000Z
SUMMARY:Conférence santé
DTSTART:20270510T120000Z
DTEND:20270510T140000Z
DESCRIPTION:<p>Inscription <b>gratuite</b> &amp; ouverte</p><p>Bienvenue</p>
"""
