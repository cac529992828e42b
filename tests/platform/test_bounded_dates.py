"""Every form with a date refuses years outside [FIRST_YEAR, LAST_YEAR] with a message
(core.windows.BoundedDatesFormMixin), so no typed date reaches the calendar arithmetic
that overflows at year 1 and 9999. The public forms are found by the walk of
``test_public_forms``; the staff forms that take dates are listed."""

from __future__ import annotations

import pytest

from core.windows import DATE_FIELDS, BoundedDatesFormMixin
from events.forms import MoveOccurrenceForm
from events.viewsets import EventAdminForm
from tests.platform.test_public_forms import (  # noqa: F401 -- form_arguments is a fixture
    build,
    form_arguments,
    project_forms,
)

STAFF_FORMS_WITH_DATES = [EventAdminForm, MoveOccurrenceForm]


def date_fields(form) -> list[str]:
    return [name for name, field in form.fields.items() if isinstance(field, DATE_FIELDS)]


@pytest.mark.parametrize("cls", project_forms(), ids=lambda cls: cls.__qualname__)
def test_every_public_form_with_a_date_bounds_it(cls, form_arguments):  # noqa: F811
    form = build(cls, None, form_arguments)
    fields = date_fields(form)
    if not fields:
        return
    assert issubclass(cls, BoundedDatesFormMixin), f"{cls.__qualname__} lacks the mixin"
    form = build(cls, dict.fromkeys(fields, "9999-12-31"), form_arguments)
    assert not form.is_valid()
    for name in fields:
        messages = [str(message) for message in form.errors.get(name, [])]
        assert any("Date hors limites" in message for message in messages), (name, messages)


def test_the_walk_finds_public_forms_with_dates():
    assert any(issubclass(cls, BoundedDatesFormMixin) for cls in project_forms()), (
        "no public form with a date found: the walk is broken"
    )


@pytest.mark.parametrize("cls", STAFF_FORMS_WITH_DATES, ids=lambda cls: cls.__qualname__)
def test_the_staff_forms_with_dates_bound_them(cls):
    assert issubclass(cls, BoundedDatesFormMixin)
