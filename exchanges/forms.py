"""Input of the exchange space; forms validate, services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from bassins.models import Bassin
from core.abuse import HoneypotFormMixin
from core.text import NoControlCharactersFormMixin

from .models import DigestFrequency


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def language_choices():
    return [("fr", "Français"), ("nl", "Nederlands")]


class SignupForm(NoControlCharactersFormMixin, HoneypotFormMixin, forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail professionnelle"))
    password = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 8 caractères, pas uniquement des chiffres."),
    )
    display_name = forms.CharField(label=_("Nom affiché"), max_length=80)
    organisation = forms.CharField(label=_("Organisation"), max_length=160)
    role = forms.CharField(label=_("Fonction"), max_length=120)
    bassins = forms.ModelMultipleChoiceField(
        label=_("Bassin(s) où vous travaillez"),
        queryset=Bassin.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_("Langue"), choices=language_choices)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            try:
                password_validation.validate_password(cleaned["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ConfirmWarningsMixin(NoControlCharactersFormMixin, forms.Form):
    confirm_warnings = forms.BooleanField(
        required=False,
        label=_("J'ai vérifié : aucune personne aidée n'est identifiable dans mon texte."),
    )


class MessageForm(ConfirmWarningsMixin):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_(
            "Informations générales uniquement : pas de nom, de date de naissance, de numéro "
            "national ni d'adresse d'une personne aidée. Mentionnez un·e membre avec @identifiant."
        ),
    )
    files = MultipleFileField(
        label=_("Pièces jointes (documents ou images, 5 Mo max.)"), required=False
    )


class ReportForm(NoControlCharactersFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi signalez-vous ce message ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ModerationForm(NoControlCharactersFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("approve", _("Approuver")),
            ("reject", _("Refuser")),
            ("hide", _("Masquer")),
            ("unhide", _("Rétablir")),
            ("edit", _("Modifier")),
            ("delete", _("Supprimer")),
        ],
    )
    reason = forms.CharField(label=_("Motif"), required=False, max_length=2000)
    body = forms.CharField(
        label=_("Nouveau texte (pour « Modifier »)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PreferencesForm(NoControlCharactersFormMixin, forms.Form):
    digest = forms.ChoiceField(label=_("Résumé des canaux suivis"), choices=DigestFrequency.choices)
    notify_mentions = forms.BooleanField(
        label=_("E-mail quand on me mentionne ou me répond"), required=False
    )
    language = forms.ChoiceField(label=_("Langue"), choices=language_choices)


class DeleteAccountForm(NoControlCharactersFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte sera supprimé et mes messages anonymisés.")
    )


class ReferentRequestForm(ConfirmWarningsMixin):
    bassin = forms.ModelChoiceField(label=_("Bassin"), queryset=Bassin.objects.all())
    subject = forms.CharField(label=_("Objet"), max_length=160)
    body = forms.CharField(
        label=_("Décrivez la situation bloquée, sans identifier la personne"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


class ReferentReplyForm(ConfirmWarningsMixin):
    body = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    services = forms.TypedMultipleChoiceField(
        label=_("Services du répertoire à proposer"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [(s.pk, str(s.pk)) for s in services]


class ForwardForm(NoControlCharactersFormMixin, forms.Form):
    bassin = forms.ModelChoiceField(label=_("Transmettre au bassin"), queryset=Bassin.objects.all())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
