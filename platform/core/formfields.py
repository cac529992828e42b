"""Form fields every public form shares.

``EmailField``: one length limit for every e-mail address we take, the columns' 254
characters (RFC 5321's path limit, Django's model default). The form field alone
would accept 320, which PostgreSQL then refuses with a ``DataError`` (a 500).
"""

from __future__ import annotations

from django import forms

EMAIL_MAX_LENGTH = 254


class EmailField(forms.EmailField):
    def __init__(self, *, max_length: int = EMAIL_MAX_LENGTH, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
