"""Exports: CSV and JSON of any search; what the HSDS package leaves out (see test_hsds)."""

import csv
import io
import zipfile

import pytest

pytestmark = pytest.mark.django_db


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
    contacts = archive.read("contacts.csv").decode()
    assert "Public Person" in contacts and "Secret Person" not in contacts
    page = client.get("/fr/repertoire/organisation/brap/").content.decode()
    assert "Public Person" in page and "Secret Person" not in page
