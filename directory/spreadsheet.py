"""Services in and out of a spreadsheet (CSV or XLSX) for the teams, in the admin.

django-import-export's ``ModelResource`` does the row work: matching a row to a
service by its ``public_id`` (empty: a new service), the dry run inside a rolled-back
transaction (the preview), the diff that tells an unchanged row from an updated one.
On top of it, the rules of the admin form:

* the model's ``full_clean`` and ``core.text``'s refusal of control characters on every
  text column (``clean_model_instances`` + ``validate_instance``);
* a theme, bassin or commune that does not exist is an error of the row, not silently
  dropped (``StrictManyToManyWidget``);
* a bassin team imports only services of its bassins and names only its own bassins as
  new area of action; the whole Region is the regional team's (docs/directory.md, "Who
  edits what", the rule of the Wagtail views);
* all or nothing: one invalid row and nothing is written.

Column headers are in the reader's language (FR or NL) in the template; an uploaded
file may use either language's headers or the field names.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from bassins.models import Bassin, Commune, Theme
from bassins.rights import bassin_rights
from core.text import validate_multi_line, validate_single_line

from .models import Organisation, Service, ServiceStatus
from .scopes import SERVICE_SCOPE

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.ms-excel"}
MAX_ROWS = 2000
ROW_KINDS = ("new", "update", "skip", "invalid", "error")
TRUE_WORDS = {"oui", "ja", "yes", "1", "true", "vrai", "x"}
FALSE_WORDS = {"non", "nee", "no", "0", "false", "faux", ""}

# Field name -> header (French text, Dutch in the catalogue).
HEADERS = {
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
    "is_free": gettext_lazy("Gratuit (oui/non)"),
    "by_appointment": gettext_lazy("Sur rendez-vous (oui/non)"),
    "needs_referral": gettext_lazy("Sur orientation (oui/non)"),
    "walk_in": gettext_lazy("Sans rendez-vous (oui/non)"),
    "access_notes_fr": gettext_lazy("Conditions d'accès (FR)"),
    "access_notes_nl": gettext_lazy("Conditions d'accès (NL)"),
    "area_whole_region": gettext_lazy("Toute la Région (oui/non)"),
    "area_bassins": gettext_lazy("Bassins desservis (identifiants, séparés par des virgules)"),
    "area_communes": gettext_lazy("Communes desservies (identifiants, séparés par des virgules)"),
    "themes": gettext_lazy("Thématiques (identifiants, séparés par des virgules)"),
    "last_verified": gettext_lazy("Dernière vérification (AAAA-MM-JJ)"),
}


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet of services (the message says why)."""


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


class StatusWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").replace("_", " ").split()).casefold()
        if not text:
            return ServiceStatus.ACTIVE
        labels = {str(label).casefold(): code for code, label in ServiceStatus.choices}
        for language in ("fr", "nl"):
            with translation.override(language):
                labels |= {str(label).casefold(): code for code, label in ServiceStatus.choices}
        if text in ServiceStatus.values:
            return text
        if text in labels:
            return labels[text]
        raise ValueError(
            _("Statut inconnu « %(value)s » : %(choices)s.")
            % {"value": str(value)[:40], "choices": ", ".join(ServiceStatus.values)}
        )


def _m2m(name: str, model: type[models.Model]) -> fields.Field:
    return fields.Field(
        attribute=name, column_name=name, widget=StrictManyToManyWidget(model, field="slug")
    )


def _yes_no(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=YesNoWidget())


class ServiceResource(resources.ModelResource):
    """One row per service. Column names are the field names; ``dataset_for_import``
    maps the translated headers to them."""

    public_id = fields.Field(attribute="public_id", column_name="public_id", readonly=True)
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=OrganisationWidget(),
    )
    status = fields.Field(attribute="status", column_name="status", widget=StatusWidget())
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
        fields = tuple(HEADERS)
        import_order = tuple(HEADERS)
        export_order = tuple(HEADERS)
        clean_model_instances = False  # validate_instance does it, as the admin form
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.rights = bassin_rights(user)
        self.taken_slugs: set[str] = set()

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

    # Reading a row ------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        """The row's values on ``instance``, and the many-to-many values checked (names
        that exist, bassins the user may name) before anything is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        area: set[int] | None = None
        for name in ("area_bassins", "area_communes", "themes"):
            if name not in row:
                continue
            try:
                values = self.fields[name].clean(row)
            except ValueError as error:
                errors[name] = [str(error)]
                continue
            if name == "area_bassins":
                area = {bassin.pk for bassin in values}
        errors.update(self._area_errors(instance, area))
        if not instance.slug and instance.name_fr:
            instance.slug = self._free_slug(instance.name_fr)
        if errors:
            raise ValidationError(errors)

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

    def _free_slug(self, name: str) -> str:
        base = slugify(name)[:100] or "service"
        slug, n = base, 1
        while slug in self.taken_slugs or Service.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        self.taken_slugs.add(slug)
        return slug

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As the admin form: ``full_clean`` on the editable fields, then ``core.text`` on
        every text column."""
        errors = dict(import_validation_errors or {})
        for name in HEADERS:
            model_field = Service._meta.get_field(name)
            if model_field.is_relation or name in errors:
                continue
            value = getattr(instance, model_field.attname, None)
            if not isinstance(value, str):
                continue
            validator = (
                validate_multi_line
                if isinstance(model_field, models.TextField)
                else validate_single_line
            )
            try:
                validator(value)
            except ValidationError as error:
                errors[name] = error.messages
        # What the admin form does not show (search columns...) is not judged.
        hidden = [f.name for f in Service._meta.concrete_fields if not f.editable]
        try:
            instance.full_clean(exclude=hidden + list(errors), validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


# --- Files ------------------------------------------------------------------------------


def header_map() -> dict[str, str]:
    """Every accepted header (field name, French or Dutch label), casefolded -> field."""
    accepted = {name.casefold(): name for name in HEADERS}
    for language in ("fr", "nl"):
        with translation.override(language):
            accepted |= {str(label).strip().casefold(): name for name, label in HEADERS.items()}
    return accepted


def read_dataset(content: bytes, file_format: str) -> tablib.Dataset:
    """The rows of an uploaded file with field names as headers.

    Raises ``SpreadsheetError`` when the file is not of that format, has no known
    column, an unknown or repeated column, or too many rows."""
    if file_format not in FORMATS:
        raise SpreadsheetError(_("Format inconnu : choisissez CSV ou XLSX."))
    try:
        if file_format == "csv":
            text = content.decode("utf-8-sig")
            dataset = tablib.Dataset().load(text, format="csv")
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except UnicodeDecodeError:
        raise SpreadsheetError(_("Ce fichier CSV n'est pas en UTF-8.")) from None
    except Exception:
        raise SpreadsheetError(
            _("Ce fichier ne se lit pas comme un tableau %(format)s.")
            % {"format": file_format.upper()}
        ) from None
    accepted = header_map()
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
    if "name_fr" not in names or "organisation" not in names:
        raise SpreadsheetError(
            _("Il manque les colonnes de l'organisation et du nom (FR) : partez du modèle.")
        )
    if len(dataset) > MAX_ROWS:
        raise SpreadsheetError(
            _("Plus de %(max)s lignes : découpez le fichier.") % {"max": MAX_ROWS}
        )
    dataset.headers = names
    for index, row in enumerate(dataset):
        # A workbook gives empty cells as None and dates as datetimes.
        dataset[index] = tuple(_cell(value) for value in row)
    return dataset


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def template_file(user, file_format: str, language: str) -> bytes:
    """The services the user may edit, as a spreadsheet with headers in ``language``
    (empty but for the headers when there are none): the template to fill in."""
    queryset = SERVICE_SCOPE.filter(
        Service.objects.select_related("organisation").prefetch_related(
            "area_bassins", "area_communes", "themes"
        ),
        user,
    ).order_by("organisation__name_fr", "name_fr", "pk")
    with translation.override(language):
        dataset = ServiceResource(user=user).export(queryset)
        dataset.headers = [str(HEADERS[name]) for name in dataset.headers]
    if file_format == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export("xlsx")


@dataclass
class RowOutcome:
    number: int  # the line of the spreadsheet (the header is line 1)
    kind: str  # new / update / skip (unchanged) / invalid / error
    name: str
    errors: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    rows: list[RowOutcome]
    totals: dict[str, int]

    @property
    def ok(self) -> bool:
        return not (self.totals.get("invalid") or self.totals.get("error"))


def _outcome(result, dataset: tablib.Dataset) -> Outcome:
    rows = []
    records = dataset.dict
    for index, row_result in enumerate(result.rows):
        values = records[index] if index < len(records) else {}
        messages = [str(error.error) for error in row_result.errors]
        if row_result.validation_error is not None:
            for name, problems in row_result.validation_error.message_dict.items():
                label = str(HEADERS.get(name, name))
                messages += [f"{label} : {problem}" for problem in problems]
        rows.append(
            RowOutcome(
                number=index + 2,
                kind=row_result.import_type,
                name=str(values.get("name_fr", ""))[:200],
                errors=messages,
            )
        )
    totals = {kind: sum(1 for r in rows if r.kind == kind) for kind in ROW_KINDS}
    totals["error"] += len(result.base_errors)
    return Outcome(rows=rows, totals=totals)


def preview(dataset: tablib.Dataset, user) -> Outcome:
    """What importing ``dataset`` would do, row by row; nothing is written."""
    result = ServiceResource(user=user).import_data(dataset, dry_run=True, use_transactions=True)
    return _outcome(result, dataset)


def apply(dataset: tablib.Dataset, user) -> Outcome:
    """Import ``dataset``: every row, or nothing when one is invalid."""
    with transaction.atomic():
        result = ServiceResource(user=user).import_data(
            dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
        )
        outcome = _outcome(result, dataset)
        if not outcome.ok:
            transaction.set_rollback(True)
    return outcome


def max_upload_bytes() -> int:
    return settings.DIRECTORY_SPREADSHEET_MAX_BYTES
