"""Public forms of the directory: error report, edit and availability through the
signed links."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import formfields
from core.abuse import HoneypotFormMixin
from core.text import NoControlCharactersFormMixin

from .models import MAX_WAIT_WEEKS, Availability
from .services import ORGANISATION_FIELDS, SERVICE_FIELDS, change_errors, changed_values

MAX_TEXT = 4000


class ErrorReportForm(NoControlCharactersFormMixin, HoneypotFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Qu'est-ce qui est inexact ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = formfields.EmailField(
        label=_("Votre e-mail (facultatif, si nous devons vous répondre)"), required=False
    )


FIELD_LABELS = {
    "name_fr": _("Nom (FR)"),
    "name_nl": _("Nom (NL)"),
    "description_fr": _("Description (FR)"),
    "description_nl": _("Description (NL)"),
    "website": _("Site web"),
    "email": _("E-mail public"),
    "access_notes_fr": _("Conditions d'accès (FR)"),
    "access_notes_nl": _("Conditions d'accès (NL)"),
    "saturation_note_fr": _("Saturation / places disponibles (FR)"),
    "saturation_note_nl": _("Saturation / places disponibles (NL)"),
    "temporary_notice_fr": _("Avis temporaire (FR)"),
    "temporary_notice_nl": _("Avis temporaire (NL)"),
    "phones": _("Numéros de téléphone (un par ligne)"),
}
LONG_FIELDS = {"description_fr", "description_nl", "access_notes_fr", "access_notes_nl", "phones"}


def field_name(key: str) -> str:
    return key.replace(".", "__").replace("-", "_")


class EntryEditForm(NoControlCharactersFormMixin, HoneypotFormMixin, forms.Form):
    """One field per editable value of the organisation and of each of its services."""

    message = forms.CharField(
        label=_("Un mot pour l'équipe du bassin (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisation, values: dict[str, str], services, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.values = values
        self.keys = {}
        self.sections = [(None, [])]
        for name in ORGANISATION_FIELDS:
            self._add(f"organisation.{name}", name, values, self.sections[0][1])
        for service in services:
            section = (service, [])
            self.sections.append(section)
            for name in SERVICE_FIELDS:
                self._add(f"service.{service.public_id}.{name}", name, values, section[1])

    def _add(self, key, name, values, bucket):
        widget = forms.Textarea(attrs={"rows": 3}) if name in LONG_FIELDS else forms.TextInput
        formfield = forms.CharField(
            label=FIELD_LABELS.get(name, name),
            required=False,
            max_length=MAX_TEXT,
            initial=values.get(key, ""),
            widget=widget,
        )
        fname = field_name(key)
        self.fields[fname] = formfield
        self.keys[fname] = key
        bucket.append(fname)

    def clean(self):
        """The admin form's rules for every changed value (a website must be a URL...).

        "Nothing changed" proposes nothing, so it has nothing to validate."""
        cleaned = super().clean()
        if self.data.get("confirm_unchanged"):
            return cleaned
        changed = changed_values(self.values, self.proposed())
        fields = {key: fname for fname, key in self.keys.items()}
        for key, messages in change_errors(self.organisation, changed).items():
            self.add_error(fields[key], messages)
        return cleaned

    def proposed(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(fname, "") for fname, key in self.keys.items()}

    def section_fields(self):
        for service, names in self.sections:
            yield service, [self[name] for name in names]


class AvailabilityForm(forms.Form):
    """One service's availability, from the monthly e-mail's link (one button per choice)."""

    service = forms.UUIDField(widget=forms.HiddenInput)
    availability = forms.ChoiceField(
        choices=[(v, label) for v, label in Availability.choices if v != Availability.UNKNOWN]
    )
    wait_weeks = forms.IntegerField(
        label=_("Attente (en semaines)"), min_value=1, max_value=MAX_WAIT_WEEKS, required=False
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {s.public_id: s for s in services}

    def clean_service(self):
        service = self.services.get(self.cleaned_data["service"])
        if service is None:
            raise forms.ValidationError(_("Ce service n'appartient pas à cette organisation."))
        return service

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("availability") == Availability.WAITING_LIST and not cleaned.get(
            "wait_weeks"
        ):
            self.add_error("wait_weeks", _("Indiquez l'attente en semaines."))
        return cleaned
