"""One cleaner for integer ids read from the outside (query strings, form choices).

A database integer key holds at most 2^63 - 1; a bigger number reaching a query
raises ``OverflowError`` (SQLite) or ``DataError`` (PostgreSQL), a 500. Every id
typed or tampered with by a visitor goes through ``parse_id`` (a query parameter) or
the ``IdModelChoiceField`` / ``IdModelMultipleChoiceField`` form fields, which turn
anything that cannot be a key into the ordinary "invalid" answer.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1


def parse_id(value) -> int:
    """``value`` as a key in 1..2^63-1; ``ValueError`` for anything else."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        raise ValueError(f"not an id: {text[:30]!r}")
    number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"id out of range: {text[:30]!r}")
    return number


def _check_ids(field, values) -> None:
    """Refuse, as an invalid choice, any submitted value that cannot be a key."""
    if field.to_field_name:
        return
    for value in values:
        try:
            parse_id(value)
        except ValueError:
            raise ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:30]},
            ) from None


class IdModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _check_ids(self, [value])
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        _check_ids(self, values)
        return super()._check_values(value)
