"""Dates that people and scripts type into query strings and forms, bounded.

Every date a page, a feed or an API reads from a request goes through
``BoundedDateField`` (or ``validate_date_in_bounds``): a year outside
[``FIRST_YEAR``, ``LAST_YEAR``] (``core.params``, the same bound as for months) is
refused with a message, which the page shows (400) and the API returns as JSON (400).
Nothing is planned outside those years, and the window arithmetic downstream (a day or
two months later, time-zone conversions) then never reaches the calendar's edges,
where year 1 and 9999 raise ``OverflowError``.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .params import FIRST_YEAR, LAST_YEAR


def validate_date_in_bounds(value: datetime.date | None) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Date hors limites : choisissez une date entre %(first)s et %(last)s."),
            code="out_of_bounds",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class BoundedDateField(forms.DateField):
    """A ``DateField`` that refuses years outside [FIRST_YEAR, LAST_YEAR]."""

    default_validators = [validate_date_in_bounds]
