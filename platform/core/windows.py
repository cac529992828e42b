"""Dates that people and scripts type into query strings and forms, bounded.

Every date a page, a feed or an API reads from a request goes through
``BoundedDateField`` (or ``validate_date_in_bounds``), and every date typed into a form
through ``BoundedDatesFormMixin``: a year outside
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


def in_bounds(value: datetime.date | None) -> bool:
    """``value`` (a date or a datetime) is None or in [FIRST_YEAR, LAST_YEAR]."""
    return value is None or FIRST_YEAR <= value.year <= LAST_YEAR


def validate_date_in_bounds(value: datetime.date | None) -> None:
    if not in_bounds(value):
        raise ValidationError(
            _("Date hors limites : choisissez une date entre %(first)s et %(last)s."),
            code="out_of_bounds",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class BoundedDateField(forms.DateField):
    """A ``DateField`` that refuses years outside [FIRST_YEAR, LAST_YEAR]."""

    default_validators = [validate_date_in_bounds]


DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


class BoundedDatesFormMixin:
    """Every date and date-time field of the form refuses years outside
    [FIRST_YEAR, LAST_YEAR] with a message (the fields of a ModelForm included), so an
    all-day event on 31 December 9999 is a form error, not an ``OverflowError`` when its
    end (the next midnight) is computed. Applied when the form is cleaned, as
    ``core.text.NoControlCharactersFormMixin``; every form with a date carries it
    (``tests/platform/test_bounded_dates.py`` walks them)."""

    def full_clean(self):
        for field in self.fields.values():
            dated = isinstance(field, DATE_FIELDS)
            if dated and validate_date_in_bounds not in field.validators:
                field.validators.append(validate_date_in_bounds)
        super().full_clean()
