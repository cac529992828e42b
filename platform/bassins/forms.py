"""The area fields of the public proposal forms (an event, a listing request): the
bassins, which may stay empty (``bassins.queries.bassins_or_suggested`` then reads the
postal code), and the themes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ids import IdModelMultipleChoiceField

from .models import Bassin, Theme

BASSINS_LABEL = _("Bassin(s)")


def bassins_field(label: str = BASSINS_LABEL) -> IdModelMultipleChoiceField:
    return IdModelMultipleChoiceField(
        label=label,
        queryset=Bassin.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Laissez vide : nous le déduirons du code postal."),
    )


def themes_field() -> IdModelMultipleChoiceField:
    return IdModelMultipleChoiceField(
        label=_("Thématiques"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
