"""Demo data relative to today: one week open for booking now, with approved
organisations and slots (one nearly full, one full with a waiting list).
Everything is marked ``is_demo``."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bassins.models import Bassin, Theme
from bassins.queries import spoken_languages

from .models import (
    Booking,
    BookingStatus,
    OpenDoorWeek,
    Registration,
    RegistrationStatus,
    Slot,
)
from .reference import week_values

DEMO_ORGANISATIONS = [
    (
        "Maison médicale Esseghem (démo)",
        "Rue Esseghem 10",
        "1090",
        "Jette",
        "L'accueil, les consultations sans rendez-vous et le travail en équipe pluridisciplinaire.",
        ["fr", "nl"],
        ["sante-mentale"],
    ),
    (
        "CPAS de Koekelberg — service social (démo)",
        "Rue de l'Église Sainte-Anne 1",
        "1081",
        "Koekelberg",
        "Les permanences sociales et l'orientation vers les aides du CPAS.",
        ["fr"],
        ["logement", "dettes"],
    ),
    (
        "Lokaal dienstencentrum Laken (demo)",
        "Rue Marie-Christine 100",
        "1020",
        "Laeken",
        "Les activités collectives pour les aîné·es et le repas de midi.",
        ["nl", "fr"],
        ["alimentation"],
    ),
]


@transaction.atomic
def load(today: datetime.date, log=print) -> int:
    bassin = Bassin.objects.filter(slug="nord").first()
    if bassin is None:
        log("opendoors demo: load the reference data first")
        return 0
    start = today + datetime.timedelta(days=14 - today.weekday())  # a Monday in ~2 weeks
    end = start + datetime.timedelta(days=4)
    values = week_values(bassin, "Babbel No·o·rd (démo)", "Babbel No·o·rd (demo)", start, end)
    values |= {
        "slug": "demo-nord",
        "registration_opens": today - datetime.timedelta(days=40),
        "registration_closes": today - datetime.timedelta(days=2),
        "booking_opens": today - datetime.timedelta(days=1),
        "booking_closes": end - datetime.timedelta(days=1),
        "is_demo": True,
    }
    week = OpenDoorWeek.objects.filter(slug="demo-nord").first()
    if week is not None:
        if not week.is_demo:
            return 0
        week.registrations.all().delete()
        for name, value in values.items():
            setattr(week, name, value)
        week.save()
    else:
        week = OpenDoorWeek.objects.create(**values)
    changes = 1
    themes = {t.slug: t for t in Theme.objects.all()}
    now = timezone.now()
    for index, (name, street, code, city, discover, languages, theme_slugs) in enumerate(
        DEMO_ORGANISATIONS
    ):
        registration = Registration.objects.create(
            week=week,
            organisation_name=name,
            contact_name="Contact démo",
            contact_email=f"demo{index}@example.org",
            street=street,
            postal_code=code,
            city=city,
            discover=discover,
            suggested_bassin=bassin,
            status=RegistrationStatus.APPROVED,
            email_confirmed_at=now,
            is_demo=True,
        )
        registration.themes.set([themes[s] for s in theme_slugs if s in themes])
        registration.languages.set(spoken_languages(languages))
        for day in (0, 2):
            for start_time, end_time, capacity in ((9, 12, 8), (14, 17, 2 + index)):
                Slot.objects.create(
                    registration=registration,
                    date=start + datetime.timedelta(days=day + index),
                    start_time=datetime.time(start_time),
                    end_time=datetime.time(end_time),
                    capacity=capacity,
                )
                changes += 1
    full_slot = Slot.objects.filter(registration__week=week, capacity=2).first()
    for n in range(3):
        Booking.objects.create(
            slot=full_slot,
            status=BookingStatus.CONFIRMED if n < 2 else BookingStatus.WAITLISTED,
            name=f"Visiteur·euse démo {n + 1}",
            email=f"visiteur{n + 1}.demo@example.org",
            organisation="Démo",
            profession="Assistant·e social·e",
            consent_at=now,
            is_demo=True,
        )
        changes += 1
    log(f"opendoors demo: week {week.slug} from {start} with {changes} change(s)")
    return changes
