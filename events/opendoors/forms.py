"""Public forms: organisation registration (with its visit slots) and booking."""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from bassins.models import Theme
from bassins.queries import language_choices, suggest_bassin
from core import formfields
from core.abuse import HoneypotFormMixin
from core.ids import IdModelMultipleChoiceField
from core.text import NoControlCharactersFormMixin
from core.windows import BoundedDatesFormMixin

from .models import OpenDoorWeek, SlotFormat
from .queries import directory_entry

MAX_SLOTS = 30


class AccessibleErrorsMixin:
    """Invalid fields get ``aria-invalid`` and point at their error message
    (``<id>-error``, rendered by ``opendoors/_field.html``) for screen readers."""

    def full_clean(self):
        super().full_clean()
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )


class SubmissionTokenMixin(forms.Form):
    """A one-time token per displayed form: a second submit of the same form is ignored."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class RegistrationForm(
    NoControlCharactersFormMixin,
    AccessibleErrorsMixin,
    SubmissionTokenMixin,
    HoneypotFormMixin,
    forms.Form,
):
    # The picked directory entry (its public id), set by the directory search above the
    # form; empty when the organisation typed its name.
    directory_organisation = forms.CharField(required=False, widget=forms.HiddenInput)
    directory_unlink = forms.BooleanField(
        label=_("Ne pas lier mon inscription à cette fiche du répertoire"), required=False
    )
    organisation_name = forms.CharField(label=_("Nom de l'organisation"), max_length=200)
    contact_name = forms.CharField(label=_("Personne de contact"), max_length=120)
    contact_email = formfields.EmailField(label=_("E-mail de contact"))
    contact_phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)
    street = forms.CharField(label=_("Adresse (rue et numéro)"), max_length=200)
    postal_code = forms.CharField(
        label=_("Code postal"),
        max_length=4,
        validators=[
            RegexValidator(r"^1\d{3}$", _("Indiquez un code postal bruxellois (1000 à 1299)."))
        ],
    )
    city = forms.CharField(label=_("Commune"), max_length=80, required=False)
    discover = forms.CharField(
        label=_("Ce que les visiteurs découvriront"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées pendant la visite"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility = forms.CharField(
        label=_("Accessibilité (PMR, étage, ascenseur...)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    themes = IdModelMultipleChoiceField(
        label=_("Thématiques"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    DIRECTORY_FIELDS = ("directory_organisation", "directory_unlink")

    def __init__(self, *args, week: OpenDoorWeek, directory_entry=None, **kwargs):
        self.week = week
        self.bassin_suggestion: dict = {}
        # The linked directory organisation shown above the fields (None: typed name).
        self.directory_entry = directory_entry
        super().__init__(*args, **kwargs)

    def clean_directory_organisation(self):
        value = self.cleaned_data["directory_organisation"].strip()
        if not value:
            self.directory_entry = None
            return None
        entry = directory_entry(value)
        if entry is None:
            self.directory_entry = None
            # Re-rendered empty, so sending the form again registers the typed name.
            self.data = self.data.copy()
            self.data[self.add_prefix("directory_organisation")] = ""
            raise forms.ValidationError(
                _(
                    "Cette fiche du répertoire est introuvable. Cherchez à nouveau votre "
                    "organisation, ou tapez simplement son nom."
                ),
                code="unknown_directory_entry",
            )
        self.directory_entry = entry
        return entry

    def clean(self):
        data = super().clean()
        if data.get("directory_unlink"):
            # The entry stays on display with the box ticked if the form comes back.
            data["directory_organisation"] = None
        return data

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        self.bassin_suggestion = suggest_bassin(code)
        return code

    @property
    def outside_bassin(self) -> bool:
        suggestion = self.bassin_suggestion
        if not suggestion or suggestion.get("bassin") is None:
            return True
        candidates = {b.pk for b in suggestion["candidates"]} | {suggestion["bassin"].pk}
        return self.week.bassin_id not in candidates

    def registration_data(self) -> dict:
        data = self.cleaned_data
        suggestion = self.bassin_suggestion or {}
        return {
            "organisation_name": data["organisation_name"],
            "directory_organisation": data.get("directory_organisation"),
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"].lower(),
            "contact_phone": data["contact_phone"],
            "street": data["street"],
            "postal_code": data["postal_code"],
            "city": data["city"],
            "discover": data["discover"],
            "languages": data["languages"],
            "accessibility": data["accessibility"],
            "suggested_bassin": suggestion.get("bassin"),
            "outside_bassin": self.outside_bassin,
        }


class SlotForm(
    BoundedDatesFormMixin, NoControlCharactersFormMixin, AccessibleErrorsMixin, forms.Form
):
    date = forms.DateField(label=_("Jour"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Début"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Fin"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=500)
    format = forms.ChoiceField(label=_("Format"), choices=SlotFormat.choices, initial="visit")
    repeat_on = forms.MultipleChoiceField(
        label=_("Répéter aussi ces jours-là"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, week: OpenDoorWeek, **kwargs):
        self.week = week
        super().__init__(*args, **kwargs)
        days = week.days()
        self.fields["date"].widget.attrs.update(
            {"min": days[0].isoformat(), "max": days[-1].isoformat()}
        )
        self.fields["repeat_on"].choices = [
            (day.isoformat(), formats.date_format(day, "l j F")) for day in days
        ]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not self.week.start_date <= day <= self.week.end_date:
            raise forms.ValidationError(
                _("Choisissez un jour de la semaine, entre le %(start)s et le %(end)s.")
                % {
                    "start": formats.date_format(self.week.start_date, "j F"),
                    "end": formats.date_format(self.week.end_date, "j F Y"),
                }
            )
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("L'heure de fin doit suivre l'heure de début."))
        return data

    def slot_values(self) -> list[dict]:
        data = self.cleaned_data
        days = {data["date"]} | {datetime.date.fromisoformat(d) for d in data["repeat_on"]}
        return [
            {
                "date": day,
                "start_time": data["start_time"],
                "end_time": data["end_time"],
                "capacity": data["capacity"],
                "format": data["format"],
            }
            for day in sorted(days)
        ]


class BaseSlotFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if sum(len(form.slot_values()) for form in self.forms if form.cleaned_data) > MAX_SLOTS:
            raise forms.ValidationError(
                _("Au maximum %(count)s créneaux par organisation.") % {"count": MAX_SLOTS}
            )

    def slot_values(self) -> list[dict]:
        unique = {}
        for form in self.forms:
            if not form.cleaned_data:
                continue
            for slot in form.slot_values():
                unique[(slot["date"], slot["start_time"], slot["end_time"])] = slot
        return list(unique.values())


SlotFormSet = forms.formset_factory(
    SlotForm,
    formset=BaseSlotFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=MAX_SLOTS,
    validate_max=True,
    absolute_max=MAX_SLOTS,
)


class BookingForm(
    NoControlCharactersFormMixin,
    AccessibleErrorsMixin,
    SubmissionTokenMixin,
    HoneypotFormMixin,
    forms.Form,
):
    name = forms.CharField(label=_("Nom et prénom"), max_length=120)
    email = formfields.EmailField(label=_("E-mail"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    profession = forms.CharField(
        label=_("Profession"), max_length=120, help_text=_("Visible par l'organisation hôte.")
    )
    phone = forms.CharField(label=_("Téléphone (facultatif)"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_(
            "J'accepte que mes données servent à organiser cette visite ; elles sont "
            "effacées quelques mois après la semaine."
        ),
        error_messages={"required": _("Votre accord est nécessaire pour réserver.")},
    )

    PERSON_FIELDS = ("name", "email", "organisation", "profession", "phone")

    def person(self) -> dict:
        """The booker as the booking services take it (plain values)."""
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}


class EventBookingForm(BookingForm):
    """Registration for one date of an agenda event: the visit booking's fields."""

    profession = forms.CharField(
        label=_("Profession"), max_length=120, help_text=_("Visible par l'organisateur.")
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que mes données servent à organiser cette activité ; elles sont "
            "effacées quelques mois après la date."
        ),
        error_messages={"required": _("Votre accord est nécessaire pour vous inscrire.")},
    )


class SeriesBookingForm(EventBookingForm):
    """Registration for every date of a series: kept until its last date."""

    consent = forms.BooleanField(
        label=_(
            "J'accepte que mes données servent à organiser cette série ; elles sont "
            "effacées quelques mois après sa dernière date."
        ),
        error_messages={"required": _("Votre accord est nécessaire pour vous inscrire.")},
    )


class ModerationForm(NoControlCharactersFormMixin, forms.Form):
    ACTIONS = [
        ("approve", _("Approuver")),
        ("changes", _("Demander des modifications")),
        ("reject", _("Refuser")),
    ]
    action = forms.ChoiceField(label=_("Décision"), choices=ACTIONS, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message à l'organisation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in ("changes", "reject") and not data.get("message", "").strip():
            self.add_error("message", _("Expliquez la raison à l'organisation."))
        return data


class AppreciationForm(NoControlCharactersFormMixin, AccessibleErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre appréciation générale"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.TypedChoiceField(
        label=_("La visite est-elle utile pour votre pratique ?"),
        choices=[("1", _("Oui")), ("0", _("Non"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    come_again = forms.TypedChoiceField(
        label=_("Reviendrez-vous l'an prochain ?"),
        choices=[("1", _("Oui")), ("0", _("Non"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=3000, widget=forms.Textarea
    )
