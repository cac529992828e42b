"""Reads shared by the programme page, its print version, the iCal feed and the admin."""

from __future__ import annotations

import datetime
import uuid

import django_filters
from django.db.models import (
    Avg,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bassins.models import PostalCode, Theme
from bassins.queries import language_choices
from core.i18n import localized
from directory.models import Location, Organisation
from directory.queries import Criteria, search_services
from events.models import Event, EventStatus, Occurrence, OccurrenceStatus, RegistrationMode

from .models import (
    Booking,
    BookingStatus,
    OpenDoorWeek,
    Registration,
    RegistrationStatus,
    Slot,
    SlotFormat,
)


def public_weeks() -> QuerySet[OpenDoorWeek]:
    """Published weeks (with their bassin)."""
    return OpenDoorWeek.objects.filter(is_published=True).select_related("bassin")


def programme_slots(week: OpenDoorWeek) -> QuerySet[Slot]:
    """Approved slots of a week with their confirmed and waiting counts (constant queries)."""
    return (
        Slot.objects.filter(
            registration__week=week, registration__status=RegistrationStatus.APPROVED
        )
        .select_related(
            "registration", "registration__commune", "registration__directory_organisation"
        )
        .prefetch_related(
            Prefetch("registration__themes", queryset=Theme.objects.all()),
            "registration__languages",
        )
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
        label=_("Langue"), choices=language_choices, field_name="registration__languages__code"
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
        codes = list(
            Registration.objects.filter(week=week, status=RegistrationStatus.APPROVED)
            .order_by("postal_code")
            .values_list("postal_code", flat=True)
            .distinct()
        )
        # Communes by name ("Schaerbeek (1030)"), as people know them, in their language.
        names = {pc.code: pc.tr("name") for pc in PostalCode.objects.filter(code__in=codes)}
        self.filters["commune"].extra["choices"] = sorted(
            ((code, f"{names[code]} ({code})" if code in names else code) for code in codes),
            key=lambda choice: choice[1],
        )

    def filter_day(self, queryset, name, value):
        return queryset.filter(date=value) if value else queryset

    def filter_commune(self, queryset, name, value):
        return queryset.filter(registration__postal_code=value) if value else queryset


def waiting_position(booking: Booking) -> int | None:
    """1 for the first person on the waiting list of the booking's slot or agenda date;
    None when not waiting."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    if booking.slot_id is not None:
        occasion = {"slot_id": booking.slot_id}
    elif booking.event_id is not None:
        occasion = {"event_id": booking.event_id}
    else:
        occasion = {"occurrence_id": booking.occurrence_id}
    ahead = Booking.objects.filter(**occasion, status=BookingStatus.WAITLISTED).filter(
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


# --- Directory links -------------------------------------------------------------------

DIRECTORY_QUERY_MIN = 2
DIRECTORY_QUERY_MAX = 100
DIRECTORY_CANDIDATES = 10


def _with_locations(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.prefetch_related(
        Prefetch("locations", queryset=Location.objects.select_related("commune"))
    )


def directory_candidates(
    text: str, language: str = "fr", limit: int = DIRECTORY_CANDIDATES
) -> list[Organisation]:
    """Directory organisations an organisation registering may be: name match or search hit.

    The directory's own search (``search_services``: stemming, accents, FR and NL) finds
    organisations through their services; a plain name/acronym match also finds those
    that publish no service yet. Two queries whatever the size of the directory.
    """
    text = (text or "").strip()[:DIRECTORY_QUERY_MAX]
    if len(text) < DIRECTORY_QUERY_MIN:
        return []
    found_by_search = (
        search_services(Criteria(q=text), language, with_facets=False)
        .matches()
        .values("organisation_id")
    )
    by_name = (
        Q(name_fr__icontains=text) | Q(name_nl__icontains=text) | Q(alternate_name__icontains=text)
    )
    matches = Organisation.objects.filter(by_name | Q(pk__in=found_by_search))
    return list(_with_locations(matches).order_by(Lower("name_fr"), "pk")[:limit])


def directory_entry(public_id: str | uuid.UUID | None) -> Organisation | None:
    """The directory organisation behind a picker value; None when malformed or unknown."""
    if not public_id:
        return None
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        return None
    return _with_locations(Organisation.objects.filter(public_id=key)).first()


def directory_prefill(organisation: Organisation, language: str = "fr") -> dict:
    """Registration form values taken from a directory entry (its first address)."""
    values = {
        "organisation_name": organisation.tr("name", language),
        "directory_organisation": str(organisation.public_id),
    }
    location = next(iter(organisation.locations.all()), None)
    if location is not None:
        values["street"] = location.address
        values["postal_code"] = location.postal_code
        if location.commune is not None:
            values["city"] = localized(location.commune, "name", language)
    return values


def organisation_open_door_slots(
    organisation: Organisation, today: datetime.date | None = None, limit: int = 20
) -> list[Slot]:
    """Approved, still-to-come open-door slots of a directory organisation (one query)."""
    today = today or timezone.localdate()
    return list(
        Slot.objects.filter(
            registration__directory_organisation=organisation,
            registration__status=RegistrationStatus.APPROVED,
            registration__week__is_published=True,
            registration__week__end_date__gte=today,
            date__gte=today,
        )
        .select_related("registration__week")
        .annotate(
            confirmed_count=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED))
        )
        .order_by("date", "start_time", "pk")[:limit]
    )


# --- registrations for agenda dates ("Inscription sur Maillage") ---------------------


def occurrence_takes_registrations(occurrence: Occurrence, now: datetime.datetime) -> bool:
    """A date of a published event with registration on Maillage per date, neither
    cancelled nor begun."""
    event = occurrence.event
    return (
        event.takes_registrations
        and not event.registers_per_series
        and event.status == EventStatus.PUBLISHED
        and occurrence.status != OccurrenceStatus.CANCELLED
        and occurrence.start > now
    )


def registration_occurrence(event_id: int, occurrence_id: int) -> Occurrence | None:
    """The event's date with its confirmed and waiting counts, or None."""
    return (
        Occurrence.objects.filter(pk=occurrence_id, event_id=event_id)
        .select_related("event")
        .annotate(
            confirmed_count=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
        )
        .first()
    )


def series_dates(event: Event) -> QuerySet[Occurrence]:
    """Every date of the series, cancelled ones included (a calendar must drop them)."""
    return event.occurrences.order_by("start", "pk")


def coming_series_dates(event: Event, now: datetime.datetime) -> QuerySet[Occurrence]:
    """The dates of the series still to begin, not cancelled."""
    return series_dates(event).filter(start__gt=now).exclude(status=OccurrenceStatus.CANCELLED)


def series_takes_registrations(event: Event, now: datetime.datetime) -> bool:
    """A published event registered for as a whole series, with a date still to begin:
    people may join a cycle until its last date."""
    return (
        event.registers_per_series
        and event.status == EventStatus.PUBLISHED
        and coming_series_dates(event, now).exists()
    )


def registration_series(event_id: int) -> Event | None:
    """The event with its series' confirmed and waiting counts, or None."""
    return (
        Event.objects.filter(pk=event_id)
        .annotate(
            confirmed_count=Count(
                "series_bookings", filter=Q(series_bookings__status=BookingStatus.CONFIRMED)
            ),
            waiting_count=Count(
                "series_bookings", filter=Q(series_bookings__status=BookingStatus.WAITLISTED)
            ),
        )
        .first()
    )


def remaining_places_in_series(event: Event) -> int:
    confirmed = getattr(event, "confirmed_count", None)
    if confirmed is None:
        confirmed = event.series_bookings.filter(status=BookingStatus.CONFIRMED).count()
    return max((event.capacity or 0) - confirmed, 0)


def remaining_places_on(occurrence: Occurrence) -> int:
    confirmed = getattr(occurrence, "confirmed_count", None)
    if confirmed is None:
        confirmed = occurrence.bookings.filter(status=BookingStatus.CONFIRMED).count()
    return max((occurrence.event.capacity or 0) - confirmed, 0)


def _registrations_count(status: str):
    """Bookings of the event in ``status``, for its dates and its series alike."""
    bookings = (
        Booking.objects.filter(status=status)
        .filter(Q(occurrence__event=OuterRef("pk")) | Q(event=OuterRef("pk")))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(bookings), 0, output_field=IntegerField())


# Proposals the team has not approved (or refused): nobody can register for them yet.
UNAPPROVED = (EventStatus.UNCONFIRMED, EventStatus.PENDING, EventStatus.REJECTED)


def registration_events() -> QuerySet[Event]:
    """Events whose registration is on Maillage, proposals not approved left out, latest
    first, with their active counts."""
    return (
        Event.objects.filter(registration=RegistrationMode.INTERNAL)
        .exclude(status__in=UNAPPROVED)
        .annotate(
            confirmed_count=_registrations_count(BookingStatus.CONFIRMED),
            waiting_count=_registrations_count(BookingStatus.WAITLISTED),
        )
        .order_by("-start_date", "pk")
    )


def event_attendees(event: Event) -> QuerySet[Booking]:
    """Active registrations of the event: for the whole series, or date by date;
    confirmed first."""
    return (
        Booking.objects.filter(Q(occurrence__event=event) | Q(event=event))
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("occurrence")
        .order_by("occurrence__start", "occurrence_id", "status", "created_at", "pk")
    )
