"""Import an Open Referral HSDS 3.0 tabular data package (the shape ``exports`` writes).

Contract:

* **idempotent by HSDS id**: the HSDS ``id`` of an organisation, service, location,
  phone, contact or schedule is our ``public_id``; a second import of the same package
  finds every record and changes nothing, a newer package updates them in place;
* **all or nothing**: the whole package is read and validated first (the model's
  ``full_clean``, as the admin form does, plus ``core.text``'s refusal of control
  characters), every problem is named by file and row (the header is row 1), and
  nothing is written unless there is none; the writing is one transaction;
* **no invention**: imported records are real (``is_demo`` false), contacts are not
  published until someone records their consent, fields the package does not carry
  keep their defaults;
* **status honoured**: a service's HSDS ``status`` (active, temporarily closed,
  inactive, defunct) is kept; inactive and defunct services are not listed publicly;
* **prune on request**: with ``prune``, records of the directory whose id is absent
  from the package are deleted (the package is taken as the whole directory);
  unpublished contacts are kept, since no export carries them;
* what our model cannot hold is skipped with a warning, not guessed: rows of
  resources we do not keep (programmes, funding...), an address without a Belgian
  postal code, a phone or schedule that belongs to no service, a language, theme or
  area we do not know.

The inverse of the export's mappings: Dutch text comes from the ``translation``
attributes (``nl:name``, ``nl:description``), themes from the ``service_type``
attributes whose term code is a theme slug, the area of action from the service
areas' ``/area/region``, ``/area/bassin/<slug>``, ``/area/commune/<slug>`` URIs (or a
bassin or commune name). The bassin of a location is derived from its postal code
(``Location.apply_bassin_suggestion``), and the search columns are rebuilt once at
the end (``search.rebuild_search_index``).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import uuid
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from bassins.models import Bassin, Commune, Language, PostalCode, Theme
from bassins.queries import suggest_bassin
from core.csvfiles import FORMULA_TRIGGERS
from core.params import FIRST_YEAR
from core.text import validate_multi_line, validate_single_line
from core.windows import in_bounds

from .exports import HSDS_RESOURCES, NAMESPACE
from .models import (
    MAX_WAIT_WEEKS,
    RRULE_DAYS,
    Availability,
    Contact,
    ForWhom,
    Location,
    Organisation,
    Phone,
    ScheduleSlot,
    Service,
    ServiceStatus,
)
from .search import rebuild_search_index

FILE_RESOURCES = {path: name for name, (path, _columns) in HSDS_RESOURCES.items()}
KEPT = ("organization", "service", "location", "phone", "contact", "schedule")
ENTITY_LABELS = {
    "organization": "organisations",
    "location": "locations",
    "service": "services",
    "phone": "phones",
    "schedule": "schedules",
    "contact": "contacts",
}
FREE_WORDS = {"gratuit", "gratis", "free"}
PHONE_KINDS = {"voice": "voice", "text": "text", "sms": "text", "fax": "fax"}
MAX_PROBLEMS_SHOWN = 30
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, zlib.error)
BATCH = 500

Progress = Callable[[str, int, int], None]


class HsdsImportError(Exception):
    """The package cannot be imported; ``problems`` name the file and row of each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more"] if more > 0 else [])))


@dataclass
class Row:
    file: str
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column) or ""

    def where(self, column: str | None = None) -> str:
        return f"{self.file}, row {self.number}" + (f", {column}" if column else "")


@dataclass
class ImportReport:
    """What the import did (or, on a dry run, would do)."""

    dry_run: bool
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    warnings: list[str] = field(default_factory=list)

    prune: bool = False

    def lines(self) -> list[str]:
        verb = "would be " if self.dry_run else ""
        lines = [
            f"{label}: {self.counts[name]['created']} {verb}created, "
            f"{self.counts[name]['updated']} {verb}updated, "
            f"{self.counts[name]['unchanged']} unchanged"
            + (f", {self.counts[name]['deleted']} {verb}deleted" if self.prune else "")
            for name, label in ENTITY_LABELS.items()
        ]
        shown = self.warnings[:MAX_PROBLEMS_SHOWN]
        lines += [f"warning: {w}" for w in shown]
        if len(self.warnings) > len(shown):
            lines.append(f"... and {len(self.warnings) - len(shown)} more warnings")
        return lines


# --- Reading ------------------------------------------------------------------------------


def read_package(path: Path) -> tuple[dict[str, list[Row]], list[str]]:
    """The rows of every resource we know in the package at ``path`` (a folder or a
    .zip), and the names of the other files. Raises ``HsdsImportError``."""
    limit = settings.DIRECTORY_HSDS_IMPORT_MAX_BYTES
    if path.is_dir():
        members = {p.name: (p.stat().st_size, p.read_bytes) for p in sorted(path.iterdir())}
        return _read_members(members, limit)
    if not path.exists():
        raise HsdsImportError([f"{path}: no such file or folder"])
    if not zipfile.is_zipfile(path):
        raise HsdsImportError([f"{path}: neither a folder nor a .zip archive"])
    try:
        with zipfile.ZipFile(path) as archive:
            members = {}
            for info in archive.infolist():
                if info.is_dir():
                    continue
                name = info.filename.rsplit("/", 1)[-1]
                if name in members:
                    raise HsdsImportError([f"{path}: {name} appears twice in the archive"])
                members[name] = (info.file_size, _zip_reader(archive, info, limit))
            return _read_members(members, limit)
    except ZIP_ERRORS as error:
        raise HsdsImportError([f"{path}: unreadable .zip archive ({error})"]) from error


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int):
    def read() -> bytes:
        with archive.open(info) as handle:
            return handle.read(limit + 1)  # a size header can lie: never read more

    return read


def _read_members(members: dict, limit: int) -> tuple[dict[str, list[Row]], list[str]]:
    tables: dict[str, list[Row]] = {}
    others = []
    problems = []
    for name, (size, read) in members.items():
        resource = FILE_RESOURCES.get(name)
        if resource is None:
            others.append(name)
            continue
        if size > limit:
            problems.append(f"{name}: {size} bytes, more than the limit of {limit}")
            continue
        content = read()
        if len(content) > limit:
            problems.append(f"{name}: more than the limit of {limit} bytes")
            continue
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(f"{name}: not UTF-8 text (byte {error.start})")
            continue
        tables[resource], file_problems = _parse_csv(name, text)
        problems += file_problems
    if not problems and "organization" not in tables:
        problems.append("organizations.csv: missing; this is not an HSDS tabular package")
    if problems:
        raise HsdsImportError(problems)
    return tables, others


def _parse_csv(name: str, text: str) -> tuple[list[Row], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, problems = [], []
    try:
        header = next(reader, None)
        if not header or "id" not in header:
            return [], [f"{name}, row 1: no id column (header: {','.join(header or [])[:200]})"]
        for number, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if len(cells) > len(header):
                problems.append(f"{name}, row {number}: more cells than columns")
                continue
            rows.append(Row(name, number, dict(zip(header, map(_unescape, cells), strict=False))))
    except csv.Error as error:
        problems.append(f"{name}, row {reader.line_num}: not CSV ({error})")
    return rows, problems


def _unescape(cell: str) -> str:
    """The value ``core.csvfiles.safe_cell`` protected with an apostrophe."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


# --- Planning -----------------------------------------------------------------------------


@dataclass
class Planned:
    """One record to create or update, validated."""

    instance: models.Model
    status: str  # created / updated / unchanged
    fields: list[str]
    m2m: dict[str, set[int]] = field(default_factory=dict)


class Planner:
    """Reads the package's rows into validated, unsaved model instances."""

    def __init__(self, tables: dict[str, list[Row]], source: str, progress: Progress | None):
        self.tables = tables
        self.source = source
        self.progress = progress
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.plans: dict[str, dict[uuid.UUID, Planned]] = {name: {} for name in KEPT}
        self.today = timezone.localdate()

    # Helpers ---------------------------------------------------------------------------

    def rows(self, resource: str) -> list[Row]:
        return self.tables.get(resource, [])

    def row_id(self, row: Row, seen: set) -> uuid.UUID | None:
        value = _uuid(row.get("id"))
        if value is None:
            self.problems.append(f"{row.where('id')}: not a UUID ({row.get('id')[:60]!r})")
        elif value in seen:
            self.problems.append(f"{row.where('id')}: {value} appears twice")
            return None
        else:
            seen.add(value)
        return value

    def reference(self, row: Row, column: str) -> uuid.UUID | None:
        """The UUID in ``column``, None when empty; a malformed one is a problem."""
        text = row.get(column)
        if not text:
            return None
        value = _uuid(text)
        if value is None:
            self.problems.append(f"{row.where(column)}: not a UUID ({text[:60]!r})")
        return value

    def plan(
        self,
        resource: str,
        row: Row,
        public_id: uuid.UUID,
        existing: models.Model | None,
        values: dict,
        on_create: dict | None = None,
        m2m: dict[str, set[int]] | None = None,
    ) -> Planned | None:
        """Validate ``values`` for the record ``public_id`` and decide create/update/unchanged."""
        model = type(existing) if existing else MODELS[resource]
        instance = existing or model(public_id=public_id, **(on_create or {}))
        changed = [name for name, value in values.items() if not _same(instance, name, value)]
        for name, value in values.items():
            setattr(instance, name, value)
        m2m = m2m or {}
        m2m_changed = existing is None or any(
            {related.pk for related in getattr(existing, name).all()} != wanted
            for name, wanted in m2m.items()
        )
        if self._invalid(row, instance, values, judge_all=existing is None):
            return None
        status = "created" if existing is None else "updated" if changed else "unchanged"
        if status == "unchanged" and m2m_changed:
            status = "updated"
        planned = Planned(instance, status, changed, m2m if m2m_changed else {})
        self.plans[resource][public_id] = planned
        return planned

    def _invalid(self, row: Row, instance: models.Model, values: dict, judge_all: bool) -> bool:
        """Report what the admin form would refuse: on a new record every field, on an
        existing one the fields the package sets (old data elsewhere is not judged)."""
        column_of = {model_field: column for column, model_field in COLUMNS.items()}
        judged = [
            f
            for f in instance._meta.concrete_fields
            if judge_all or f.name in values or f.attname in values
        ]
        found = []
        for f in judged:
            value = getattr(instance, f.attname)
            if isinstance(f, models.CharField | models.TextField) and isinstance(value, str):
                validator = (
                    validate_multi_line if isinstance(f, models.TextField) else validate_single_line
                )
                try:
                    validator(value)
                except ValidationError as error:
                    found.append((f.name, error.messages))
        # Relations are resolved by id above; uniqueness holds by construction (records
        # are matched by public_id, slugs are generated among the free ones).
        relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        unjudged = [f.name for f in instance._meta.concrete_fields if f not in judged]
        try:
            instance.full_clean(
                exclude=relations + unjudged, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            found += [(name, messages) for name, messages in error.message_dict.items()]
        for name, messages in found:
            column = column_of.get(name, name)
            self.problems.append(
                f"{row.where(column)}: {' '.join(str(m) for m in messages)}"
                + (f" ({str(values.get(name, ''))[:60]!r})" if name in values else "")
            )
        return bool(found)

    def tick(self, label: str, done: int, total: int) -> None:
        if self.progress and (done % 1000 == 0 or done == total):
            self.progress(label, done, total)

    # The package -----------------------------------------------------------------------

    def run(self) -> None:
        ids = {name: set() for name in KEPT}
        rows_by_id: dict[str, dict[uuid.UUID, Row]] = {name: {} for name in KEPT}
        for resource in KEPT:
            for row in self.rows(resource):
                public_id = self.row_id(row, ids[resource])
                if public_id is not None:
                    rows_by_id[resource][public_id] = row
        if self.problems:
            return
        self.rows_by_id = rows_by_id
        self.existing = {
            resource: MODELS[resource]
            .objects.prefetch_related(*PREFETCH.get(resource, ()))
            .in_bulk(list(ids[resource]), field_name="public_id")
            for resource in KEPT
        }
        referenced_orgs = {
            ref
            for row in self.rows("service") + self.rows("location") + self.rows("contact")
            if (ref := _uuid(row.get("organization_id"))) and ref not in ids["organization"]
        }
        self.known_orgs = Organisation.objects.in_bulk(
            list(referenced_orgs), field_name="public_id"
        )
        referenced_services = {
            ref
            for resource in ("phone", "schedule", "contact", "language", "service_area")
            for row in self.rows(resource)
            if (ref := _uuid(row.get("service_id"))) and ref not in ids["service"]
        }
        self.known_services = Service.objects.in_bulk(
            list(referenced_services), field_name="public_id"
        )
        self.read_terms()
        self.plan_organisations()
        self.plan_services_first_pass()
        self.plan_locations()
        self.plan_services()
        self.plan_phones()
        self.plan_schedules()
        self.plan_contacts()

    def read_terms(self) -> None:
        terms = {}
        for row in self.rows("taxonomy_term"):
            terms[row.get("id")] = row.get("code")
        themes = {t.slug: t.pk for t in Theme.objects.all()}
        self.translations: dict[tuple[str, str], str] = {}
        self.themes: dict[str, set[int]] = defaultdict(set)
        self.availabilities: dict[str, tuple] = {}
        unknown = set()
        for row in self.rows("attribute"):
            code = terms.get(row.get("taxonomy_term_id"), "")
            link = _key(row.get("link_id"))
            if row.get("link_type") == "translation" and code in ("nl:name", "nl:description"):
                self.translations[(link, code[3:])] = row.get("value")
            elif code in themes:
                self.themes[link].add(themes[code])
            elif code.startswith("availability:") and code[13:] in Availability.values:
                self.availabilities[link] = (code[13:], row.get("value"), row)
            elif code not in unknown:
                unknown.add(code)
                self.warnings.append(
                    f"{row.where('taxonomy_term_id')}: term "
                    f"{code or row.get('taxonomy_term_id')!r} "
                    "is neither a Dutch translation nor one of our themes: ignored"
                )
        self.languages = {lang.code: lang.pk for lang in Language.objects.all()}
        self.bassins = {b.slug: b.pk for b in Bassin.objects.all()}
        self.bassin_names = {
            name.casefold(): b.pk
            for b in Bassin.objects.all()
            for name in (b.name_fr, b.name_nl, f"Bassin {b.name_fr}")
        }
        communes = list(Commune.objects.all())
        self.communes = {c.slug: c.pk for c in communes}
        self.commune_names = {
            name.casefold(): c.pk for c in communes for name in (c.name_fr, c.name_nl)
        }
        self.postal_communes: dict[str, list[int]] = defaultdict(list)
        for code, commune in PostalCode.communes.through.objects.values_list(
            "postalcode__code", "commune_id"
        ):
            self.postal_communes[code].append(commune)

    def organisation_of(self, row: Row, column: str = "organization_id"):
        ref = self.reference(row, column)
        if ref is None:
            return None
        if ref in self.plans["organization"]:
            return self.plans["organization"][ref].instance
        return self.known_orgs.get(ref)

    def service_of(self, row: Row):
        ref = self.reference(row, "service_id")
        if ref is None:
            return None
        if ref in self.plans["service"]:
            return self.plans["service"][ref].instance
        if ref in self.rows_by_id["service"]:
            return None  # the service's row has a problem, already reported
        service = self.known_services.get(ref)
        if service is None:
            self.problems.append(f"{row.where('service_id')}: no service {ref} in the package")
        return service

    def plan_organisations(self) -> None:
        slugs = set(Organisation.objects.values_list("slug", flat=True))
        rows = self.rows("organization")
        for done, row in enumerate(rows, start=1):
            public_id = _uuid(row.get("id"))
            existing = self.existing["organization"].get(public_id)
            name = row.get("name").strip()
            description = row.get("description")
            values = {
                "name_fr": name,
                "name_nl": self.translations.get((str(public_id), "name"), ""),
                "alternate_name": row.get("alternate_name"),
                # HSDS requires a description: a publisher with none repeats the name.
                "description_fr": "" if description == name else description,
                "description_nl": self.translations.get((str(public_id), "description"), ""),
                "email": row.get("email"),
                "website": row.get("website"),
                "is_demo": False,
            }
            on_create = {
                "slug": _unique_slug(name, slugs),
                "source_fr": f"HSDS : {self.source}"[:200],
            }
            self.plan("organization", row, public_id, existing, values, on_create)
            self.tick("organisations", done, len(rows))

    def plan_services_first_pass(self) -> None:
        """Which organisation each service belongs to (locations and contacts whose
        organisation is missing take it from their service)."""
        self.service_orgs = {}
        for row in self.rows("service"):
            self.service_orgs[_key(row.get("id"))] = self.organisation_of(row)
        self.service_locations: dict[str, str] = {}
        self.location_services: dict[str, list[str]] = defaultdict(list)
        for row in self.rows("service_at_location"):
            service, location = _key(row.get("service_id")), _key(row.get("location_id"))
            if service in self.service_locations:
                self.warnings.append(
                    f"{row.where()}: service {service} is already at a location; "
                    "we keep one location per service"
                )
                continue
            self.service_locations[service] = location
            self.location_services[location].append(service)

    def plan_locations(self) -> None:
        addresses: dict[str, Row] = {}
        for row in self.rows("address"):
            addresses.setdefault(_key(row.get("location_id")), row)
        for row in self.rows("location"):
            public_id = _uuid(row.get("id"))
            organisation = self.organisation_of(row)
            if organisation is None:
                organisation = next(
                    (
                        self.service_orgs[s]
                        for s in self.location_services.get(str(public_id), [])
                        if self.service_orgs.get(s) is not None
                    ),
                    None,
                )
                if organisation is None:
                    self.warnings.append(f"{row.where()}: no known organisation: not imported")
                    continue
            address = addresses.get(str(public_id))
            postal_code = address.get("postal_code").strip() if address else ""
            if not (len(postal_code) == 4 and postal_code.isdigit()):
                self.warnings.append(
                    f"{row.where()}: no Belgian postal code in its address "
                    f"({postal_code[:20]!r}): not imported"
                )
                continue
            street = ", ".join(
                part for part in (address.get("address_1"), address.get("address_2")) if part
            )
            existing = self.existing["location"].get(public_id)
            values = {
                "organisation": organisation,
                "name_fr": row.get("name"),
                "address": street,
                "postal_code": postal_code,
                "commune_id": self.commune_for(postal_code, address.get("city")),
                "latitude": self.coordinate(row, "latitude"),
                "longitude": self.coordinate(row, "longitude"),
            }
            self.plan("location", row, public_id, existing, values)

    def coordinate(self, row: Row, column: str) -> decimal.Decimal | None:
        """A location's latitude or longitude in decimal degrees, to the micro-degree
        (about 10 cm); whether it lies in Belgium is the model's check."""
        text = (row.get(column) or "").strip()
        if not text:
            return None
        try:
            value = decimal.Decimal(text)
            if not value.is_finite() or abs(value) > 180:
                raise decimal.InvalidOperation
            return value.quantize(decimal.Decimal("0.000001"))
        except (decimal.InvalidOperation, decimal.Overflow):  # Overflow: 1e999999999
            self.problems.append(
                f"{row.where(column)}: not a coordinate in decimal degrees ({text[:30]!r})"
            )
            return None

    def commune_for(self, postal_code: str, city: str) -> int | None:
        candidates = self.postal_communes.get(postal_code, [])
        if len(candidates) == 1:
            return candidates[0]
        named = self.commune_names.get(city.strip().casefold())
        return named if named in candidates else None

    def areas(self) -> dict[str, tuple[bool, set[int], set[int]]]:
        areas: dict[str, tuple[bool, set[int], set[int]]] = defaultdict(
            lambda: (False, set(), set())
        )
        for row in self.rows("service_area"):
            service = _key(row.get("service_id"))
            region, bassins, communes = areas[service]
            uri = row.get("uri")
            tail = uri.split("/area/", 1)[1] if "/area/" in uri else ""
            name = row.get("name").strip().casefold()
            if tail == "region":
                region = True
            elif tail.startswith("bassin/") and tail[7:] in self.bassins:
                bassins.add(self.bassins[tail[7:]])
            elif tail.startswith("commune/") and tail[8:] in self.communes:
                communes.add(self.communes[tail[8:]])
            elif name in self.bassin_names:
                bassins.add(self.bassin_names[name])
            elif name in self.commune_names:
                communes.add(self.commune_names[name])
            elif name in ("région de bruxelles-capitale", "brussels hoofdstedelijk gewest"):
                region = True
            else:
                self.warnings.append(f"{row.where()}: area not in Brussels' bassins: ignored")
            areas[service] = (region, bassins, communes)
        return areas

    def plan_services(self) -> None:
        slugs = set(Service.objects.values_list("slug", flat=True))
        areas = self.areas()
        languages = defaultdict(set)
        for row in self.rows("language"):
            if row.get("service_id") and not row.get("phone_id"):
                code = row.get("code").strip().lower()
                if code in self.languages:
                    languages[_key(row.get("service_id"))].add(self.languages[code])
                else:
                    self.warnings.append(f"{row.where('code')}: unknown language {code!r}")
        for_whom = _for_whom_labels()
        order: Counter = Counter()
        rows = self.rows("service")
        for done, row in enumerate(rows, start=1):
            public_id = _uuid(row.get("id"))
            key = str(public_id)
            organisation = self.service_orgs.get(key)
            if organisation is None:
                reference = _uuid(row.get("organization_id"))
                if reference not in self.rows_by_id["organization"]:  # else already reported
                    self.problems.append(
                        f"{row.where('organization_id')}: no organisation "
                        f"{row.get('organization_id')[:60]!r} in the package or the directory"
                    )
                continue
            location_id = _uuid(self.service_locations.get(key, ""))
            location = self.plans["location"].get(location_id)
            existing = self.existing["service"].get(public_id)
            region, bassins, communes = areas[key]
            name = row.get("name").strip()
            values = {
                "organisation": organisation,
                "location": location.instance if location else None,
                "name_fr": name,
                "name_nl": self.translations.get((key, "name"), ""),
                "description_fr": row.get("description"),
                "description_nl": self.translations.get((key, "description"), ""),
                "website": row.get("url"),
                "email": row.get("email"),
                "interpretation_fr": row.get("interpretation_services"),
                "access_notes_fr": row.get("application_process"),
                "is_free": row.get("fees_description").strip().casefold() in FREE_WORDS,
                "for_whom": for_whom.get(row.get("eligibility_description").strip(), ForWhom.BOTH),
                "temporary_notice_fr": row.get("alert"),
                "area_whole_region": region,
                "is_demo": False,
            }
            if key in self.availabilities:
                problem = _availability_values(self.availabilities[key], row, values, self.today)
                if problem:
                    self.problems.append(problem)
                    continue
            status = " ".join(row.get("status").replace("_", " ").split()).casefold()
            if status and status not in ServiceStatus.values:
                self.problems.append(
                    f"{row.where('status')}: not an HSDS status ({status[:60]!r}; "
                    f"expected one of {', '.join(ServiceStatus.values)})"
                )
                continue
            values["status"] = status or ServiceStatus.ACTIVE
            assured = row.get("assured_date")
            if assured:
                values["last_verified"] = _past_date(assured, self.today)
                if values["last_verified"] is None:
                    self.problems.append(
                        f"{row.where('assured_date')}: not a date from {FIRST_YEAR} to "
                        f"today ({assured[:30]!r})"
                    )
                    continue
            m2m = {
                "themes": self.themes.get(key, set()),
                "languages": languages.get(key, set()),
                "area_bassins": set() if region else bassins,
                "area_communes": set() if region else communes,
            }
            on_create = {"slug": _unique_slug(name, slugs), "sort_order": order[id(organisation)]}
            order[id(organisation)] += 1
            self.plan("service", row, public_id, existing, values, on_create, m2m)
            self.tick("services", done, len(rows))

    def plan_phones(self) -> None:
        languages = defaultdict(set)
        for row in self.rows("language"):
            if row.get("phone_id"):
                code = row.get("code").strip().lower()
                if code in self.languages:
                    languages[_key(row.get("phone_id"))].add(self.languages[code])
                else:
                    self.warnings.append(f"{row.where('code')}: unknown language {code!r}")
        order: Counter = Counter()
        for row in self.rows("phone"):
            public_id = _uuid(row.get("id"))
            if not row.get("service_id"):
                self.warnings.append(f"{row.where()}: a phone of no service: not imported")
                continue
            service = self.service_of(row)
            if service is None:
                continue
            existing = self.existing["phone"].get(public_id)
            kind = PHONE_KINDS.get(row.get("type").strip().lower(), Phone.Kind.VOICE)
            if kind == Phone.Kind.VOICE and existing and existing.kind == Phone.Kind.FREEPHONE:
                kind = Phone.Kind.FREEPHONE  # HSDS has no freephone type: ours stays
            values = {
                "service": service,
                "number": row.get("number").strip().strip('"'),
                "kind": kind,
                "description_fr": row.get("description"),
            }
            on_create = {"sort_order": order[id(service)]}
            order[id(service)] += 1
            m2m = {"languages": languages.get(str(public_id), set())}
            self.plan("phone", row, public_id, existing, values, on_create, m2m)

    def plan_schedules(self) -> None:
        for row in self.rows("schedule"):
            public_id = _uuid(row.get("id"))
            if not row.get("service_id"):
                self.warnings.append(f"{row.where()}: hours of no service: not imported")
                continue
            if row.get("freq").upper() != "WEEKLY" or not row.get("byday"):
                self.warnings.append(f"{row.where('freq')}: not a weekly slot: not imported")
                continue
            service = self.service_of(row)
            times = [_time(row.get(column)) for column in ("opens_at", "closes_at")]
            if None in times:
                self.problems.append(f"{row.where()}: opens_at and closes_at must be HH:MM:SS")
                continue
            if times[1] <= times[0]:
                self.problems.append(f"{row.where('closes_at')}: closes before it opens")
                continue
            days = [day.strip().upper() for day in row.get("byday").split(",")]
            for index, day in enumerate(days):
                if day not in RRULE_DAYS:
                    self.problems.append(f"{row.where('byday')}: unknown day {day!r}")
                    continue
                if service is None:
                    continue
                slot_id = public_id if index == 0 else uuid.uuid5(NAMESPACE, f"{public_id}/{day}")
                values = {
                    "service": service,
                    "weekday": RRULE_DAYS.index(day),
                    "opens_at": times[0],
                    "closes_at": times[1],
                }
                existing = self.existing["schedule"].get(slot_id)
                if existing is None and index:
                    existing = ScheduleSlot.objects.filter(public_id=slot_id).first()
                self.plan("schedule", row, slot_id, existing, values)

    def plan_contacts(self) -> None:
        for row in self.rows("contact"):
            public_id = _uuid(row.get("id"))
            service = self.service_of(row) if row.get("service_id") else None
            organisation = self.organisation_of(row)
            if organisation is None and service is not None:
                organisation = service.organisation
            if organisation is None or not row.get("name").strip():
                self.warnings.append(
                    f"{row.where()}: a contact without name or known organisation: not imported"
                )
                continue
            values = {
                "organisation": organisation,
                "service": service,
                "name": row.get("name").strip(),
                "title_fr": row.get("title"),
                "email": row.get("email"),
            }
            existing = self.existing["contact"].get(public_id)
            # Consent to be published on Maillage is not in any package: asked afterwards.
            self.plan("contact", row, public_id, existing, values, {"consent_public": False})


PREFETCH = {
    "service": ("themes", "languages", "area_bassins", "area_communes"),
    "phone": ("languages",),
}
MODELS = {
    "organization": Organisation,
    "service": Service,
    "location": Location,
    "phone": Phone,
    "contact": Contact,
    "schedule": ScheduleSlot,
}
# Model field -> HSDS column, to name the column of a problem.
COLUMNS = {
    "name": "name_fr",
    "description": "description_fr",
    "url": "website",
    "address_1": "address",
    "interpretation_services": "interpretation_fr",
    "application_process": "access_notes_fr",
    "alert": "temporary_notice_fr",
    "title": "title_fr",
    "type": "kind",
}


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except (ValueError, AttributeError):
        return None


def _availability_values(found: tuple, service_row, values: dict, today: datetime.date) -> str:
    """Fill ``values`` from an ``availability:<state>`` attribute (value: the date it was
    set) and, for a waiting list, the weeks of ``wait_time``; returns a problem or ""."""
    state, date_text, row = found
    values["availability_date"] = _past_date(date_text or "", today)
    if values["availability_date"] is None:
        # As the spreadsheet import: the state was set on a day that has come.
        return f"{row.where('value')}: not a date from {FIRST_YEAR} to today ({date_text!r})"
    values["availability"] = state
    values["availability_wait_weeks"] = None
    if state == Availability.WAITING_LIST:
        first_word = (service_row.get("wait_time") or "").split(" ")[0]
        digits = "".join(c for c in first_word if c in "0123456789")  # not "²"
        weeks = int(digits) if digits and len(digits) <= 3 else 0
        if not 1 <= weeks <= MAX_WAIT_WEEKS:
            return f"{service_row.where('wait_time')}: a waiting list needs its weeks (1-104)"
        values["availability_wait_weeks"] = weeks
    return ""


def _key(text: str) -> str:
    """A reference as the text of its UUID (so case and hyphens do not matter)."""
    value = _uuid(text)
    return str(value) if value else text.strip().lower()


def _time(text: str) -> datetime.time | None:
    """A local time of day; one with a UTC offset is refused (opening hours are the
    place's own local times, and an offset cannot be stored or compared with them)."""
    try:
        value = datetime.time.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo is None else None


def _past_date(text: str, today: datetime.date) -> datetime.date | None:
    """An ISO date from FIRST_YEAR to ``today``, else None."""
    try:
        value = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if in_bounds(value) and value <= today else None


def _same(instance: models.Model, name: str, value) -> bool:
    if isinstance(value, models.Model):
        related = getattr(instance, instance._meta.get_field(name).attname)
        return value.pk is not None and related == value.pk
    if value is None and instance._meta.get_field(name).is_relation:
        return getattr(instance, instance._meta.get_field(name).attname) is None
    return getattr(instance, name) == value


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:100].strip("-") or "organisation"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _for_whom_labels() -> dict[str, str]:
    labels = {}
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            labels.update({str(label): value for value, label in ForWhom.choices})
    return labels


# --- Writing ------------------------------------------------------------------------------


def _write(planner: Planner, progress: Progress | None) -> set[uuid.UUID]:
    now = timezone.now()
    for resource in ("organization", "location", "service", "phone", "schedule", "contact"):
        model = MODELS[resource]
        plans = list(planner.plans[resource].values())
        new = [p.instance for p in plans if p.status == "created"]
        if resource == "location":
            suggestions = {}
            for p in plans:
                if p.status == "created" or "postal_code" in p.fields:
                    code = p.instance.postal_code
                    if code not in suggestions:
                        suggestions[code] = suggest_bassin(code)
                    p.instance.apply_bassin_suggestion(suggestions[code])
            commune_slugs = dict(Commune.objects.values_list("pk", "slug"))
            for p in plans:
                if p.status == "created" or p.fields:
                    p.instance.apply_map_point(commune_slugs.get(p.instance.commune_id))
        model.objects.bulk_create(new, batch_size=BATCH)
        changed = [p for p in plans if p.status == "updated" and p.fields]
        by_fields = defaultdict(list)
        for p in changed:
            fields = {model._meta.get_field(name).name for name in p.fields}
            if resource == "location" and "postal_code" in fields:
                fields |= {"suggested_bassin", "bassin"}
            if resource == "location":
                fields |= {"map_latitude", "map_longitude", "map_approximate"}
            if hasattr(p.instance, "updated_at"):
                p.instance.updated_at = now
                fields.add("updated_at")
            by_fields[tuple(sorted(fields))].append(p.instance)
        for fields, instances in by_fields.items():
            model.objects.bulk_update(instances, list(fields), batch_size=BATCH)
        for name in {n for p in plans for n in p.m2m}:
            relation = getattr(model, name)
            through = relation.through
            source = relation.field.m2m_field_name()
            target = relation.field.m2m_reverse_field_name()
            touched = [p for p in plans if name in p.m2m]
            through.objects.filter(**{f"{source}__in": [p.instance.pk for p in touched]}).delete()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": p.instance.pk, f"{target}_id": pk})
                    for p in touched
                    for pk in sorted(p.m2m[name])
                ],
                batch_size=BATCH,
            )
        if progress:
            progress(ENTITY_LABELS[resource] + " written", len(plans), len(plans))
    return {
        p.instance.public_id
        for resource in ("service", "organization")
        for p in planner.plans[resource].values()
        if p.status != "unchanged"
    }


# Children first, so that a cascade never deletes what is counted later.
PRUNED = ("contact", "schedule", "phone", "service", "location", "organization")


def absent_records(planner: Planner) -> dict[str, list[int]]:
    """The pks of the records of the directory the package no longer holds, by resource.

    Kept: every id of the package, and every record a planned one points to (a service of
    the package may belong to an organisation of the directory). Unpublished contacts
    are never absent: no export carries them."""
    kept: dict[str, set[uuid.UUID]] = {
        resource: set(planner.rows_by_id[resource]) | set(planner.plans[resource])
        for resource in PRUNED
    }
    for resource, relations in (
        ("service", ("organisation", "location")),
        ("location", ("organisation",)),
        ("contact", ("organisation", "service")),
        ("phone", ("service",)),
        ("schedule", ("service",)),
    ):
        for plan in planner.plans[resource].values():
            for relation in relations:
                target = getattr(plan.instance, relation, None)
                if target is not None:
                    kept[RELATION_RESOURCES[relation]].add(target.public_id)
    absent = {}
    for resource in PRUNED:
        queryset = MODELS[resource].objects.all()
        if resource == "contact":
            queryset = queryset.filter(consent_public=True)
        absent[resource] = [
            pk
            for pk, public_id in queryset.values_list("pk", "public_id").iterator()
            if public_id not in kept[resource]
        ]
    return absent


RELATION_RESOURCES = {
    "organisation": "organization",
    "location": "location",
    "service": "service",
}


def _delete(absent: dict[str, list[int]]) -> None:
    for resource in PRUNED:
        pks = absent[resource]
        for start in range(0, len(pks), BATCH):
            MODELS[resource].objects.filter(pk__in=pks[start : start + BATCH]).delete()


def import_hsds(
    path: Path, *, dry_run: bool = False, prune: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import the HSDS 3.0 package at ``path`` (folder or .zip): all or nothing.

    Raises ``HsdsImportError`` (every problem named by file and row) before writing
    anything. On ``dry_run`` the report says what would be created/updated/unchanged.
    With ``prune``, records whose id the package no longer holds are deleted (counted
    as "deleted", on a dry run too).
    """
    tables, others = read_package(Path(path))
    planner = Planner(tables, Path(path).name, progress)
    planner.run()
    if planner.problems:
        raise HsdsImportError(planner.problems)
    report = ImportReport(dry_run=dry_run, prune=prune)
    report.warnings = [
        f"{name}: not a resource we keep: ignored" for name in others if name.endswith(".csv")
    ]
    report.warnings += planner.warnings
    for resource, plans in planner.plans.items():
        for p in plans.values():
            report.counts[resource][p.status] += 1
    absent = absent_records(planner) if prune else {}
    for resource, pks in absent.items():
        report.counts[resource]["deleted"] = len(pks)
    if dry_run:
        return report
    with transaction.atomic():
        touched = _write(planner, progress)
        if absent:
            _delete(absent)
        if touched:
            rebuild_search_index()
    return report
