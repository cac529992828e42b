"""Form fields every public form (and query-string filter) shares.

``EmailField``: one length limit for every e-mail address we take, the columns' 254
characters (RFC 5321's path limit, Django's model default). The form field alone
would accept 320, which PostgreSQL then refuses with a ``DataError`` (a 500).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EMAIL_MAX_LENGTH = 254


class EmailField(forms.EmailField):
    def __init__(self, *, max_length: int = EMAIL_MAX_LENGTH, **kwargs):
        super().__init__(max_length=max_length, **kwargs)


class StrictBooleanField(forms.Field):
    """An optional yes/no query parameter that refuses what it does not understand.

    ``true`` → True, ``false`` → False (as the OpenAPI description says), ``on`` → True
    (what a checked HTML checkbox sends), absent or empty → None (no filter). Django's
    ``BooleanField`` reads any other text as True, so ``?professionals=null`` would
    silently filter; here it is an error with a message."""

    TRUE = frozenset({"true", "on"})
    FALSE = frozenset({"false"})
    default_error_messages = {
        "invalid": _("Valeur « %(value)s » invalide : utilisez true ou false."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        text = str(value)
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": str(value)[:20]}
        )
