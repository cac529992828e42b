"""Celery tasks: thin wrappers around services (scheduled by beat, see reference.py)."""

from celery import shared_task
from kombu.exceptions import OperationalError as KombuOperationalError

from . import services
from .models import Booking

BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError)


@shared_task(name="events.opendoors.tasks.send_booking_mail")
def send_booking_mail(booking_id: int, template: str) -> int:
    """One booking e-mail (confirmation, waiting list, cancellation, promotion)."""
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        return 0
    return services.send_booking_email(booking, template)


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
