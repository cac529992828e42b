"""Control characters: refused at the door, removed at every exit.

A control character (U+0000–U+001F except tab and line breaks, U+007F–U+009F) has no
place in a title, a name or an address, and several outputs cannot carry it at all:
XML 1.0 (RSS/Atom) forbids it, an iCal or e-mail header line breaks on it. Two
mechanisms, both here:

* **input**: ``NoControlCharactersFormMixin`` makes a form refuse them in every
  single-line text field (``CharField`` without a ``Textarea``; multi-line fields
  may keep line breaks and tabs) with a message, so they are not stored through
  the public forms;
* **output**: ``printable`` (multi-line text) and ``single_line`` (titles, subjects,
  header values) clean what reached the database another way (admin, import, old
  rows) at the moment a feed, a calendar or an e-mail is written.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls except \t \n \r, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What str.splitlines() breaks on, and tabs: a single-line value holds none of them.
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def has_control_characters(value: str, *, multi_line: bool = False) -> bool:
    if _CONTROL.search(value):
        return True
    return not multi_line and bool(_LINE_BREAKS.search(value))


def printable(value) -> str:
    """``value`` as text without control characters (line breaks and tabs kept)."""
    return _CONTROL.sub("", str(value or ""))


def single_line(value) -> str:
    """``value`` on one line: line breaks become spaces, control characters are removed,
    runs of spaces collapse."""
    return " ".join(printable(_LINE_BREAKS.sub(" ", str(value or ""))).split())


def validate_single_line(value: str) -> None:
    if value and has_control_characters(str(value)):
        raise ValidationError(
            _("Ce champ ne peut contenir ni retour à la ligne ni caractère de contrôle."),
            code="control_characters",
        )


def validate_multi_line(value: str) -> None:
    if value and has_control_characters(str(value), multi_line=True):
        raise ValidationError(
            _("Ce champ ne peut pas contenir de caractère de contrôle."),
            code="control_characters",
        )


class NoControlCharactersFormMixin:
    """Every text field of the form refuses control characters; single-line fields
    (no ``Textarea`` widget) refuse line breaks too.

    Applied when the form is cleaned, so fields a form adds in its ``__init__`` (after
    this mixin's) are covered too. Every public form of the site carries it
    (``tests/platform/test_public_forms.py`` walks them)."""

    def full_clean(self):
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            validator = (
                validate_multi_line
                if isinstance(field.widget, forms.Textarea)
                else validate_single_line
            )
            if validator not in field.validators:
                field.validators.append(validator)
        super().full_clean()
