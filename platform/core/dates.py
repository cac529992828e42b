"""Calendar arithmetic shared by the apps, on python-dateutil's ``relativedelta``."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone


def month_window(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """``[first day 00:00, first day of the next month 00:00)`` of ``month``'s month,
    aware in the default time zone (Europe/Brussels)."""
    first = month.replace(day=1)
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(first + relativedelta(months=1), datetime.time.min, tzinfo=zone),
    )
