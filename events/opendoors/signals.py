"""Saving a week puts it on the shared agenda (see services.sync_week_to_agenda)."""

import logging

from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import EventKind

from .models import OpenDoorWeek
from .services import sync_week_to_agenda

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
