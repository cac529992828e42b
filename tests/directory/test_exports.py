"""Exports: CSV and JSON of any search, and the HSDS 3.0 tabular data package."""

import csv
import datetime
import io
import json
import re
import uuid
import zipfile

import pytest
from django.core.management import call_command

from directory.exports import HSDS_ENUMS, HSDS_TABLES

pytestmark = pytest.mark.django_db

# Tables every HSDS 3.0 tabular package of ours must contain, and their foreign keys.
FOREIGN_KEYS = {
    ("service", "organization_id"): "organization",
    ("phone", "service_id"): "service",
    ("schedule", "service_id"): "service",
    ("language", "service_id"): "service",
    ("language", "phone_id"): "phone",
    ("service_area", "service_id"): "service",
    ("attribute", "taxonomy_term_id"): "taxonomy_term",
    ("taxonomy_term", "taxonomy_id"): "taxonomy",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("address", "location_id"): "location",
}
TIME = re.compile(r"^\d{2}:\d{2}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_value(table, field, ftype, fmt, value):
    if value == "":
        return
    if fmt == "uuid":
        assert str(uuid.UUID(value)) == value, (table, field, value)
    elif fmt == "email":
        assert EMAIL.match(value), (table, field, value)
    elif fmt == "uri":
        assert value.startswith(("http://", "https://")), (table, field, value)
    elif fmt == "date":
        datetime.date.fromisoformat(value)
    elif fmt == "date-time":
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    elif fmt == "time":
        assert TIME.match(value), (table, field, value)
    if ftype == "number":
        float(value)
    enum = HSDS_ENUMS.get((table, field))
    if enum:
        assert value in enum, (table, field, value)


def validate_package(files: dict[str, str]):
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["profile"] == "tabular-data-package"
    tables = {}
    for resource in descriptor["resources"]:
        name = resource["name"]
        assert name in HSDS_TABLES
        declared = [
            (f["name"], f["type"], f.get("format", ""), f["constraints"]["required"])
            for f in resource["schema"]["fields"]
        ]
        assert declared == HSDS_TABLES[name]
        rows = list(csv.DictReader(io.StringIO(files[resource["path"]])))
        header = next(csv.reader(io.StringIO(files[resource["path"]])))
        assert header == [f for f, *_ in HSDS_TABLES[name]], name
        ids = set()
        for row in rows:
            for field, ftype, fmt, required in HSDS_TABLES[name]:
                if required:
                    assert row[field] != "", (name, field, row)
                validate_value(name, field, ftype, fmt, row[field])
            assert row["id"] not in ids, (name, row["id"])
            ids.add(row["id"])
        tables[name] = rows
    for (table, field), target in FOREIGN_KEYS.items():
        targets = {r["id"] for r in tables[target]}
        for row in tables[table]:
            if row[field]:
                assert row[field] in targets, (table, field, row[field])
    return tables


def test_hsds_package_validates_against_the_30_definitions(client, directory_data):
    response = client.get("/api/directory/hsds.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name: archive.read(name).decode() for name in archive.namelist()}
    tables = validate_package(files)
    names = {r["name"] for r in tables["service"]}
    assert "Hotline Médiation de dettes" in names
    medimmigrant = next(r for r in tables["service"] if r["name"].startswith("Medimmigrant"))
    days = sorted(r["byday"] for r in tables["schedule"] if r["service_id"] == medimmigrant["id"])
    assert days == ["FR", "MO", "TH", "TU"]
    numbers = {r["number"] for r in tables["phone"] if r["service_id"] == medimmigrant["id"]}
    assert numbers == {"0800 14 960", "02 274 14 33"}
    translations = [
        r
        for r in tables["attribute"]
        if r["link_id"] == medimmigrant["id"] and r["link_type"] == "translation"
    ]
    assert any(r["value"] == "Medimmigrant — telefonische permanentie" for r in translations)


def test_hsds_of_a_search_contains_only_its_services(client, directory_data):
    response = client.get("/api/directory/hsds.zip", {"q": "handicap"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    tables = validate_package({n: archive.read(n).decode() for n in archive.namelist()})
    assert [r["name"] for r in tables["service"]] == ["BrAP — permanence téléphonique handicap"]


def test_export_hsds_command_writes_the_package(directory_data, tmp_path):
    call_command("export_hsds", str(tmp_path / "hsds"), stdout=io.StringIO())
    files = {p.name: p.read_text() for p in (tmp_path / "hsds").iterdir()}
    assert "datapackage.json" in files and "organization.csv" in files
    validate_package(files)


def test_csv_and_json_of_a_search(client, directory_data):
    response = client.get("/api/directory/export.csv", {"q": "schulden", "lang": "nl"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0]["service"] == "Hotline schuldbemiddeling"
    assert rows[0]["phones"] == "02 217 88 05"
    data = client.get("/api/directory/export.json", {"help_lines": "on"}).json()
    assert data["count"] == len(data["results"]) >= 12
    assert client.get("/api/directory/export.csv", {"theme": "<x>"}).status_code == 400


def test_hsds_excludes_contacts_without_consent(client, directory_data):
    from directory.models import Contact, Organisation

    org = Organisation.objects.get(slug="brap")
    Contact.objects.create(organisation=org, name="Secret Person", consent_public=False)
    Contact.objects.create(organisation=org, name="Public Person", consent_public=True)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/directory/hsds.zip").content))
    contacts = archive.read("contact.csv").decode()
    assert "Public Person" in contacts and "Secret Person" not in contacts
    page = client.get("/fr/repertoire/organisation/brap/").content.decode()
    assert "Public Person" in page and "Secret Person" not in page
