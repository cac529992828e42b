"""Every directory CSV (export.csv, My list, the HSDS package) neutralises formula cells."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from directory.models import Location, Organisation, Phone, ScheduleException, Service
from tests.csvcheck import POISON, formula_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def poisoned(db):
    """An organisation whose every free-text field starts like a spreadsheet formula."""
    org = Organisation.objects.create(
        slug="poison",
        name_fr=POISON[0],
        name_nl=POISON[1],
        alternate_name=POISON[2],
        description_fr=POISON[3],
        description_nl=POISON[4],
    )
    Location.objects.create(organisation=org, name_fr=POISON[5], address="=A1", postal_code="1000")
    service = Service.objects.create(
        organisation=org,
        slug="poison-service",
        name_fr=POISON[3],
        name_nl=POISON[2],
        description_fr=POISON[0],
        description_nl=POISON[5],
        interpretation_fr=POISON[1],
        access_notes_fr=POISON[4],
        area_whole_region=True,
    )
    Phone.objects.create(service=service, number="+32 2 000 00 00", description_fr=POISON[2])
    start = timezone.localdate() + datetime.timedelta(days=1)
    ScheduleException.objects.create(
        service=service, start=start, end=start, note_fr=POISON[3], note_nl=POISON[4]
    )
    return service


def test_directory_export_csv_has_no_formula_cell(client, poisoned):
    response = client.get("/api/directory/export.csv", {"lang": "fr"})
    text = response.content.decode("utf-8")
    assert "HYPERLINK" in text and "'+32 2 000 00 00" in text
    assert formula_cells(text) == []
    nl = client.get("/api/directory/export.csv", {"lang": "nl"}).content.decode("utf-8")
    assert formula_cells(nl) == []


def test_my_list_csv_has_no_formula_cell(client, poisoned):
    client.post("/fr/repertoire/ma-liste/ajouter/", {"service": str(poisoned.public_id)})
    text = client.get("/fr/repertoire/ma-liste.csv").content.decode("utf-8")
    assert "HYPERLINK" in text
    assert formula_cells(text) == []


def test_hsds_csvs_have_no_formula_cell(client, poisoned):
    response = client.get("/api/directory/hsds.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".csv")}
    assert "HYPERLINK" in files["organizations.csv"]
    for name, text in files.items():
        assert formula_cells(text) == [], name
