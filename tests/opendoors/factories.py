"""Small builders for open-door tests (plain functions; they do not need the reference data
and do not collide with it)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from bassins.models import Bassin, Language
from events.opendoors.models import OpenDoorWeek, Registration, RegistrationStatus, Slot

_counter = itertools.count(1)


def bassin(slug: str = "nord") -> Bassin:
    found = Bassin.objects.filter(slug=slug).first()
    if found:
        return found
    return Bassin.objects.create(
        slug=slug,
        name_fr=slug.title(),
        name_nl=slug.title(),
        population=1000,
        population_date=datetime.date(2024, 1, 1),
    )


def week(today: datetime.date | None = None, *, bookable: bool = True, **values) -> OpenDoorWeek:
    """A week 10 days from today; booking open now when ``bookable``."""
    today = today or timezone.localdate()
    n = next(_counter)
    start = today + datetime.timedelta(days=10)
    defaults = {
        "bassin": values.pop("bassin", None) or bassin(),
        "year": 3000 + n,  # one week per bassin and year: clear of the reference 2025 weeks
        "slug": f"semaine-{n}",
        "name_fr": f"Semaine test {n}",
        "name_nl": f"Testweek {n}",
        "description_fr": "Découvrez les services du bassin.",
        "description_nl": "Ontdek de diensten van de zorgzone.",
        "start_date": start,
        "end_date": start + datetime.timedelta(days=4),
        "registration_opens": today - datetime.timedelta(days=30),
        "registration_closes": today - datetime.timedelta(days=1)
        if bookable
        else today + datetime.timedelta(days=3),
        "booking_opens": today - datetime.timedelta(days=1)
        if bookable
        else today + datetime.timedelta(days=4),
        "booking_closes": start + datetime.timedelta(days=3),
    }
    defaults.update(values)
    return OpenDoorWeek.objects.create(**defaults)


def registration(the_week: OpenDoorWeek, *, status=RegistrationStatus.APPROVED, **values):
    defaults = {
        "organisation_name": "Maison médicale du Canal",
        "contact_name": "Alex Hôte",
        "contact_email": "hote@example.org",
        "street": "Rue du Canal 1",
        "postal_code": "1080",
        "city": "Molenbeek-Saint-Jean",
        "discover": "Notre accueil sans rendez-vous et le travail en équipe.",
        "status": status,
    }
    defaults.update(values)
    languages = defaults.pop("languages", ["fr", "nl"])
    created = Registration.objects.create(week=the_week, **defaults)
    created.languages.set(Language.objects.filter(code__in=languages))
    return created


def slot(capacity: int = 5, *, the_week=None, the_registration=None, day_offset=0, **values):
    the_week = the_week or (the_registration.week if the_registration else week())
    the_registration = the_registration or registration(the_week)
    defaults = {
        "date": the_week.start_date + datetime.timedelta(days=day_offset),
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(12, 0),
        "capacity": capacity,
    }
    defaults.update(values)
    return Slot.objects.create(registration=the_registration, **defaults)
