"""Organisations and services in and out of a spreadsheet (CSV or XLSX) for the teams, in
the admin: two sheets, one mechanism.

django-import-export's ``ModelResource`` does the row work: matching a row to a record
(a service by its ``public_id``, an organisation by its slug; empty: a new one), the dry
run inside a rolled-back transaction (the preview), the diff that tells an unchanged row
from an updated one. ``SheetResource`` adds, for both sheets, the rules of the admin form:

* the model's ``full_clean`` and ``core.text``'s refusal of control characters on every
  text column (``clean_model_instances`` + ``validate_instance``);
* a theme, bassin, commune or organisation that does not exist is an error of the row,
  not silently dropped (``StrictManyToManyWidget``, ``SlugWidget``);
* the columns that are not fields of the record (a service's phones and hours, an
  organisation's maintainers and main place) are read strictly
  (``directory.spreadsheet_cells``), compared for "unchanged", validated with the row and
  written after it;
* a bassin team imports only records of its bassins (``scopes``) and names only its own
  bassins; the whole Region is the regional team's (docs/directory.md, "Who edits what",
  the rule of the Wagtail views);
* all or nothing: one invalid row and nothing is written.

Column headers are in the reader's language (FR or NL) in the template; an uploaded
file may use either language's headers or the field names.
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
import itertools
import uuid
from dataclasses import dataclass, field

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from bassins.models import Bassin, Commune, Theme
from bassins.queries import suggest_bassin
from bassins.rights import bassin_rights
from core.text import validate_multi_line, validate_single_line

from . import spreadsheet_cells as cells
from .models import (
    Availability,
    Location,
    Maintainer,
    Organisation,
    Phone,
    ScheduleSlot,
    Service,
    ServiceStatus,
)
from .scopes import ORGANISATION_SCOPE, SERVICE_SCOPE

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.ms-excel"}
MAX_ROWS = 2000
MAX_SLUGS = 100  # per many-to-many cell; the Region has 19 communes and 5 bassins
ROW_KINDS = ("new", "update", "skip", "invalid", "error")
TRUE_WORDS = {"oui", "ja", "yes", "1", "true", "vrai", "x"}
FALSE_WORDS = {"non", "nee", "no", "0", "false", "faux", ""}

# Field name -> header (French text, Dutch in the catalogue), in the template's order.
SERVICE_HEADERS = {
    "public_id": gettext_lazy("Identifiant (vide pour un nouveau service)"),
    "organisation": gettext_lazy("Organisation (identifiant)"),
    "name_fr": gettext_lazy("Nom (FR)"),
    "name_nl": gettext_lazy("Nom (NL)"),
    "status": gettext_lazy("Statut"),
    "description_fr": gettext_lazy("Description (FR)"),
    "description_nl": gettext_lazy("Description (NL)"),
    "is_help_line": gettext_lazy("Ligne d'aide (oui/non)"),
    "email": gettext_lazy("E-mail"),
    "website": gettext_lazy("Site web"),
    "phones": gettext_lazy("Téléphones (séparés par ; numéro vert : « 0800 12 345 (gratuit) »)"),
    "hours": gettext_lazy("Horaires (par ex. « lun 9:00-12:00; mar-ven 13:30-17:00 »)"),
    "is_free": gettext_lazy("Gratuit (oui/non)"),
    "by_appointment": gettext_lazy("Sur rendez-vous (oui/non)"),
    "needs_referral": gettext_lazy("Sur orientation (oui/non)"),
    "walk_in": gettext_lazy("Sans rendez-vous (oui/non)"),
    "access_notes_fr": gettext_lazy("Conditions d'accès (FR)"),
    "access_notes_nl": gettext_lazy("Conditions d'accès (NL)"),
    "availability": gettext_lazy(
        "Disponibilité (accepting, waiting_list, not_accepting ou unknown)"
    ),
    "availability_wait_weeks": gettext_lazy("Attente (semaines, pour une liste d'attente)"),
    "availability_date": gettext_lazy("Disponibilité indiquée le (AAAA-MM-JJ)"),
    "area_whole_region": gettext_lazy("Toute la Région (oui/non)"),
    "area_bassins": gettext_lazy("Bassins desservis (identifiants, séparés par des virgules)"),
    "area_communes": gettext_lazy("Communes desservies (identifiants, séparés par des virgules)"),
    "themes": gettext_lazy("Thématiques (identifiants, séparés par des virgules)"),
    "last_verified": gettext_lazy("Dernière vérification (AAAA-MM-JJ)"),
}
ORGANISATION_HEADERS = {
    "slug": gettext_lazy("Identifiant de l'organisation (vide : tiré du nom)"),
    "name_fr": gettext_lazy("Nom (FR)"),
    "name_nl": gettext_lazy("Nom (NL)"),
    "alternate_name": gettext_lazy("Sigle ou autre nom"),
    "description_fr": gettext_lazy("Description (FR)"),
    "description_nl": gettext_lazy("Description (NL)"),
    "website": gettext_lazy("Site web"),
    "email": gettext_lazy("E-mail public"),
    "maintainers": gettext_lazy(
        "E-mails des personnes qui tiennent la fiche à jour (séparés par ;)"
    ),
    "address": gettext_lazy("Adresse"),
    "postal_code": gettext_lazy("Code postal"),
    "commune": gettext_lazy("Commune (identifiant ; vide : d'après le code postal)"),
    "latitude": gettext_lazy("Latitude (par ex. 50.8466)"),
    "longitude": gettext_lazy("Longitude (par ex. 4.3528)"),
    "accessibility_fr": gettext_lazy("Accessibilité (FR)"),
    "accessibility_nl": gettext_lazy("Accessibilité (NL)"),
}
# The organisation's main place (its first location): these columns fill a ``Location``.
PLACE_COLUMNS = (
    "address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "accessibility_fr",
    "accessibility_nl",
)


class SpreadsheetError(ValueError):
    """The file cannot be read as that sheet (the message says why)."""


class YesNoWidget(widgets.BooleanWidget):
    """oui/non, ja/nee, yes/no, 1/0; empty is no. Anything else is an error of the row."""

    def clean(self, value, row=None, **kwargs):
        word = str(value if value is not None else "").strip().casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("« %(value)s » : répondez oui ou non.") % {"value": str(value)[:40]})

    def render(self, value, obj=None, **kwargs):
        return _("oui") if value else _("non")


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Slugs separated by commas; a slug that names nothing is an error, not ignored."""

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(self.separator) if s.strip()]
        if len(slugs) > MAX_SLUGS:
            raise ValueError(_("Plus de %(max)s valeurs.") % {"max": MAX_SLUGS})
        found = self.model.objects.filter(**{f"{self.field}__in": slugs})
        unknown = sorted(set(slugs) - {getattr(item, self.field) for item in found})
        if unknown:
            raise ValueError(_("Inconnu : %(values)s.") % {"values": ", ".join(unknown)[:200]})
        return found


class OrganisationWidget(widgets.ForeignKeyWidget):
    """The organisation by its slug (the one in its page's address)."""

    def __init__(self):
        super().__init__(Organisation, field="slug")

    def clean(self, value, row=None, **kwargs):
        slug = str(value or "").strip()
        if not slug:
            raise ValueError(_("Indiquez l'organisation (son identifiant)."))
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise ValueError(
                _("Aucune organisation « %(value)s » : créez-la d'abord.") % {"value": slug[:80]}
            )
        return found


class ChoiceWidget(widgets.CharWidget):
    """A code of ``choices`` or its label in French or Dutch; empty: ``default``."""

    def __init__(self, choices: type[models.TextChoices], default: str):
        super().__init__()
        self.choices = choices
        self.default = default

    @functools.cached_property
    def codes(self) -> dict[str, str]:
        """The words of every code and of its French and Dutch labels -> the code (the
        same in every language: built once)."""
        codes = {_words(code): code for code in self.choices.values}
        for language in ("fr", "nl"):
            with translation.override(language):
                codes |= {_words(label): code for code, label in self.choices.choices}
        return codes

    def clean(self, value, row=None, **kwargs):
        text = _words(value)
        if not text:
            return self.default
        codes = self.codes
        if text in codes:
            return codes[text]
        raise ValueError(
            _("« %(value)s » inconnu : %(choices)s.")
            % {"value": str(value)[:40], "choices": ", ".join(self.choices.values)}
        )


def _words(text) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).casefold()


class SmallNumberWidget(widgets.IntegerWidget):
    """A whole number written plainly (no exponent, no decimals, at most six digits)."""

    def clean(self, value, row=None, **kwargs):
        return cells.parse_small_number(value)


def _m2m(name: str, model: type[models.Model]) -> fields.Field:
    return fields.Field(
        attribute=name, column_name=name, widget=StrictManyToManyWidget(model, field="slug")
    )


def _yes_no(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=YesNoWidget())


def _extra(name: str) -> fields.Field:
    """A column that is no field of the record (``SheetResource.EXTRA``)."""
    return fields.Field(column_name=name)


# --- The mechanism both sheets share ----------------------------------------------------


class SheetResource(resources.ModelResource):
    """One row per record; column names are the field names (``read_dataset`` maps the
    translated headers to them).

    A subclass gives ``HEADERS`` (the columns, in order), ``REQUIRED`` (the columns a
    file must have) and ``template_queryset``; ``EXTRA``, the columns that are not fields
    of the model, each with the function reading its cell, and for each of them
    ``dehydrate_<name>``, ``current_<name>(instance)`` and ``write_<name>(instance,
    value)``; and ``row_errors`` for its own rules."""

    HEADERS: dict = {}
    REQUIRED: tuple[str, ...] = ()
    EXTRA: dict = {}  # extra column -> the function that reads its cell
    FILENAME = ""
    NOUN = ""

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.rights = bassin_rights(user)
        self.taken_slugs: set[str] = set()
        self.notes: list[str] = []

    @classmethod
    def template_queryset(cls, user) -> models.QuerySet:
        raise NotImplementedError

    # Reading a row ------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        """The row's values on ``instance``; the extra columns parsed and the sheet's own
        rules checked before anything is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance._sheet_extra = {}
        for name, parse in self.EXTRA.items():
            if name not in row:
                continue
            try:
                instance._sheet_extra[name] = parse(row[name])
            except ValueError as error:
                errors[name] = [str(error)]
        errors.update(self.row_errors(instance, row, errors))
        if not instance.slug and instance.name_fr:
            instance.slug = self._free_slug(instance.name_fr)
        if errors:
            raise ValidationError(errors)

    def row_errors(self, instance, row, errors: dict) -> dict:
        return {}

    def extra_changed(self, instance) -> bool:
        values = getattr(instance, "_sheet_extra", {})
        if instance.pk is None:
            return any(values.values())
        return any(
            value != getattr(self, f"current_{name}")(instance) for name, value in values.items()
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self.extra_changed(instance):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def _free_slug(self, name: str) -> str:
        model = self._meta.model
        base = slugify(name)[:100] or model._meta.model_name
        slug, n = base, 1
        while slug in self.taken_slugs or model.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        self.taken_slugs.add(slug)
        return slug

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As the admin form: ``full_clean`` on the editable fields, then ``core.text`` on
        every text column."""
        errors = dict(import_validation_errors or {})
        model = self._meta.model
        model_names = {f.name for f in model._meta.get_fields()}
        for name in self.HEADERS:
            if name not in model_names or name in errors:
                continue
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                continue
            errors.update(_text_errors(instance, model_field))
        # What the admin form does not show (search columns...) is not judged.
        hidden = [f.name for f in model._meta.concrete_fields if not f.editable]
        try:
            instance.full_clean(exclude=hidden + list(errors), validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # Writing ------------------------------------------------------------------------

    def after_save_instance(self, instance, row, **kwargs):
        for name, value in getattr(instance, "_sheet_extra", {}).items():
            getattr(self, f"write_{name}")(instance, value)

    def before_import_row(self, row, **kwargs):
        self.notes = []

    def after_import_row(self, row, row_result, **kwargs):
        row_result.notes = self.notes


def _text_errors(instance, model_field) -> dict:
    value = getattr(instance, model_field.attname, None)
    if not isinstance(value, str):
        return {}
    validator = (
        validate_multi_line if isinstance(model_field, models.TextField) else validate_single_line
    )
    try:
        validator(value)
    except ValidationError as error:
        return {model_field.name: error.messages}
    return {}


def _sync_children(manager, wanted: list[tuple], key, make) -> None:
    """Make ``manager``'s rows those of ``wanted`` (in order) by ``key``: rows already
    there are kept (with what the sheet does not carry: ids, descriptions, languages)."""
    existing = {key(row): row for row in manager.all()}
    for found_key, row in existing.items():
        if found_key not in wanted:
            row.delete()
    for order, wanted_key in enumerate(wanted):
        make(order, wanted_key, existing.get(wanted_key))


# --- Services ---------------------------------------------------------------------------


class ServiceResource(SheetResource):
    """One row per service, matched by its ``public_id``."""

    HEADERS = SERVICE_HEADERS
    REQUIRED = ("organisation", "name_fr")
    EXTRA = {"phones": cells.parse_phones, "hours": cells.parse_hours}
    FILENAME = "repertoire-services"
    NOUN = gettext_lazy("service(s)")

    public_id = fields.Field(attribute="public_id", column_name="public_id", readonly=True)
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=OrganisationWidget(),
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(ServiceStatus, ServiceStatus.ACTIVE),
    )
    phones = _extra("phones")
    hours = _extra("hours")
    availability = fields.Field(
        attribute="availability",
        column_name="availability",
        widget=ChoiceWidget(Availability, Availability.UNKNOWN),
    )
    availability_wait_weeks = fields.Field(
        attribute="availability_wait_weeks",
        column_name="availability_wait_weeks",
        widget=SmallNumberWidget(),
    )
    is_help_line = _yes_no("is_help_line")
    is_free = _yes_no("is_free")
    by_appointment = _yes_no("by_appointment")
    needs_referral = _yes_no("needs_referral")
    walk_in = _yes_no("walk_in")
    area_whole_region = _yes_no("area_whole_region")
    area_bassins = _m2m("area_bassins", Bassin)
    area_communes = _m2m("area_communes", Commune)
    themes = _m2m("themes", Theme)

    class Meta:
        model = Service
        fields = tuple(SERVICE_HEADERS)
        import_order = tuple(SERVICE_HEADERS)
        export_order = tuple(SERVICE_HEADERS)
        clean_model_instances = False  # validate_instance does it, as the admin form
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def template_queryset(cls, user) -> models.QuerySet:
        queryset = Service.objects.select_related("organisation").prefetch_related(
            "area_bassins", "area_communes", "themes", "phones", "schedule"
        )
        return SERVICE_SCOPE.filter(queryset, user).order_by(
            "organisation__name_fr", "name_fr", "pk"
        )

    # Matching ------------------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        text = str(row.get("public_id") or "").strip()
        if not text:
            return None
        try:
            public_id = uuid.UUID(text)
        except ValueError:
            raise ValidationError(
                {"public_id": _("« %(value)s » n'est pas un identifiant.") % {"value": text[:40]}}
            ) from None
        instance = Service.objects.filter(public_id=public_id).first()
        if instance is None:
            raise ValidationError(
                {
                    "public_id": _(
                        "Aucun service n'a l'identifiant %(value)s : laissez la colonne vide "
                        "pour en créer un."
                    )
                    % {"value": text}
                }
            )
        if not SERVICE_SCOPE.allows(self.user, instance):
            raise ValidationError(
                {
                    "public_id": _(
                        "Ce service n'est pas de vos bassins : vous ne pouvez pas le modifier."
                    )
                }
            )
        return instance

    # Rules of the row ---------------------------------------------------------------

    def row_errors(self, instance, row, errors: dict) -> dict:
        """Many-to-many names that exist, bassins the user may name, an availability not
        dated in the future; a new service takes its organisation's main place."""
        found = {}
        area: set[int] | None = None
        for name in ("area_bassins", "area_communes", "themes"):
            if name not in row:
                continue
            try:
                values = self.fields[name].clean(row)
            except ValueError as error:
                found[name] = [str(error)]
                continue
            if name == "area_bassins":
                area = {bassin.pk for bassin in values}
        found.update(self._area_errors(instance, area))
        if instance.availability_date and instance.availability_date > timezone.localdate():
            found["availability_date"] = [_("Cette date est dans le futur.")]
        if instance.pk is None and instance.location_id is None and instance.organisation_id:
            place = instance.organisation.locations.order_by("pk").first()
            if place is not None:
                instance.location = place
                self.notes.append(_("Lieu : %(place)s") % {"place": place})
        return found

    def _area_errors(self, instance: Service, area: set[int] | None) -> dict:
        if self.rights.regional:
            return {}
        if instance.area_whole_region:
            return {
                "area_whole_region": [
                    _("Toute la Région : c'est l'équipe régionale qui l'indique.")
                ]
            }
        before = set(instance.area_bassins.values_list("pk", flat=True)) if instance.pk else set()
        after = before if area is None else area
        added = after - before
        if not after or not (after & self.rights.bassin_ids) or added - self.rights.bassin_ids:
            return {
                "area_bassins": [_("Indiquez au moins un de vos bassins, et seulement les vôtres.")]
            }
        return {}

    # Phones and hours -------------------------------------------------------------------

    def dehydrate_phones(self, service: Service) -> str:
        return cells.render_phones(self.current_phones(service), translation.get_language())

    def dehydrate_hours(self, service: Service) -> str:
        return cells.render_hours(self.current_hours(service), translation.get_language())

    def current_phones(self, service: Service) -> tuple:
        return tuple((p.number, p.kind) for p in service.phones.all())

    def current_hours(self, service: Service) -> tuple:
        return tuple(sorted((s.weekday, s.opens_at, s.closes_at) for s in service.schedule.all()))

    def write_phones(self, service: Service, phones: tuple) -> None:
        kinds = dict(phones)

        def make(order, number, phone):
            if phone is None:
                Phone.objects.create(
                    service=service, number=number, kind=kinds[number], sort_order=order
                )
            elif (phone.kind, phone.sort_order) != (kinds[number], order):
                phone.kind, phone.sort_order = kinds[number], order
                phone.save(update_fields=["kind", "sort_order"])

        _sync_children(
            service.phones, [number for number, _kind in phones], lambda p: p.number, make
        )

    def write_hours(self, service: Service, slots: tuple) -> None:
        def make(order, slot, existing):
            if existing is None:
                ScheduleSlot.objects.create(
                    service=service, weekday=slot[0], opens_at=slot[1], closes_at=slot[2]
                )

        _sync_children(
            service.schedule, list(slots), lambda s: (s.weekday, s.opens_at, s.closes_at), make
        )


# --- Organisations ----------------------------------------------------------------------


class OrganisationResource(SheetResource):
    """One row per organisation, matched by its slug (the identifier in its page's
    address; empty: taken from the name), with its maintainers and its main place."""

    HEADERS = ORGANISATION_HEADERS
    REQUIRED = ("slug", "name_fr")
    EXTRA = {"maintainers": cells.parse_emails}
    FILENAME = "repertoire-organisations"
    NOUN = gettext_lazy("organisation(s)")

    maintainers = _extra("maintainers")
    address = _extra("address")
    postal_code = _extra("postal_code")
    commune = _extra("commune")
    latitude = _extra("latitude")
    longitude = _extra("longitude")
    accessibility_fr = _extra("accessibility_fr")
    accessibility_nl = _extra("accessibility_nl")

    class Meta:
        model = Organisation
        fields = tuple(ORGANISATION_HEADERS)
        import_order = tuple(ORGANISATION_HEADERS)
        export_order = tuple(ORGANISATION_HEADERS)
        clean_model_instances = False
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def template_queryset(cls, user) -> models.QuerySet:
        """The organisations of the scope, and those without services yet whose main
        place is in the user's bassins (``_may_edit``)."""
        queryset = Organisation.objects.prefetch_related("maintainers", "locations__commune")
        rights = bassin_rights(user)
        if not rights.regional:
            in_scope = ORGANISATION_SCOPE.filter(Organisation.objects.all(), user).values("pk")
            unserved = Organisation.objects.filter(services__isnull=True).prefetch_related(
                "locations"
            )
            placed_here = [o.pk for o in unserved if _place_in_rights(o, rights)]
            queryset = queryset.filter(models.Q(pk__in=in_scope) | models.Q(pk__in=placed_here))
        return queryset.order_by("name_fr", "pk")

    def get_instance(self, instance_loader, row):
        slug = str(row.get("slug") or "").strip()
        if not slug:
            return None
        instance = Organisation.objects.filter(slug=slug).first()
        if instance is not None and not self._may_edit(instance):
            raise ValidationError(
                {
                    "slug": _(
                        "Cette organisation n'est pas de vos bassins : vous ne pouvez pas "
                        "la modifier."
                    )
                }
            )
        return instance

    def _may_edit(self, organisation: Organisation) -> bool:
        """The scope of the Wagtail views; an organisation without any service yet (just
        imported) is also its place's bassin team's."""
        if ORGANISATION_SCOPE.allows(self.user, organisation):
            return True
        return not organisation.services.exists() and _place_in_rights(organisation, self.rights)

    @staticmethod
    def main_place(organisation: Organisation) -> Location | None:
        if organisation.pk is None:
            return None
        return min(organisation.locations.all(), key=lambda place: place.pk, default=None)

    # Maintainers --------------------------------------------------------------------

    def dehydrate_maintainers(self, organisation: Organisation) -> str:
        return "; ".join(self.current_maintainers(organisation))

    def current_maintainers(self, organisation: Organisation) -> tuple:
        return tuple(m.email for m in organisation.maintainers.all())

    def write_maintainers(self, organisation: Organisation, emails: tuple) -> None:
        def make(order, email, existing):
            if existing is None:
                Maintainer.objects.create(organisation=organisation, email=email)

        _sync_children(organisation.maintainers, list(emails), lambda m: m.email, make)

    # The main place -----------------------------------------------------------------

    def _place_value(self, organisation: Organisation, name: str):
        place = self.main_place(organisation)
        if place is None:
            return ""
        if name == "commune":
            return place.commune.slug if place.commune_id else ""
        value = getattr(place, name)
        return "" if value is None else value

    def export_field(self, field, instance, **kwargs):
        if field.column_name in PLACE_COLUMNS:
            return self._place_value(instance, field.column_name)
        return super().export_field(field, instance, **kwargs)

    def row_errors(self, instance, row, errors: dict) -> dict:
        """The main place from the row (none given: unchanged), and the rights on a new
        organisation: a bassin team gives a place in one of its bassins."""
        found = self._read_place(instance, row)
        # Only a new organisation's place is read below, and it has no place saved yet.
        place = getattr(instance, "_sheet_place", None)
        if instance.pk is None and not self.rights.regional and not found:
            suggestion = suggest_bassin(place.postal_code) if place else None
            candidates = {b.pk for b in suggestion["candidates"]} if suggestion else set()
            if suggestion and suggestion["bassin"]:
                candidates.add(suggestion["bassin"].pk)
            if not candidates & self.rights.bassin_ids:
                found["postal_code"] = [
                    _(
                        "Une nouvelle organisation : indiquez son adresse dans un de vos "
                        "bassins (l'équipe régionale inscrit les autres)."
                    )
                ]
        return found

    def _read_place(self, instance: Organisation, row) -> dict:
        if not any(name in row for name in PLACE_COLUMNS):
            return {}
        cells_of_row = {name: row.get(name, "") for name in PLACE_COLUMNS if name in row}
        if not any(str(value).strip() for value in cells_of_row.values()):
            return {}
        current = self.main_place(instance)
        place = (
            # A copy to change, ``current`` kept to compare with.
            Location(organisation=instance) if current is None else copy.copy(current)
        )
        before = (place.postal_code, place.commune_id)
        errors: dict[str, list[str]] = {}
        for name in ("address", "postal_code", "accessibility_fr", "accessibility_nl"):
            if name in cells_of_row:
                setattr(place, name, str(cells_of_row[name]).strip())
        for name in ("latitude", "longitude"):
            if name in cells_of_row:
                try:
                    setattr(place, name, cells.parse_coordinate(cells_of_row[name]))
                except ValueError as error:
                    errors[name] = [str(error)]
        if "commune" in cells_of_row:
            errors.update(self._read_commune(place, str(cells_of_row["commune"]).strip()))
        if not place.address:
            errors.setdefault("address", [_("Indiquez l'adresse du lieu.")])
        if not (len(place.postal_code) == 4 and place.postal_code.isdigit()):
            errors.setdefault("postal_code", [_("Un code postal belge : 4 chiffres.")])
        if place.postal_code != before[0]:
            # A new postal code: the bassin is suggested again (a confirmed one was for
            # the old address), and the commune too when the row names none.
            place.bassin = None
            if place.commune_id == before[1] and not str(cells_of_row.get("commune", "")).strip():
                place.commune = None
        for name in ("address", "postal_code", "accessibility_fr", "accessibility_nl"):
            if name not in errors:
                errors.update(_text_errors(place, Location._meta.get_field(name)))
        try:
            place.full_clean(exclude=["organisation", *errors], validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            self._note_suggestions(place)
            instance._sheet_place = place
            instance._sheet_place_changed = current is None or _place_tuple(place) != _place_tuple(
                current
            )
        return errors

    def _read_commune(self, place: Location, slug: str) -> dict:
        if not slug:
            place.commune = None
            return {}
        commune = Commune.objects.filter(slug=slug).first()
        if commune is None:
            return {"commune": [_("Inconnu : %(values)s.") % {"values": slug[:80]}]}
        of_code = list(Commune.objects.filter(postal_codes__code=place.postal_code))
        if of_code and commune not in of_code:
            return {
                "commune": [
                    _("%(commune)s n'est pas une commune du code postal %(code)s (%(communes)s).")
                    % {
                        "commune": slug[:80],
                        "code": place.postal_code,
                        "communes": ", ".join(c.slug for c in of_code),
                    }
                ]
            }
        place.commune = commune
        return {}

    def _note_suggestions(self, place: Location) -> None:
        if place.commune_id is None:
            place.apply_commune_suggestion()
            if place.commune_id is not None:
                self.notes.append(
                    _("Commune d'après le code postal : %(commune)s") % {"commune": place.commune}
                )
        suggestion = suggest_bassin(place.postal_code)
        if place.bassin_id is None and suggestion["ambiguous"]:
            self.notes.append(
                _(
                    "Code postal partagé entre bassins : confirmez le bassin du lieu dans "
                    "l'admin (suggéré : %(bassin)s)."
                )
                % {"bassin": suggestion["bassin"]}
            )

    def extra_changed(self, instance) -> bool:
        return getattr(instance, "_sheet_place_changed", False) or super().extra_changed(instance)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        place = getattr(instance, "_sheet_place", None)
        if place is None or not instance._sheet_place_changed:
            return
        created = place.pk is None
        place.organisation = instance
        place.save()
        if created:
            # The organisation's services without a place are given this one, as a
            # listing approval does.
            for service in instance.services.filter(location__isnull=True):
                service.location = place
                service.save(update_fields=["location"])


def _place_in_rights(organisation: Organisation, rights) -> bool:
    """Is the organisation's main place in one of the bassins of ``rights`` (its confirmed
    bassin, else the one its postal code suggests)?"""
    place = OrganisationResource.main_place(organisation)
    return place is not None and rights.allows(place.bassin_id or place.suggested_bassin_id)


def _place_tuple(place: Location) -> tuple:
    return tuple(
        getattr(place, name)
        for name in ("address", "postal_code", "commune_id", "latitude", "longitude")
    ) + (place.accessibility_fr, place.accessibility_nl)


SHEETS: dict[str, type[SheetResource]] = {
    "services": ServiceResource,
    "organisations": OrganisationResource,
}


# --- Files ------------------------------------------------------------------------------


def header_map(sheet: str = "services") -> dict[str, str]:
    """Every accepted header of ``sheet`` (field name, French or Dutch label),
    casefolded -> field."""
    headers = SHEETS[sheet].HEADERS
    accepted = {name.casefold(): name for name in headers}
    for language in ("fr", "nl"):
        with translation.override(language):
            accepted |= {str(label).strip().casefold(): name for name, label in headers.items()}
    return accepted


def read_dataset(content: bytes, file_format: str, sheet: str = "services") -> tablib.Dataset:
    """The rows of an uploaded file of ``sheet`` with field names as headers.

    Raises ``SpreadsheetError`` when the file is not of that format, lacks a required
    column, has an unknown or repeated column, or too many rows."""
    if file_format not in FORMATS:
        raise SpreadsheetError(_("Format inconnu : choisissez CSV ou XLSX."))
    try:
        if file_format == "xlsx" and _xlsx_rows_over(content, MAX_ROWS + 1):
            # Before tablib reads every row: a 5 MB sheet of 200,000 short rows took
            # some twenty seconds and its memory to be refused.
            raise SpreadsheetError(
                _("Plus de %(max)s lignes : découpez le fichier.") % {"max": MAX_ROWS}
            )
        if file_format == "csv":
            text = content.decode("utf-8-sig")
            dataset = tablib.Dataset().load(text, format="csv")
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except SpreadsheetError:
        raise
    except UnicodeDecodeError:
        raise SpreadsheetError(_("Ce fichier CSV n'est pas en UTF-8.")) from None
    except Exception:
        raise SpreadsheetError(
            _("Ce fichier ne se lit pas comme un tableau %(format)s.")
            % {"format": file_format.upper()}
        ) from None
    resource = SHEETS[sheet]
    accepted = header_map(sheet)
    names = []
    for header in dataset.headers or []:
        name = accepted.get(str(header or "").strip().casefold())
        if name is None:
            raise SpreadsheetError(
                _("Colonne inconnue « %(header)s » : partez du modèle à télécharger.")
                % {"header": str(header)[:80]}
            )
        if name in names:
            raise SpreadsheetError(
                _("Colonne en double « %(header)s ».") % {"header": str(header)[:80]}
            )
        names.append(name)
    missing = [name for name in resource.REQUIRED if name not in names]
    if missing:
        raise SpreadsheetError(
            _("Il manque la ou les colonnes %(columns)s : partez du modèle.")
            % {"columns": ", ".join(f"« {resource.HEADERS[name]} »" for name in missing)}
        )
    if len(dataset) > MAX_ROWS:
        raise SpreadsheetError(
            _("Plus de %(max)s lignes : découpez le fichier.") % {"max": MAX_ROWS}
        )
    dataset.headers = names
    for index, row in enumerate(dataset):
        # A workbook gives empty cells as None, dates as datetimes and numbers as floats.
        dataset[index] = tuple(_cell(value) for value in row)
    return dataset


def _xlsx_rows_over(content: bytes, limit: int) -> bool:
    """The workbook's first sheet (the one tablib reads) has more than ``limit`` rows,
    counted as tablib will read them, stopping just past ``limit`` (its declared
    dimension is not trusted: a sheet may declare a million rows and hold ten)."""
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    return any(True for _row in itertools.islice(sheet.rows, limit, None))


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def template_file(user, file_format: str, language: str, sheet: str = "services") -> bytes:
    """The records of ``sheet`` the user may edit, as a spreadsheet with headers in
    ``language`` (empty but for the headers when there are none): the template to fill in."""
    resource = SHEETS[sheet]
    with translation.override(language):
        dataset = resource(user=user).export(resource.template_queryset(user))
        dataset.headers = [str(resource.HEADERS[name]) for name in dataset.headers]
    if file_format == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export("xlsx")


@dataclass
class RowOutcome:
    number: int  # the line of the spreadsheet (the header is line 1)
    kind: str  # new / update / skip (unchanged) / invalid / error
    name: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    rows: list[RowOutcome]
    totals: dict[str, int]

    @property
    def ok(self) -> bool:
        return not (self.totals.get("invalid") or self.totals.get("error"))


def _outcome(result, dataset: tablib.Dataset, headers: dict) -> Outcome:
    rows = []
    records = dataset.dict
    for index, row_result in enumerate(result.rows):
        values = records[index] if index < len(records) else {}
        messages = [str(error.error) for error in row_result.errors]
        if row_result.validation_error is not None:
            for name, problems in row_result.validation_error.message_dict.items():
                label = str(headers.get(name, name))
                messages += [f"{label} : {problem}" for problem in problems]
        rows.append(
            RowOutcome(
                number=index + 2,
                kind=row_result.import_type,
                name=str(values.get("name_fr", ""))[:200],
                errors=messages,
                notes=[str(note) for note in getattr(row_result, "notes", [])],
            )
        )
    totals = {kind: sum(1 for r in rows if r.kind == kind) for kind in ROW_KINDS}
    totals["error"] += len(result.base_errors)
    return Outcome(rows=rows, totals=totals)


def preview(dataset: tablib.Dataset, user, sheet: str = "services") -> Outcome:
    """What importing ``dataset`` would do, row by row; nothing is written."""
    resource = SHEETS[sheet](user=user)
    result = resource.import_data(dataset, dry_run=True, use_transactions=True)
    return _outcome(result, dataset, resource.HEADERS)


def apply(dataset: tablib.Dataset, user, sheet: str = "services") -> Outcome:
    """Import ``dataset``: every row, or nothing when one is invalid."""
    resource = SHEETS[sheet](user=user)
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
        )
        outcome = _outcome(result, dataset, resource.HEADERS)
        if not outcome.ok:
            transaction.set_rollback(True)
    return outcome


def max_upload_bytes() -> int:
    return settings.DIRECTORY_SPREADSHEET_MAX_BYTES
