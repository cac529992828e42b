"""Public proposal form and the moderation forms."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from bassins.forms import bassins_field, themes_field
from bassins.queries import language_choices
from core.proposals import ProposalFormMixin
from core.text import NoControlCharactersFormMixin
from core.windows import BoundedDatesFormMixin

from .models import PROPOSAL_FIELDS, Audience, Event, EventKind, RegistrationMode

MAX_DESCRIPTION = 5000
# Places a proposer may open on Maillage; the bassin team can set more in the admin.
MAX_PROPOSED_CAPACITY = 1000


class ProposalForm(BoundedDatesFormMixin, ProposalFormMixin, forms.ModelForm):
    """An organisation proposes an event (no account). It is confirmed by e-mail, then
    moderated by the bassin team."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Heure de début"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Heure de fin"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_date = forms.DateField(
        label=_("Date de fin (si plusieurs jours)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    bassins = bassins_field()
    themes = themes_field()
    language_list = forms.MultipleChoiceField(
        label=_("Langues parlées"),
        choices=language_choices,
        initial=["fr"],
        widget=forms.CheckboxSelectMultiple,
    )
    description_fr = forms.CharField(
        label=_("Description (FR)"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    description_nl = forms.CharField(
        label=_("Description (NL)"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # A proposal has one date (or one span of days): each registration is for that
    # date, so the registration scope keeps its default, "par date".
    registration = forms.ChoiceField(
        label=_("Inscription des participant·es"),
        choices=RegistrationMode.choices,
        initial=RegistrationMode.NONE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "« Inscription sur Maillage » : on s'inscrit sur la page de l'événement "
            "jusqu'à ce que les places soient prises, puis sur liste d'attente. Une fois "
            "l'événement publié, vous recevez à votre adresse e-mail (plus bas) le lien "
            "vers la liste des inscrit·es, pour votre organisation ; l'équipe du bassin la "
            "voit aussi."
        ),
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        required=False,
        min_value=1,
        max_value=MAX_PROPOSED_CAPACITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Avec « Inscription sur Maillage ». Au-delà, liste d'attente."),
        error_messages={
            "invalid": _("Indiquez un nombre entier de places, par exemple 20."),
            "min_value": _("Indiquez au moins une place."),
            "max_value": _(
                "Au plus %(limit_value)s places. Pour un événement plus grand, dites-le "
                "dans la description : l'équipe du bassin adaptera le nombre."
            ),
        },
    )

    class Meta:
        model = Event
        fields = [*PROPOSAL_FIELDS, "all_day"]
        help_texts = {"registration_url": _("Avec « Inscription externe (lien) ».")}

    field_order = [
        "title_fr",
        "title_nl",
        "kind",
        "date",
        "start_time",
        "end_time",
        "end_date",
        "all_day",
        "description_fr",
        "description_nl",
        "venue_name",
        "venue_name_nl",
        "venue_address",
        "postal_code",
        "bassins",
        "online_url",
        "audience",
        "language_list",
        "themes",
        "organiser",
        "organiser_nl",
        "registration",
        "registration_url",
        "capacity",
        "contact_email",
        "contact_phone",
        "proposer_name",
        "proposer_email",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = EventKind.objects.filter(is_proposable=True)
        self.fields["organiser"].required = True
        self.fields["proposer_name"].required = True
        self.fields["proposer_email"].required = True
        self.fields["audience"].initial = Audience.PROFESSIONALS
        # A title and a description in at least one language, French or Dutch (clean()).
        self.fields["title_fr"].required = False

    def clean_postal_code(self):
        code = (self.cleaned_data.get("postal_code") or "").strip()
        if code and not (code.isdigit() and len(code) == 4):
            raise forms.ValidationError(_("Un code postal belge a 4 chiffres."))
        return code

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("title_fr") or "").strip()
            and not (cleaned.get("title_nl") or "").strip()
        ):
            self.add_error("title_fr", _("Donnez un titre, en français ou en néerlandais."))
        if (
            not (cleaned.get("description_fr") or "").strip()
            and not (cleaned.get("description_nl") or "").strip()
        ):
            self.add_error(
                "description_fr", _("Décrivez l'événement, en français ou en néerlandais.")
            )
        date, end_date = cleaned.get("date"), cleaned.get("end_date")
        all_day = cleaned.get("all_day")
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if date:
            if date < datetime.date.today():
                self.add_error("date", _("La date est passée."))
            if end_date and end_date < date:
                self.add_error("end_date", _("La date de fin précède la date de début."))
            if end_date and (end_date - date).days > 31:
                self.add_error("end_date", _("Un événement dure au plus 31 jours."))
        if not all_day:
            if start_time is None:
                self.add_error(
                    "start_time", _("Indiquez l'heure de début (ou « toute la journée »).")
                )
            if end_time is None:
                self.add_error("end_time", _("Indiquez l'heure de fin."))
            if (
                start_time
                and end_time
                and date
                and (end_date or date) == date
                and end_time <= start_time
            ):
                self.add_error("end_time", _("L'heure de fin doit suivre l'heure de début."))
        self._clean_registration(cleaned)
        return cleaned

    def _clean_registration(self, cleaned: dict) -> None:
        """The link goes with an external registration, the places with one on
        Maillage (the rule of ``Event.clean``, checked here, where the proposer reads
        it); each is required by its mode and refused by the others."""
        if "registration" in self.errors:
            return
        mode = cleaned["registration"] = cleaned.get("registration") or RegistrationMode.NONE
        link, capacity = cleaned.get("registration_url"), cleaned.get("capacity")
        if mode == RegistrationMode.EXTERNAL and not link and "registration_url" not in self.errors:
            self.add_error("registration_url", _("Donnez le lien de la page d'inscription."))
        if mode != RegistrationMode.EXTERNAL and link:
            self.add_error(
                "registration_url",
                _(
                    "Ce lien ne sert qu'avec « Inscription externe (lien) » : choisissez-la "
                    "ou videz ce champ."
                ),
            )
        if mode == RegistrationMode.INTERNAL and capacity is None and "capacity" not in self.errors:
            self.add_error(
                "capacity", _("Indiquez le nombre de places pour l'inscription sur Maillage.")
            )
        if mode != RegistrationMode.INTERNAL and capacity is not None:
            self.add_error(
                "capacity",
                _(
                    "Le nombre de places ne sert qu'avec « Inscription sur Maillage » : "
                    "choisissez-la ou videz ce champ."
                ),
            )


class RejectForm(NoControlCharactersFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé au proposant)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MoveOccurrenceForm(BoundedDatesFormMixin, NoControlCharactersFormMixin, forms.Form):
    start = forms.DateTimeField(
        label=_("Nouveau début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Nouvelle fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue_name = forms.CharField(label=_("Autre lieu"), required=False, max_length=200)
    note_fr = forms.CharField(label=_("Remarque (FR)"), required=False, max_length=300)
    note_nl = forms.CharField(label=_("Remarque (NL)"), required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("La fin doit suivre le début."))
        return cleaned
