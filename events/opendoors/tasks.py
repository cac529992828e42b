"""Celery tasks: thin wrappers around services (scheduled by beat, see reference.py)."""

from celery import shared_task

from . import services


@shared_task(name="events.opendoors.tasks.send_visit_reminders")
def send_visit_reminders() -> int:
    """Daily: remind confirmed visitors the day before their visit."""
    return services.send_reminders()


@shared_task(name="events.opendoors.tasks.send_appreciation_requests")
def send_appreciation_requests() -> int:
    """Daily: after a week has ended, send its visitors the appreciation form."""
    return services.send_appreciation_requests()


@shared_task(name="events.opendoors.tasks.erase_expired_visitor_data")
def erase_expired_visitor_data() -> int:
    """Daily: erase visitors' personal data N months after their week."""
    return services.erase_expired_visitor_data()
