from celery import shared_task

from . import services


@shared_task
def extend_horizon() -> int:
    return services.extend_horizon()
