"""Public forms: subscribe, preferences, ask for the preferences link."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bassins.models import Bassin
from core import formfields
from core.abuse import HoneypotFormMixin
from core.ids import IdModelMultipleChoiceField
from core.text import NoControlCharactersFormMixin

LANGUAGES = [("fr", "Français"), ("nl", "Nederlands")]


class ListsForm(NoControlCharactersFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Langue des e-mails"), choices=LANGUAGES, widget=forms.RadioSelect
    )
    bassins = IdModelMultipleChoiceField(
        label=_("Info Prévention Santé mensuelle des bassins"),
        queryset=Bassin.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digest_bassins = IdModelMultipleChoiceField(
        label=_("Agenda de la semaine (un e-mail le lundi, seulement s'il y a des activités)"),
        queryset=Bassin.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("bassins") and not data.get("digest_bassins"):
            raise forms.ValidationError(
                _("Choisissez au moins un bassin, pour l'Info Prévention Santé ou pour l'agenda."),
                code="no_list",
            )
        return data


class SubscribeForm(HoneypotFormMixin, ListsForm):
    email = formfields.EmailField(label=_("Votre adresse e-mail"))

    field_order = ["email", "language", "bassins", "digest_bassins"]


class PreferencesForm(ListsForm):
    def clean(self):
        # Emptying every list is allowed here: it means "unsubscribe".
        return forms.Form.clean(self)


class PreferencesLinkForm(NoControlCharactersFormMixin, HoneypotFormMixin, forms.Form):
    email = formfields.EmailField(label=_("Votre adresse e-mail"))
