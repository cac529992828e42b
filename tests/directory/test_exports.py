"""Exports: CSV and JSON of any search; what the HSDS package leaves out (see test_hsds)."""

import csv
import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from directory.models import ScheduleException, Service

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


def test_csv_and_json_carry_the_availability_as_shown_and_the_closures_still_to_come(
    client, directory_data
):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    waiting = Service.objects.get(slug="brap-permanence")
    Service.objects.filter(pk=waiting.pk).update(
        availability="waiting_list", availability_wait_weeks=6, availability_date=today - day
    )
    stale = Service.objects.get(slug="medimmigrant-permanence")
    Service.objects.filter(pk=stale.pk).update(
        availability="accepting", availability_date=today - 61 * day
    )
    ScheduleException.objects.create(
        service=waiting, start=today - 9 * day, end=today - 2 * day, note_fr="Passée"
    )
    ScheduleException.objects.create(
        service=waiting, start=today + 3 * day, end=today + 5 * day, note_fr="Formation"
    )
    ScheduleException.objects.create(service=waiting, start=today + 40 * day, end=today + 40 * day)
    response = client.get("/api/directory/export.csv", {"lang": "fr"})
    rows = {
        row["id"]: row
        for row in csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff")))
    }
    row = rows[str(waiting.public_id)]
    assert (row["availability"], row["availability_wait_weeks"], row["availability_date"]) == (
        "waiting_list",
        "6",
        (today - day).isoformat(),
    )
    soon, later = today + 3 * day, today + 40 * day
    assert row["closures"] == (
        f"{soon.isoformat()}/{(today + 5 * day).isoformat()} (Formation); "
        f"{later.isoformat()}/{later.isoformat()}"
    )
    # Older than 60 days: unknown, as on the pages, without its old date.
    old = rows[str(stale.public_id)]
    assert (old["availability"], old["availability_wait_weeks"], old["availability_date"]) == (
        "unknown",
        "",
        "",
    )
    data = client.get("/api/directory/export.json", {"lang": "fr"}).json()
    by_id = {result["id"]: result for result in data["results"]}
    # The JSON rows are the CSV's: every column text (the documented schema).
    assert by_id[str(waiting.public_id)]["availability_wait_weeks"] == "6"
    assert by_id[str(waiting.public_id)]["closures"] == row["closures"]
    assert by_id[str(stale.public_id)]["availability_date"] == ""
