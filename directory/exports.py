"""CSV, JSON and Open Referral HSDS 3.0 tabular data package exports.

The HSDS package has the file names and columns of the HSDS 3.0 ``datapackage.json``
(``HSDS_RESOURCES``, in the upstream order); the tests validate it against the
upstream descriptor itself (tests/directory/data/hsds/). We publish the 13 resources
we have data for; every column of each is present, empty when we hold nothing for
it. Bilingual text goes in the French column (HSDS has one language per field) and
the Dutch text is published as ``attribute`` rows pointing at one taxonomy term per
translated field (``nl:name``, ``nl:description``), as HSDS suggests for extensions.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import override

from bassins.models import Theme
from core.csvfiles import csv_text

from .models import Availability, Contact, Organisation, Phone, Service

# Resource name -> (file name, columns), as in the HSDS 3.0 datapackage.json.
HSDS_RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": (
        "organizations.csv",
        (
            "id",
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
            "tax_status",
            "tax_id",
            "year_incorporated",
            "legal_status",
            "logo",
            "uri",
            "parent_organization_id",
        ),
    ),
    "service": (
        "services.csv",
        (
            "id",
            "organization_id",
            "program_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "fees",
            "accreditations",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "licenses",
            "alert",
            "last_modified",
        ),
    ),
    "attribute": (
        "attributes.csv",
        ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
    ),
    "service_at_location": (
        "service_at_location.csv",
        ("id", "service_id", "location_id", "description"),
    ),
    "location": (
        "locations.csv",
        (
            "id",
            "location_type",
            "url",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
            "external_identifier",
            "external_identifier_type",
        ),
    ),
    "phone": (
        "phones.csv",
        (
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
            "number",
            "extension",
            "type",
            "description",
        ),
    ),
    "contact": (
        "contacts.csv",
        (
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ),
    ),
    "address": (
        "addresses.csv",
        (
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
    ),
    "schedule": (
        "schedules.csv",
        (
            "id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "valid_from",
            "valid_to",
            "dtstart",
            "timezone",
            "until",
            "count",
            "wkst",
            "freq",
            "interval",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ),
    ),
    "service_area": (
        "service_areas.csv",
        ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
    ),
    "language": (
        "languages.csv",
        ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    ),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        (
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
    ),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
}
# Columns that are not strings in HSDS 3.0 (the rest are), for the package's descriptor.
HSDS_TYPES: dict[tuple[str, str], str] = {
    ("organization", "year_incorporated"): "number",
    ("service", "minimum_age"): "number",
    ("service", "maximum_age"): "number",
    ("service", "assured_date"): "date",
    ("service", "last_modified"): "datetime",
    ("location", "latitude"): "number",
    ("location", "longitude"): "number",
    ("phone", "extension"): "number",
    ("schedule", "valid_from"): "date",
    ("schedule", "valid_to"): "date",
    ("schedule", "dtstart"): "date",
    ("schedule", "timezone"): "number",
    ("schedule", "until"): "date",
    ("schedule", "count"): "number",
    ("schedule", "interval"): "number",
    ("schedule", "opens_at"): "time",
    ("schedule", "closes_at"): "time",
}
TRANSLATED_FIELDS = ("name", "description")
BRUSSELS_UTC_OFFSET = 1  # HSDS "timezone" is a number; DST is carried by the notes.
NAMESPACE = uuid.UUID("8f6a3a5e-3c1d-4a55-9d0e-6b1b9e0c2f11")


def _coordinate(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _organisation_url(slug: str, language: str) -> str:
    with translation.override(language):  # /nl/sociale-kaart/...
        return settings.SITE_URL + reverse("directory:organisation", args=[slug])


def stable_uuid(*parts) -> str:
    """A UUID for rows that have no table of their own (join rows), stable across exports."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


# --- Flat CSV / JSON of services --------------------------------------------------------------

FLAT_FIELDS = [
    "id",
    "organisation",
    "organisation_id",
    "service",
    "name_nl",
    "description",
    "phones",
    "email",
    "website",
    "languages",
    "modalities",
    "for_whom",
    "area",
    "hours",
    "closures",
    "availability",
    "availability_wait_weeks",
    "availability_date",
    "last_verified",
    "url",
]


def _hours(service: Service) -> str:
    return "; ".join(str(slot) for slot in service.schedule.all())


def _closures(service: Service, today: datetime.date, language: str) -> str:
    """The closure periods not yet over: ``2026-12-24/2027-01-02 (reason)``, ``; ``
    between them (ISO 8601 intervals, the reason in ``language``)."""
    periods = []
    for closure in sorted(service.closures.all(), key=lambda c: c.start):
        if closure.end < today:
            continue
        note = closure.tr("note", language)
        reason = f" ({note})" if note else ""
        periods.append(f"{closure.start.isoformat()}/{closure.end.isoformat()}{reason}")
    return "; ".join(periods)


def _availability(service: Service, today: datetime.date) -> dict:
    """The availability as the pages show it: older than 60 days it is ``unknown``,
    without weeks or date (empty: every flat column is text, as in the CSV)."""
    state = service.current_availability(today)
    known = state != Availability.UNKNOWN
    waiting = state == Availability.WAITING_LIST
    return {
        "availability": str(state),
        "availability_wait_weeks": str(service.availability_wait_weeks or "") if waiting else "",
        "availability_date": service.availability_date.isoformat() if known else "",
    }


def flat_rows(services: Iterable[Service], language: str = "fr") -> list[dict]:
    """One row per service, the columns of ``FLAT_FIELDS`` (CSV and JSON exports, My
    list); closures and availability as of today in Brussels."""
    today = timezone.localdate()
    rows = []
    for s in services:
        area = (
            "Région bruxelloise"
            if s.area_whole_region
            else ", ".join(b.tr("name", language) for b in s.area_bassins.all())
        )
        rows.append(
            {
                "id": str(s.public_id),
                "organisation": s.organisation.tr("name", language),
                "organisation_id": str(s.organisation.public_id),
                "service": s.tr("name", language),
                "name_nl": s.name_nl,
                "description": s.tr("description", language),
                "phones": " / ".join(p.number for p in s.phones.all()),
                "email": s.email,
                "website": s.website or s.organisation.website,
                "languages": ", ".join(lang.code for lang in s.languages.all()),
                "modalities": ", ".join(m.slug for m in s.modalities.all()),
                "for_whom": s.for_whom,
                "area": area,
                "hours": _hours(s),
                "closures": _closures(s, today, language),
                **_availability(s, today),
                "last_verified": s.last_verified.isoformat(),
                "url": _organisation_url(s.organisation.slug, language) + f"#service-{s.slug}",
            }
        )
    return rows


def services_csv(services: Iterable[Service], language: str = "fr") -> str:
    return csv_text(FLAT_FIELDS, flat_rows(services, language))


# --- HSDS 3.0 tabular data package ---------------------------------------------------------


def _org_queryset():
    return Organisation.objects.prefetch_related(
        Prefetch(
            "services",
            queryset=Service.objects.prefetch_related(
                Prefetch("phones", queryset=Phone.objects.prefetch_related("languages")),
                "languages",
                "schedule",
                "closures",
                "themes",
                "area_bassins",
                "area_communes",
            ),
        ),
        "locations__commune",
        Prefetch("contacts", queryset=Contact.objects.filter(consent_public=True)),
    )


def hsds_tables(services: QuerySet | None = None) -> dict[str, list[dict]]:
    """Every HSDS table as a list of rows (dicts with exactly the defined columns)."""
    wanted_services = None
    if services is not None:
        wanted_services = set(services.order_by().values_list("pk", flat=True))
    tables: dict[str, list[dict]] = {name: [] for name in HSDS_RESOURCES}
    taxonomy_id = stable_uuid("taxonomy", "maillage-themes")
    tables["taxonomy"].append(
        {
            "id": taxonomy_id,
            "name": "Maillage — thématiques social-santé",
            "description": "Thématiques partagées par l'agenda, le répertoire et l'Info "
            "Prévention Santé des bassins d'aide et de soins de Bruxelles.",
            "uri": f"{settings.SITE_URL}/fr/repertoire/",
            "version": "1",
        }
    )
    nl_terms = {field: stable_uuid("term", "translation-nl", field) for field in TRANSLATED_FIELDS}
    for field, term_id in nl_terms.items():
        tables["taxonomy_term"].append(
            {
                "id": term_id,
                "code": f"nl:{field}",
                "name": f"Nederlandse vertaling: {field}",
                "description": f"Dutch translation of the {field} field; value holds the text.",
                "taxonomy": "maillage",
                "language": "nl",
                "taxonomy_id": taxonomy_id,
            }
        )
    for theme in Theme.objects.all():
        tables["taxonomy_term"].append(
            {
                "id": stable_uuid("theme", theme.slug),
                "code": theme.slug,
                "name": theme.name_fr,
                "description": theme.name_nl,
                "taxonomy": "maillage",
                "language": "fr",
                "taxonomy_id": taxonomy_id,
            }
        )

    availability_terms = {
        value: stable_uuid("term", "availability", value)
        for value in Availability.values
        if value != Availability.UNKNOWN
    }
    for value, term_id in availability_terms.items():
        with override("nl"):
            label_nl = str(Availability(value).label)
        with override("fr"):
            label_fr = str(Availability(value).label)
        tables["taxonomy_term"].append(
            {
                "id": term_id,
                "code": f"availability:{value}",
                "name": label_fr,
                "description": label_nl,
                "taxonomy": "maillage",
                "language": "fr",
                "taxonomy_id": taxonomy_id,
            }
        )
    today = timezone.localdate()

    def translation(link_id, entity, field, text):
        if text:
            tables["attribute"].append(
                {
                    "id": stable_uuid("nl", link_id, field),
                    "link_id": link_id,
                    "taxonomy_term_id": nl_terms[field],
                    "link_type": "translation",
                    "link_entity": entity,
                    "value": text,
                }
            )

    for org in _org_queryset():
        services_of_org = [
            s for s in org.services.all() if wanted_services is None or s.pk in wanted_services
        ]
        if wanted_services is not None and not services_of_org:
            continue
        org_id = str(org.public_id)
        tables["organization"].append(
            {
                "id": org_id,
                "name": org.name_fr,
                "alternate_name": org.alternate_name,
                "description": org.description_fr or org.name_fr,
                "email": org.email,
                "website": org.website,
            }
        )
        translation(org_id, "organization", "name", org.name_nl)
        translation(org_id, "organization", "description", org.description_nl)
        for contact in org.contacts.all():
            tables["contact"].append(
                {
                    "id": str(contact.public_id),
                    "organization_id": org_id,
                    "service_id": str(contact.service.public_id) if contact.service_id else "",
                    "name": contact.name,
                    "title": contact.title_fr,
                    "email": contact.email,
                }
            )
        locations = {}
        for location in org.locations.all():
            location_id = str(location.public_id)
            locations[location.pk] = location_id
            tables["location"].append(
                {
                    "id": location_id,
                    "location_type": "physical",
                    "organization_id": org_id,
                    "name": location.name_fr,
                    # Entered coordinates only: a commune's reference point is not the
                    # place's position and is not published as one.
                    "latitude": _coordinate(location.latitude),
                    "longitude": _coordinate(location.longitude),
                }
            )
            tables["address"].append(
                {
                    "id": stable_uuid("address", location_id),
                    "location_id": location_id,
                    "address_1": location.address,
                    "city": location.commune.name_fr if location.commune else "Bruxelles",
                    "region": "Région de Bruxelles-Capitale",
                    "state_province": "Bruxelles-Capitale",
                    "postal_code": location.postal_code,
                    "country": "BE",
                    "address_type": "physical",
                }
            )
        for s in services_of_org:
            service_id = str(s.public_id)
            notice = s.temporary_notice()
            tables["service"].append(
                {
                    "id": service_id,
                    "organization_id": org_id,
                    "name": s.name_fr,
                    "description": s.description_fr,
                    "url": s.website,
                    "email": s.email,
                    "status": s.status,
                    "interpretation_services": s.interpretation_fr,
                    "application_process": s.access_notes_fr,
                    "fees_description": "Gratuit" if s.is_free else "",
                    "eligibility_description": s.get_for_whom_display(),
                    "assured_date": s.last_verified.isoformat(),
                    "alert": notice,
                    "wait_time": _wait_time(s, today),
                    "last_modified": s.updated_at.astimezone(datetime.UTC).strftime(
                        "%Y-%m-%dT%H:%M:%S.%f"
                    )[:-3]
                    + "Z",
                }
            )
            translation(service_id, "service", "name", s.name_nl)
            translation(service_id, "service", "description", s.description_nl)
            state = s.current_availability(today)
            if state != Availability.UNKNOWN:
                tables["attribute"].append(
                    {
                        "id": stable_uuid("availability", service_id),
                        "link_id": service_id,
                        "taxonomy_term_id": availability_terms[state],
                        "link_type": "availability",
                        "link_entity": "service",
                        "value": s.availability_date.isoformat(),
                    }
                )
            if s.location_id in locations:
                tables["service_at_location"].append(
                    {
                        "id": stable_uuid("sal", service_id, locations[s.location_id]),
                        "service_id": service_id,
                        "location_id": locations[s.location_id],
                    }
                )
            for phone in s.phones.all():
                phone_id = str(phone.public_id)
                tables["phone"].append(
                    {
                        "id": phone_id,
                        "service_id": service_id,
                        "organization_id": org_id,
                        "number": phone.number,
                        "type": "voice" if phone.kind in ("voice", "freephone") else phone.kind,
                        "description": phone.description_fr,
                    }
                )
                for lang in phone.languages.all():
                    tables["language"].append(
                        {
                            "id": stable_uuid("lang", phone_id, lang.code),
                            "phone_id": phone_id,
                            "name": lang.name_fr,
                            "code": lang.code,
                        }
                    )
            for lang in s.languages.all():
                tables["language"].append(
                    {
                        "id": stable_uuid("lang", service_id, lang.code),
                        "service_id": service_id,
                        "name": lang.name_fr,
                        "code": lang.code,
                    }
                )
            schedule_notes = _schedule_notes(s, today)
            for slot in s.schedule.all():
                tables["schedule"].append(
                    {
                        "id": str(slot.public_id),
                        "service_id": service_id,
                        "timezone": BRUSSELS_UTC_OFFSET,
                        "freq": "WEEKLY",
                        "wkst": "MO",
                        "byday": slot.rrule_day,
                        "opens_at": slot.opens_at.strftime("%H:%M:%S"),
                        "closes_at": slot.closes_at.strftime("%H:%M:%S"),
                        "description": str(slot),
                        "notes": schedule_notes,
                    }
                )
            areas = (
                [("Région de Bruxelles-Capitale", "region")]
                if s.area_whole_region
                else [(f"Bassin {b.name_fr}", f"bassin/{b.slug}") for b in s.area_bassins.all()]
                + [(c.name_fr, f"commune/{c.slug}") for c in s.area_communes.all()]
            )
            for name, key in areas:
                tables["service_area"].append(
                    {
                        "id": stable_uuid("area", service_id, key),
                        "service_id": service_id,
                        "name": name,
                        "extent_type": "text",
                        "uri": f"{settings.SITE_URL}/area/{key}",
                    }
                )
            for theme in s.themes.all():
                tables["attribute"].append(
                    {
                        "id": stable_uuid("attr", service_id, theme.slug),
                        "link_id": service_id,
                        "taxonomy_term_id": stable_uuid("theme", theme.slug),
                        "link_type": "service_type",
                        "link_entity": "service",
                    }
                )
    # Only taxonomy terms that are used, plus the translation term.
    used = {row["taxonomy_term_id"] for row in tables["attribute"]}
    tables["taxonomy_term"] = [t for t in tables["taxonomy_term"] if t["id"] in used]
    return {
        name: [{col: _cell(row.get(col)) for col in HSDS_RESOURCES[name][1]} for row in rows]
        for name, rows in tables.items()
    }


def _wait_time(service: Service, today: datetime.date) -> str:
    if service.current_availability(today) != Availability.WAITING_LIST:
        return ""
    return f"{service.availability_wait_weeks} semaines"


def _schedule_notes(service: Service, today: datetime.date) -> str:
    """Brussels wall-clock time, public holidays, the closures still to come."""
    notes = ["Heure locale de Bruxelles (Europe/Brussels, heure d'été comprise)."]
    if service.open_on_public_holidays:
        notes.append("Ouvert aussi les jours fériés belges.")
    else:
        notes.append("Fermé les jours fériés belges.")
    for closure in service.closures.all():
        if closure.end >= today:
            reason = f" ({closure.note_fr})" if closure.note_fr else ""
            period = f"{closure.start.isoformat()} au {closure.end.isoformat()}"
            notes.append(f"Fermé du {period}{reason}.")
    return " ".join(notes)


def _cell(value) -> str:
    return "" if value is None else str(value)


def datapackage_descriptor() -> dict:
    """The package's descriptor: HSDS 3.0 resource names, paths, columns and types."""
    return {
        "profile": "tabular-data-package",
        "name": "maillage-directory",
        "title": "Maillage — répertoire social-santé de Bruxelles (HSDS 3.0)",
        "version": "3.0.0",
        "created": timezone.now().isoformat(),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": column, "type": HSDS_TYPES.get((name, column), "string")}
                        for column in columns
                    ],
                    "primaryKey": ["id"],
                },
            }
            for name, (path, columns) in HSDS_RESOURCES.items()
        ],
    }


def hsds_files(services: QuerySet | None = None) -> dict[str, str]:
    """File name -> content of the data package (CSV files + datapackage.json)."""
    tables = hsds_tables(services)
    files = {}
    for name, rows in tables.items():
        path, columns = HSDS_RESOURCES[name]
        files[path] = csv_text(columns, rows, bom=False)
    files["datapackage.json"] = json.dumps(datapackage_descriptor(), ensure_ascii=False, indent=2)
    return files


def hsds_zip(services: QuerySet | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in hsds_files(services).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def write_hsds(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in hsds_files().items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
