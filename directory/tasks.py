"""Celery tasks of the directory: thin wrappers around ``services``."""

from celery import shared_task

from . import services


@shared_task(name="directory.tasks.send_verification_reminders")
def send_verification_reminders() -> int:
    return services.send_verification_reminders()


@shared_task(name="directory.tasks.send_availability_requests")
def send_availability_requests() -> int:
    return services.send_availability_requests()
