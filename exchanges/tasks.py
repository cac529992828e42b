"""Celery tasks of the exchange space: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(name="exchanges.tasks.apply_retention")
def apply_retention() -> int:
    return services.apply_retention()


@shared_task(name="exchanges.tasks.send_digests")
def send_digests(frequency: str) -> int:
    return services.send_digests(frequency)
