"""Search filters read from the query string (django-filter), shared by the page,
the JSON API and the exports. The filtering itself lives in ``queries``."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.formfields import StrictBooleanField
from core.text import NoControlCharactersFormMixin

from .models import Service
from .queries import (
    FACET_LABEL_MODELS,
    MAX_QUERY_LENGTH,
    Criteria,
    facet_labels,
    postal_code_point,
    search_services,
)

_SLUG = re.compile(r"^[-a-z0-9]{1,60}$")
MAX_VALUES = 30


class SlugListField(forms.Field):
    """Several ``?theme=a&theme=b`` values; each must look like a slug."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        values = [str(v).strip().lower() for v in value if str(v).strip()]
        if len(values) > MAX_VALUES:
            raise ValidationError(_("Trop de valeurs sélectionnées."), code="too_many")
        for v in values:
            if not _SLUG.match(v):
                raise ValidationError(_("Valeur de filtre invalide."), code="invalid")
        return list(dict.fromkeys(values))


class SlugListFilter(django_filters.Filter):
    field_class = SlugListField

    def filter(self, qs, value):  # the search applies every criterion at once
        return qs


class NoopBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def filter(self, qs, value):
        return qs


class NoopCharFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        return qs


_POSTAL_CODE = re.compile(r"^\d{4}$")
_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:[.,]\d{1,12})?$")


class CoordinateField(forms.Field):
    """A latitude or longitude in decimal degrees, within ``limit``; "50,85" is accepted."""

    widget = forms.HiddenInput

    def __init__(self, *args, limit: float, **kwargs):
        self.limit = limit
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if not _NUMBER.match(value):
            raise ValidationError(
                _("Coordonnée invalide : un nombre en degrés décimaux, par ex. 50.85."),
                code="invalid",
            )
        number = float(value.replace(",", "."))
        if not -self.limit <= number <= self.limit:
            raise ValidationError(
                _("Coordonnée hors limites : entre -%(limit)s et %(limit)s degrés."),
                code="range",
                params={"limit": int(self.limit)},
            )
        return number


class CoordinateFilter(django_filters.Filter):
    field_class = CoordinateField

    def filter(self, qs, value):
        return qs


class ServiceFilterForm(NoControlCharactersFormMixin, forms.Form):
    """Every facet value must name an existing row: an unknown bassin is an error, not
    a filter silently ignored."""

    def clean(self):
        cleaned = super().clean()
        labels = None
        for name in FACET_LABEL_MODELS:
            values = cleaned.get(name) or []
            if not values:
                continue
            labels = labels or facet_labels()
            known = {key for key, _fr, _nl in labels[name]}
            unknown = [v for v in values if v not in known]
            if unknown:
                self.add_error(
                    name,
                    ValidationError(
                        _("Valeur inconnue : %(values)s."),
                        code="unknown",
                        params={"values": ", ".join(unknown)},
                    ),
                )
        near = cleaned.get("near") or ""
        if near and not _POSTAL_CODE.match(near):
            self.add_error(
                "near", ValidationError(_("Code postal invalide : 4 chiffres, par ex. 1030."))
            )
        elif near and postal_code_point(near) is None:
            self.add_error(
                "near",
                ValidationError(
                    _("Code postal inconnu : %(code)s n'est pas un code de la Région bruxelloise."),
                    params={"code": near},
                ),
            )
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            self.add_error("lat", _("Donnez la latitude et la longitude ensemble."))
        has_origin = near or cleaned.get("lat") is not None
        if cleaned.get("sort") == "distance" and not has_origin and not self.errors:
            self.add_error(
                "sort", _("Pour trier par distance, indiquez un code postal ou votre position.")
            )
        return cleaned


class ServiceFilter(django_filters.FilterSet):
    q = NoopCharFilter(label=_("Mots-clés"), max_length=MAX_QUERY_LENGTH)
    bassin = SlugListFilter(label=_("Bassin"))
    commune = SlugListFilter(label=_("Commune"))
    theme = SlugListFilter(label=_("Thématique"))
    public = SlugListFilter(label=_("Public"))
    language = SlugListFilter(label=_("Langue"))
    modality = SlugListFilter(label=_("Modalité de contact"))
    professionals = NoopBooleanFilter(label=_("Pour les professionnel·les"), required=False)
    open_now = NoopBooleanFilter(label=_("Ouvert maintenant"), required=False)
    help_lines = NoopBooleanFilter(label=_("Lignes d'aide uniquement"), required=False)
    accepting = NoopBooleanFilter(label=_("Accueille de nouvelles personnes"), required=False)
    near = NoopCharFilter(label=_("Près du code postal"), max_length=10)
    lat = CoordinateFilter(label=_("Latitude"), limit=90)
    lon = CoordinateFilter(label=_("Longitude"), limit=180)
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=[
            ("relevance", _("pertinence")),
            ("name", _("nom")),
            ("fresh", _("dernière vérification")),
            ("distance", _("distance")),
        ],
        method=lambda qs, name, value: qs,
        empty_label=None,
    )

    class Meta:
        model = Service
        fields: list[str] = []
        form = ServiceFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget.attrs.update({"type": "search", "maxlength": MAX_QUERY_LENGTH})
        self.form.fields["sort"].required = False

    def criteria(self) -> Criteria:
        """Valid criteria (call ``is_valid`` first); invalid input never reaches the query."""
        return Criteria.from_cleaned(self.form.cleaned_data)

    def search(self, language: str, now=None, with_facets: bool = True):
        return search_services(self.criteria(), language=language, now=now, with_facets=with_facets)
