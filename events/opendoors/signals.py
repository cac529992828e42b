"""Saving a week puts it on the shared agenda (see services.sync_week_to_agenda); saving
an agenda event that takes registrations gives places freed by a raised capacity to the
waiting people (services.promote_after_capacity_change); an agenda date that its event's
rule no longer produces is kept, cancelled, while it holds registrations (its own, or
the series'); the registrations of a cancelled date are cancelled and their people told
(a series' registrations stay, their people are told the date is off); an event's
registration scope stays while it holds registrations; the organiser's link to an
event's registrations is made here, for the e-mail approving its proposal."""

import logging

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import (
    Event,
    EventKind,
    Occurrence,
    attendee_list_link,
    occurrences_cancelled,
    occurrences_moved,
    occurrences_removing,
    registrations_held,
)

from .models import ACTIVE_STATUSES, Booking, OpenDoorWeek
from .services import (
    cancel_bookings_of_cancelled_dates,
    organiser_url,
    promote_after_capacity_change,
    sync_week_to_agenda,
    tell_registrants_of_moved_dates,
)

logger = logging.getLogger(__name__)


@receiver(post_save, sender=OpenDoorWeek, dispatch_uid="opendoors_week_to_agenda")
def week_saved(sender, instance: OpenDoorWeek, raw=False, **kwargs):
    if raw:
        return
    try:
        sync_week_to_agenda(instance)
    except EventKind.DoesNotExist:
        # The agenda's reference kinds are not loaded (fresh database, unit tests):
        # the week itself must still save; load_reference_data syncs it later.
        logger.warning("opendoors: kind 'portes-ouvertes' missing, week %s not on agenda", instance)


@receiver(post_save, sender=Event, dispatch_uid="opendoors_event_capacity")
def event_saved(sender, instance: Event, raw=False, **kwargs):
    if raw or not instance.takes_registrations:
        return
    event_id = instance.pk
    transaction.on_commit(lambda: promote_after_capacity_change(event_id))


@receiver(occurrences_removing, sender=Occurrence, dispatch_uid="opendoors_dates_with_bookings")
def dates_with_bookings(sender, pks, **kwargs) -> set[int]:
    held = set(
        Booking.objects.filter(occurrence_id__in=pks).values_list("occurrence_id", flat=True)
    )
    series_with_bookings = Booking.objects.filter(event_id__isnull=False).values("event_id")
    held.update(
        Occurrence.objects.filter(pk__in=pks, event_id__in=series_with_bookings).values_list(
            "pk", flat=True
        )
    )
    return held


@receiver(registrations_held, sender=Event, dispatch_uid="opendoors_event_registrations")
def event_registrations_held(sender, event: Event, **kwargs) -> bool:
    return (
        Booking.objects.filter(status__in=ACTIVE_STATUSES)
        .filter(Q(event_id=event.pk) | Q(occurrence__event_id=event.pk))
        .exists()
    )


@receiver(occurrences_cancelled, sender=Occurrence, dispatch_uid="opendoors_cancelled_dates")
def dates_cancelled(sender, pks, **kwargs) -> None:
    cancel_bookings_of_cancelled_dates(pks)


@receiver(occurrences_moved, sender=Occurrence, dispatch_uid="opendoors_moved_dates")
def dates_moved(sender, pks, **kwargs) -> None:
    tell_registrants_of_moved_dates(pks)


@receiver(attendee_list_link, sender=Event, dispatch_uid="opendoors_attendee_list_link")
def attendee_list(sender, event: Event, language: str, **kwargs) -> str:
    return organiser_url(event, language)
