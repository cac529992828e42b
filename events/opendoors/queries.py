"""Reads shared by the programme page, its print version, the iCal feed and the admin."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bassins.models import Theme

from .forms import LANGUAGE_CHOICES
from .models import (
    Booking,
    BookingStatus,
    OpenDoorWeek,
    Registration,
    RegistrationStatus,
    Slot,
    SlotFormat,
)


def public_weeks(today: datetime.date | None = None) -> QuerySet[OpenDoorWeek]:
    """Published weeks, the current and coming ones first then the past ones."""
    return OpenDoorWeek.objects.filter(is_published=True).select_related("bassin")


def programme_slots(week: OpenDoorWeek) -> QuerySet[Slot]:
    """Approved slots of a week with their confirmed and waiting counts (constant queries)."""
    return (
        Slot.objects.filter(
            registration__week=week, registration__status=RegistrationStatus.APPROVED
        )
        .select_related("registration", "registration__commune")
        .prefetch_related(Prefetch("registration__themes", queryset=Theme.objects.all()))
        .annotate(
            confirmed_count=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
        )
        .order_by("date", "start_time", "registration__organisation_name", "pk")
    )


def remaining_places(slot: Slot) -> int:
    confirmed = getattr(slot, "confirmed_count", None)
    if confirmed is None:
        confirmed = slot.bookings.filter(status=BookingStatus.CONFIRMED).count()
    return max(slot.capacity - confirmed, 0)


class ProgrammeFilter(django_filters.FilterSet):
    """Filters of the programme page: day, commune, theme, language, format."""

    day = django_filters.ChoiceFilter(label=_("Jour"), field_name="date", method="filter_day")
    commune = django_filters.ChoiceFilter(label=_("Commune"), method="filter_commune")
    theme = django_filters.ModelChoiceFilter(
        label=_("Thématique"),
        field_name="registration__themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
    )
    language = django_filters.ChoiceFilter(
        label=_("Langue"), choices=LANGUAGE_CHOICES, method="filter_language"
    )
    format = django_filters.ChoiceFilter(label=_("Format"), choices=SlotFormat.choices)

    class Meta:
        model = Slot
        fields: list[str] = []

    def __init__(self, *args, week: OpenDoorWeek, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["day"].extra["choices"] = [
            (day.isoformat(), formats.date_format(day, "l j F")) for day in week.days()
        ]
        self.filters["commune"].extra["choices"] = [
            (code, code)
            for code in Registration.objects.filter(week=week, status=RegistrationStatus.APPROVED)
            .order_by("postal_code")
            .values_list("postal_code", flat=True)
            .distinct()
        ]

    def filter_day(self, queryset, name, value):
        return queryset.filter(date=value) if value else queryset

    def filter_commune(self, queryset, name, value):
        return queryset.filter(registration__postal_code=value) if value else queryset

    def filter_language(self, queryset, name, value):
        if not value:
            return queryset
        # JSON "contains" is not portable to SQLite: match the stored list's text.
        return queryset.filter(registration__languages__icontains=f'"{value}"')


def waiting_position(booking: Booking) -> int | None:
    """1 for the first person on the slot's waiting list; None when not waiting."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = Booking.objects.filter(slot_id=booking.slot_id, status=BookingStatus.WAITLISTED).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def slot_attendees(slot_ids) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(slot_id__in=slot_ids)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot")
        .order_by("slot__date", "slot__start_time", "slot_id", "status", "created_at", "pk")
    )


def appreciation_totals(week: OpenDoorWeek) -> dict:
    """Simple totals the bassin team sees: answers, average rating, yes counts."""
    from django.db.models import Avg

    answers = week.appreciations.all()
    totals = answers.aggregate(
        count=Count("pk"),
        average=Avg("rating"),
        useful=Count("pk", filter=Q(useful=True)),
        come_again=Count("pk", filter=Q(come_again=True)),
    )
    totals["by_rating"] = {
        row["rating"]: row["n"]
        for row in answers.values("rating").annotate(n=Count("pk")).order_by("rating")
    }
    return totals


def week_for_today(today: datetime.date | None = None) -> OpenDoorWeek | None:
    today = today or timezone.localdate()
    return public_weeks().filter(end_date__gte=today).order_by("start_date").first()
