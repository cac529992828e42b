"""Agenda filters, shared by the pages, the iCal feeds and the JSON API.

A django-filter ``FilterSet`` validates the query string (so the agenda's filter bar
is the standard component) and ``AgendaSelection`` carries the cleaned values to
``upcoming_occurrences`` / the feed builder. Bad input raises ``BadFilter`` with a
message meant for the person (or the script) that wrote the URL.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

import django_filters
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bassins.models import Bassin, Theme
from bassins.queries import language_choices
from core.batched_reads import batched, cached_read
from core.i18n import current_content_language
from core.params import BadParameter
from core.widgets import FilterCheckboxes, FilterDateInput, FilterSelect, FilterTextInput
from core.windows import BoundedDateField

from .models import Audience, EventKind, Occurrence

MAX_WINDOW_DAYS = 366
MAX_TEXT = 100


class BadFilter(BadParameter):
    """A filter value we cannot use; ``str()`` is the message for people."""


@dataclass
class AgendaSelection:
    bassins: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    audience: str = ""
    language: str = ""
    text: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None  # inclusive last day

    def query_kwargs(self) -> dict:
        return {
            "bassins": self.bassins or None,
            "kinds": self.kinds or None,
            "themes": self.themes or None,
            "audience": self.audience or None,
            "language": self.language or None,
            "text": self.text or None,
        }

    def feed_params(self) -> list[tuple[str, str]]:
        """Query parameters for the matching iCal feed (no dates: feeds are rolling)."""
        params = [("bassin", b) for b in self.bassins]
        params += [("kind", k) for k in self.kinds]
        params += [("theme", t) for t in self.themes]
        if self.audience:
            params.append(("audience", self.audience))
        if self.language:
            params.append(("language", self.language))
        if self.text:
            params.append(("q", self.text))
        return params


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


# The checkbox groups' choices, read with the layout's reference lists in one cache round
# trip per request (core.batched_reads).
CHOICES_KEYS = {
    model: batched(f"events:choices:{model.__name__}:{{language}}")
    for model in (Bassin, EventKind, Theme)
}


def _choices_key(model) -> str:
    return CHOICES_KEYS[model].format(language=current_content_language())


def _rows(model) -> list[tuple[str, str]]:
    rows = [(obj.slug, obj.tr("name")) for obj in model.objects.all()]
    cache.set(_choices_key(model), rows, timeout=60)
    return rows


def _choices(model):
    """Choices read from the database, cached a minute (every agenda request needs them)."""

    def choices():
        rows = cached_read(_choices_key(model))
        return _rows(model) if rows is None else rows

    return choices


# The checkbox groups of the filter bar, labelled with their counts.
FACET_NAMES = ("bassin", "kind", "theme")
FACET_MODELS = {"bassin": Bassin, "kind": EventKind, "theme": Theme}


def facet_choices(names: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The choices of these checkbox groups (as ``_choices``)."""
    return {name: _choices(FACET_MODELS[name])() for name in names}


class AgendaFilter(django_filters.FilterSet):
    """Only its form is used: the agenda lists occurrences, not a model queryset."""

    q = django_filters.CharFilter(
        label=_("Recherche"),
        max_length=MAX_TEXT,
        widget=FilterTextInput(attrs={"type": "search", "maxlength": MAX_TEXT}),
    )
    bassin = django_filters.MultipleChoiceFilter(
        label=_("Bassin"), choices=_choices(Bassin), widget=FilterCheckboxes
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type"), choices=_choices(EventKind), widget=FilterCheckboxes
    )
    theme = django_filters.MultipleChoiceFilter(
        label=_("Thématique"), choices=_choices(Theme), widget=FilterCheckboxes
    )
    audience = django_filters.ChoiceFilter(
        label=_("Public"), choices=Audience.choices, empty_label=_("Tous"), widget=FilterSelect
    )
    language = django_filters.ChoiceFilter(
        label=_("Langue parlée"),
        choices=language_choices,
        empty_label=_("Toutes"),
        widget=FilterSelect,
    )
    start = BoundedDateFilter(
        label=_("Du"), widget=FilterDateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = BoundedDateFilter(
        label=_("Au"), widget=FilterDateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = Occurrence
        fields: list[str] = []

    @classmethod
    @functools.cache
    def _form_class(cls):
        fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
        return type(f"{cls.__name__}Form", (cls._meta.form,), fields)

    def get_form_class(self):
        # One form class for every request (each form copies its fields): django-filter
        # builds a class, and its fields, per filterset.
        return self._form_class()

    def __init__(self, data=None, *args, hide_bassin=False, **kwargs):
        super().__init__(data, *args, queryset=Occurrence.objects.none(), **kwargs)
        if hide_bassin:
            self.form.fields.pop("bassin")
        # Read the groups' choices once per form, together (validation, counts and
        # rendering each iterate them; a callable is re-read on every iteration).
        shown = [name for name in FACET_NAMES if name in self.form.fields]
        for name, rows in facet_choices(shown).items():
            self.form.fields[name].choices = rows

    def facet_values(self) -> dict[str, list[str]]:
        """The values of each checkbox group shown (bassin, kind, theme)."""
        return {
            name: [str(value) for value, _label in self.form.fields[name].choices]
            for name in FACET_NAMES
            if name in self.form.fields
        }

    def show_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """Label each checkbox with its count: "Formation (4)"."""
        for name, by_value in counts.items():
            field = self.form.fields[name]
            field.choices = [
                (value, f"{label} ({by_value.get(str(value), 0)})")
                for value, label in field.choices
            ]


def error_message(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        value = form.data.getlist(name) if hasattr(form.data, "getlist") else form.data.get(name)
        parts.append(
            f"{label} ({name}={', '.join(value) if isinstance(value, list) else value}): "
            + " ".join(str(e) for e in errors)
        )
    return "; ".join(parts)


def parse_selection(
    data, *, bassin: Bassin | None = None, require_window: bool = False
) -> tuple[AgendaSelection, AgendaFilter]:
    """Validate the query string; raise ``BadFilter`` with a clear message."""
    filterset = AgendaFilter(data, hide_bassin=bassin is not None)
    return selection_of(filterset, bassin=bassin, require_window=require_window), filterset


def selection_of(
    filterset: AgendaFilter, *, bassin: Bassin | None = None, require_window: bool = False
) -> AgendaSelection:
    """The selection of a bound filterset (a page renders the same one in its filter
    bar); raise ``BadFilter`` with a clear message."""
    form = filterset.form
    if not form.is_valid():
        raise BadFilter(error_message(form))
    cleaned = form.cleaned_data
    selection = AgendaSelection(
        bassins=[bassin.slug] if bassin else list(cleaned.get("bassin") or []),
        kinds=list(cleaned.get("kind") or []),
        themes=list(cleaned.get("theme") or []),
        audience=cleaned.get("audience") or "",
        language=cleaned.get("language") or "",
        text=(cleaned.get("q") or "").strip(),
        start=cleaned.get("start"),
        end=cleaned.get("end"),
    )
    if require_window and (selection.start is None or selection.end is None):
        raise BadFilter(str(_("Indiquez start et end au format AAAA-MM-JJ.")))
    if selection.start and selection.end:
        if selection.end < selection.start:
            raise BadFilter(str(_("La date de fin précède la date de début.")))
        if (selection.end - selection.start).days > MAX_WINDOW_DAYS:
            raise BadFilter(
                str(_("La période demandée dépasse un an (%(days)s jours au maximum)."))
                % {"days": MAX_WINDOW_DAYS}
            )
    return selection


def window(selection: AgendaSelection, default_days: int = 60):
    """Aware [start, end) for a selection; start defaults to today, end to +default_days."""
    zone = timezone.get_default_timezone()
    today = timezone.localdate()
    first = selection.start or today
    last = selection.end or (first + datetime.timedelta(days=default_days - 1))
    if (last - first).days > MAX_WINDOW_DAYS:
        last = first + datetime.timedelta(days=MAX_WINDOW_DAYS)
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time(0), tzinfo=zone
    )
    return start, end
