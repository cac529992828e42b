"""Celery tasks: thin wrappers around services (scheduled by beat, see reference.py).

Beat runs ``poll_calendar_sources`` every few minutes; it queues one
``sync_calendar_source`` per due source, so a slow or broken source only ever
occupies one task (bounded by the CALENDARS_* fetch limits) and never the others.
"""

from celery import shared_task

from . import services
from .models import CalendarSource


@shared_task(name="events.calendars.tasks.poll_calendar_sources")
def poll_calendar_sources() -> int:
    due = list(services.due_sources().values_list("pk", flat=True))
    for pk in due:
        sync_calendar_source.delay(pk)
    return len(due)


@shared_task(name="events.calendars.tasks.sync_calendar_source")
def sync_calendar_source(source_id: int) -> str:
    source = CalendarSource.objects.filter(pk=source_id, is_active=True).first()
    if source is None:
        return ""
    return services.sync_source(source)
