"""Saving a published week puts it on the shared agenda (see services.sync_week_to_agenda)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import OpenDoorWeek


@receiver(post_save, sender=OpenDoorWeek, dispatch_uid="opendoors_week_to_agenda")
def week_saved(sender, instance: OpenDoorWeek, raw=False, **kwargs):
    if raw or not instance.is_published:
        return
    from .services import sync_week_to_agenda

    sync_week_to_agenda(instance)
