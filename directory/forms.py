"""Public forms of the directory: error report, edit and availability through the
signed links, self-listing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bassins.forms import bassins_field, themes_field
from core import formfields
from core.abuse import HoneypotFormMixin
from core.proposals import ProposalFormMixin
from core.text import NoControlCharactersFormMixin

from .models import MAX_WAIT_WEEKS, Availability, ListingRequest
from .services import (
    LISTING_FIELDS,
    LOCATION_FIELDS,
    ORGANISATION_FIELDS,
    SERVICE_FIELDS,
    change_errors,
    changed_values,
)

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
    "latitude": _("Latitude (cliquez sur la carte ou tapez, par ex. 50.8671)"),
    "longitude": _("Longitude (par ex. 4.3773)"),
    "accessibility_fr": _("Accessibilité (FR) : entrée, marches, ascenseur, toilettes…"),
    "accessibility_nl": _("Accessibilité (NL)"),
}
LONG_FIELDS = {
    "description_fr",
    "description_nl",
    "access_notes_fr",
    "access_notes_nl",
    "phones",
    "accessibility_fr",
    "accessibility_nl",
}


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
        for location in organisation.locations.all():
            section = (location, [])
            self.sections.append(section)
            for name in LOCATION_FIELDS:
                self._add(f"location.{location.public_id}.{name}", name, values, section[1])

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


class AvailabilityForm(NoControlCharactersFormMixin, forms.Form):
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


MAX_MAINTAINERS = 5


class ListingRequestForm(ProposalFormMixin, forms.ModelForm):
    """An organisation asks to be listed: who it is, its area, who keeps the entry
    current. Confirmed by e-mail, then moderated by the team of its area."""

    maintainers = forms.CharField(
        label=_("E-mail des personnes qui tiendront la fiche à jour"),
        help_text=_(
            "Une adresse par ligne, la vôtre d'abord (5 au plus). Jamais publiées : elles "
            "recevront le rappel annuel de vérification avec un lien de modification."
        ),
        max_length=MAX_MAINTAINERS * 260,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_fr = forms.CharField(
        label=_("Ce que vous faites (FR)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    description_nl = forms.CharField(
        label=_("Ce que vous faites (NL)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = formfields.EmailField(label=_("E-mail public (facultatif)"), required=False)
    postal_code = forms.RegexField(
        label=_("Code postal"),
        regex=r"^1\d{3}$",
        required=False,
        error_messages={"invalid": _("Un code postal bruxellois : 4 chiffres, 1000 à 1210.")},
    )
    bassins = bassins_field(_("Bassin(s) où vous agissez"))
    themes = themes_field()

    class Meta:
        model = ListingRequest
        fields = [*LISTING_FIELDS, "bassins", "themes"]
        labels = {"area_whole_region": _("Nous agissons dans toute la Région")}

    def clean_maintainers(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["maintainers"].splitlines()]
        addresses = list(dict.fromkeys(line.lower() for line in lines if line))
        if not addresses:
            raise forms.ValidationError(_("Indiquez au moins une adresse."))
        if len(addresses) > MAX_MAINTAINERS:
            raise forms.ValidationError(_("%(max)s adresses au plus.") % {"max": MAX_MAINTAINERS})
        checker = formfields.EmailField()
        for address in addresses:
            try:
                checker.clean(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("« %(value)s » n'est pas une adresse e-mail.") % {"value": address[:80]}
                ) from None
        return addresses

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("address") and not cleaned.get("postal_code"):
            self.add_error("postal_code", _("Avec l'adresse, indiquez le code postal."))
        if (
            not cleaned.get("area_whole_region")
            and not cleaned.get("bassins")
            and not cleaned.get("postal_code")
        ):
            self.add_error(
                "bassins",
                _("Indiquez vos bassins, un code postal, ou « toute la Région »."),
            )
        return cleaned

    def proposal_data(self) -> dict:
        return {**self.cleaned_data, "maintainer_emails": self.cleaned_data["maintainers"]}
