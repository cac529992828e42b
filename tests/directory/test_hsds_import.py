"""``manage.py import_hsds``: HSDS 3.0 packages in, matched by HSDS id, all or nothing."""

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.csvfiles import csv_text
from directory.exports import HSDS_RESOURCES, hsds_files
from directory.hsds_import import HsdsImportError, import_hsds
from directory.models import Contact, Location, Organisation, Phone, ScheduleSlot, Service

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parent / "data" / "hsds" / "examples"
ORG = str(uuid.UUID(int=1))
SERVICE = str(uuid.UUID(int=2))
LOCATION = str(uuid.UUID(int=3))
PHONE = str(uuid.UUID(int=4))
SLOT = str(uuid.UUID(int=5))
CONTACT = str(uuid.UUID(int=6))
NL_NAME = str(uuid.UUID(int=7))
DETTES = str(uuid.UUID(int=8))


def small_package() -> dict[str, list[dict]]:
    """A hand-made package: one Schaerbeek organisation with one line, as rows."""
    return {
        "organization": [
            {
                "id": ORG,
                "name": "Asbl Entraide Schaerbeek",
                "description": "Aide sociale de quartier.",
                "email": "info@entraide.example",
                "website": "https://entraide.example",
            }
        ],
        "service": [
            {
                "id": SERVICE,
                "organization_id": ORG,
                "name": "Permanence dettes",
                "description": "Médiation de dettes sans rendez-vous.",
                "status": "active",
                "fees_description": "Gratuit",
                "eligibility_description": "Public",
                "assured_date": "2026-03-01",
            }
        ],
        "location": [{"id": LOCATION, "organization_id": ORG, "name": "Siège"}],
        "address": [
            {
                "id": str(uuid.uuid4()),
                "location_id": LOCATION,
                "address_1": "Rue de la Poste 12",
                "city": "Schaerbeek",
                "postal_code": "1030",
                "country": "BE",
                "address_type": "physical",
            }
        ],
        "service_at_location": [
            {"id": str(uuid.uuid4()), "service_id": SERVICE, "location_id": LOCATION}
        ],
        "phone": [{"id": PHONE, "service_id": SERVICE, "number": "02 123 45 67", "type": "voice"}],
        "schedule": [
            {
                "id": SLOT,
                "service_id": SERVICE,
                "freq": "WEEKLY",
                "byday": "TU",
                "opens_at": "09:00:00",
                "closes_at": "12:00:00",
            }
        ],
        "contact": [{"id": CONTACT, "organization_id": ORG, "name": "Ann Dupont"}],
        "language": [
            {"id": str(uuid.uuid4()), "service_id": SERVICE, "name": "Arabe", "code": "ar"}
        ],
        "service_area": [
            {
                "id": str(uuid.uuid4()),
                "service_id": SERVICE,
                "name": "Bassin Nord-Est",
                "uri": "https://maillage.example/area/bassin/nord-est",
            }
        ],
        "taxonomy_term": [
            {"id": NL_NAME, "code": "nl:name", "name": "nl"},
            {"id": DETTES, "code": "dettes", "name": "Endettement"},
        ],
        "attribute": [
            {
                "id": str(uuid.uuid4()),
                "link_id": SERVICE,
                "taxonomy_term_id": NL_NAME,
                "link_type": "translation",
                "link_entity": "service",
                "value": "Permanentie schulden",
            },
            {
                "id": str(uuid.uuid4()),
                "link_id": SERVICE,
                "taxonomy_term_id": DETTES,
                "link_type": "service_type",
                "link_entity": "service",
            },
        ],
    }


def write_package(directory: Path, tables: dict[str, list[dict]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        path, columns = HSDS_RESOURCES[name]
        (directory / path).write_text(csv_text(columns, rows, bom=False), encoding="utf-8")
    return directory


def counts(report) -> dict[str, tuple[int, int, int]]:
    return {
        name: (c["created"], c["updated"], c["unchanged"])
        for name, c in report.counts.items()
        if sum(c.values())
    }


def test_a_package_creates_every_record_with_the_links_it_names(directory_data, tmp_path):
    report = import_hsds(write_package(tmp_path, small_package()))
    assert counts(report) == {
        "organization": (1, 0, 0),
        "location": (1, 0, 0),
        "service": (1, 0, 0),
        "phone": (1, 0, 0),
        "schedule": (1, 0, 0),
        "contact": (1, 0, 0),
    }
    service = Service.objects.get(public_id=SERVICE)
    assert service.organisation.public_id == uuid.UUID(ORG)
    assert (service.name_fr, service.name_nl) == ("Permanence dettes", "Permanentie schulden")
    assert service.is_free and service.for_whom == "public"
    assert str(service.last_verified) == "2026-03-01"
    assert [t.slug for t in service.themes.all()] == ["dettes"]
    assert [lang.code for lang in service.languages.all()] == ["ar"]
    assert [b.slug for b in service.area_bassins.all()] == ["nord-est"]
    assert "bassin:nord-est" in service.facet_keys  # search columns rebuilt
    assert service.location.public_id == uuid.UUID(LOCATION)
    assert not service.is_demo and not service.organisation.is_demo


def test_the_bassin_of_an_imported_location_comes_from_its_postal_code(directory_data, tmp_path):
    import_hsds(write_package(tmp_path, small_package()))
    location = Location.objects.get(public_id=LOCATION)
    assert location.commune.slug == "schaerbeek"
    assert location.suggested_bassin.slug == location.bassin.slug == "nord-est"


def test_an_imported_contact_is_not_published_until_consent_is_recorded(directory_data, tmp_path):
    import_hsds(write_package(tmp_path, small_package()))
    assert Contact.objects.get(public_id=CONTACT).consent_public is False


def test_a_recorded_consent_survives_a_new_import(directory_data, tmp_path):
    package = write_package(tmp_path, small_package())
    import_hsds(package)
    Contact.objects.filter(public_id=CONTACT).update(consent_public=True)
    import_hsds(package)
    assert Contact.objects.get(public_id=CONTACT).consent_public is True


def test_a_second_import_of_the_same_package_changes_nothing(directory_data, tmp_path):
    package = write_package(tmp_path, small_package())
    import_hsds(package)
    before = [Model.objects.count() for Model in (Organisation, Service, Phone, ScheduleSlot)]
    report = import_hsds(package)
    assert counts(report) == {
        name: (0, 0, 1)
        for name in ("organization", "location", "service", "phone", "schedule", "contact")
    }
    assert [Model.objects.count() for Model in (Organisation, Service, Phone, ScheduleSlot)] == (
        before
    )


def test_a_newer_package_updates_the_records_in_place(directory_data, tmp_path):
    import_hsds(write_package(tmp_path / "v1", small_package()))
    tables = small_package()
    tables["service"][0]["name"] = "Permanence dettes et logement"
    tables["schedule"][0]["closes_at"] = "13:00:00"
    tables["attribute"].pop()  # no theme any more
    report = import_hsds(write_package(tmp_path / "v2", tables))
    assert counts(report)["service"] == (0, 1, 0)
    assert counts(report)["schedule"] == (0, 1, 0)
    assert counts(report)["organization"] == (0, 0, 1)
    service = Service.objects.get(public_id=SERVICE)
    assert service.name_fr == "Permanence dettes et logement"
    assert not service.themes.exists()
    assert service.schedule.get().closes_at.hour == 13
    assert Service.objects.filter(name_fr__startswith="Permanence dettes").count() == 1


def test_a_dry_run_says_what_would_change_and_writes_nothing(directory_data, tmp_path):
    before = Organisation.objects.count()
    out = io.StringIO()
    call_command("import_hsds", str(write_package(tmp_path, small_package())), "--dry-run",
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    assert "services: 1 would be created, 0 would be updated, 0 unchanged" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert Organisation.objects.count() == before
    assert not Service.objects.filter(public_id=SERVICE).exists()


def test_an_invalid_row_is_named_by_file_and_row_and_nothing_is_saved(directory_data, tmp_path):
    tables = small_package()
    second = dict(tables["service"][0], id=str(uuid.uuid4()), email="pas-une-adresse")
    tables["service"].append(second)
    before = (Organisation.objects.count(), Service.objects.count(), Phone.objects.count())
    with pytest.raises(HsdsImportError) as error:
        import_hsds(write_package(tmp_path, tables))
    assert "services.csv, row 3, email:" in str(error.value)
    assert (Organisation.objects.count(), Service.objects.count(), Phone.objects.count()) == before


def test_control_characters_are_refused_like_in_the_admin_form(directory_data, tmp_path):
    tables = small_package()
    tables["organization"][0]["name"] = "Asbl\x07 Entraide"
    with pytest.raises(HsdsImportError, match=r"organizations.csv, row 2, name: .*contrôle"):
        import_hsds(write_package(tmp_path, tables))
    assert not Organisation.objects.filter(public_id=ORG).exists()


def test_a_service_of_an_unknown_organisation_is_an_error(directory_data, tmp_path):
    tables = small_package()
    tables["service"][0]["organization_id"] = str(uuid.uuid4())
    with pytest.raises(HsdsImportError, match="services.csv, row 2, organization_id: no organ"):
        import_hsds(write_package(tmp_path, tables))


def test_an_id_that_is_not_a_uuid_is_an_error(directory_data, tmp_path):
    tables = small_package()
    tables["phone"][0]["id"] = "42"
    with pytest.raises(HsdsImportError, match="phones.csv, row 2, id: not a UUID"):
        import_hsds(write_package(tmp_path, tables))


@pytest.mark.parametrize(
    "table, changes, where",
    [
        # A time with an offset once crashed the comparison (or the SQLite write).
        ("schedule", {"opens_at": "09:00:00+01:00"}, "schedules.csv, row 2"),
        (
            "schedule",
            {"opens_at": "09:00:00+01:00", "closes_at": "12:00:00+01:00"},
            "schedules.csv, row 2",
        ),
        ("service", {"assured_date": "0001-01-01"}, "services.csv, row 2, assured_date"),
        ("service", {"assured_date": "9999-12-31"}, "services.csv, row 2, assured_date"),
    ],
)
def test_times_with_an_offset_and_dates_out_of_bounds_are_errors(
    directory_data, tmp_path, table, changes, where
):
    tables = small_package()
    tables[table][0].update(changes)
    with pytest.raises(HsdsImportError, match=where):
        import_hsds(write_package(tmp_path, tables))
    assert not Service.objects.filter(public_id=SERVICE).exists()


def test_a_slot_closing_before_it_opens_is_an_error(directory_data, tmp_path):
    tables = small_package()
    tables["schedule"][0]["closes_at"] = "08:00:00"
    with pytest.raises(HsdsImportError, match="schedules.csv, row 2, closes_at"):
        import_hsds(write_package(tmp_path, tables))


def _csv_rows(text: str, drop: tuple[str, ...] = ("last_modified",)) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    keep = [i for i, column in enumerate(rows[0]) if column not in drop]
    return [rows[0]] + sorted([[row[i] for i in keep] for row in rows[1:]])


def test_export_then_import_into_an_empty_directory_gives_back_the_same_package(
    directory_data, tmp_path
):
    exported = hsds_files()
    assert exported["services.csv"].count("\n") > 10
    write_package_files(tmp_path, exported)
    Organisation.objects.all().delete()
    report = import_hsds(tmp_path)
    assert counts(report)["organization"][0] == exported["organizations.csv"].count("\r\n") - 1
    again = hsds_files()
    for name, content in exported.items():
        if name.endswith(".csv"):
            assert _csv_rows(again[name]) == _csv_rows(content), name


def test_our_own_export_imported_over_the_directory_changes_nothing(directory_data, tmp_path):
    write_package_files(tmp_path, hsds_files())
    report = import_hsds(tmp_path)
    assert all(c["created"] == c["updated"] == 0 for c in report.counts.values()), counts(report)


def write_package_files(directory: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (directory / name).write_text(content, encoding="utf-8")


def test_the_specification_example_package_imports_without_error(directory_data):
    report = import_hsds(EXAMPLES)
    service = Service.objects.get(public_id="ac148810-d857-441c-9679-408f346de14b")
    assert service.organisation.name_fr == "Example Organization Inc."
    assert service.schedule.count() == 2  # byday TH,FR
    assert service.phones.get().number == "+44 1234 234567"
    # Its address has no Belgian postal code: not a location we can hold.
    assert service.location is None
    assert any("locations.csv, row 2" in w for w in report.warnings)
    assert any("programs.csv" in w for w in report.warnings)


def test_a_zip_of_the_package_imports_like_the_folder(directory_data, tmp_path):
    folder = write_package(tmp_path / "package", small_package())
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, f"hsds/{path.name}")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hsds", str(archive), stdout=out, stderr=err)
    assert Service.objects.filter(public_id=SERVICE).exists()
    assert "services: 1 created" in out.getvalue()
    assert "services written: 1/1" in err.getvalue()  # the progress counter


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a zip at all", "neither a folder nor a .zip archive"),
        (b"PK\x03\x04" + b"\x00" * 40, "neither a folder nor a .zip archive"),
    ],
)
def test_garbage_gives_a_clear_command_error(directory_data, tmp_path, content, message):
    path = tmp_path / "package.zip"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_hsds", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_corrupt_member_gives_a_clear_command_error(directory_data, tmp_path):
    path = tmp_path / "package.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organizations.csv", "id,name\n" + "x" * 5000)
    data = bytearray(path.read_bytes())
    data[60:80] = b"\xff" * 20  # inside the compressed stream
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="unreadable .zip archive"):
        call_command("import_hsds", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_missing_path_and_a_package_without_organisations_are_refused(tmp_path, db):
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("import_hsds", str(tmp_path / "nowhere"), stdout=io.StringIO())
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(CommandError, match="organizations.csv: missing"):
        call_command("import_hsds", str(tmp_path), stdout=io.StringIO())


def test_a_file_that_is_not_utf8_is_refused(directory_data, tmp_path):
    (tmp_path / "organizations.csv").write_bytes("id,name\n1,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(CommandError, match="organizations.csv: not UTF-8"):
        call_command("import_hsds", str(tmp_path), stdout=io.StringIO())


@override_settings(DIRECTORY_HSDS_IMPORT_MAX_BYTES=200)
def test_an_oversized_file_is_refused_before_it_is_read(directory_data, tmp_path):
    tables = small_package()
    tables["organization"][0]["description"] = "x" * 500
    folder = write_package(tmp_path / "package", tables)
    with pytest.raises(CommandError, match="organizations.csv: .*more than the limit of 200"):
        call_command("import_hsds", str(folder), stdout=io.StringIO())
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(folder / "organizations.csv", "organizations.csv")
    with pytest.raises(CommandError, match="organizations.csv: .*more than the limit of 200"):
        call_command("import_hsds", str(archive), stdout=io.StringIO())
    assert not Organisation.objects.filter(public_id=ORG).exists()


# --- HSDS status and --prune ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "listed"),
    [("active", True), ("temporarily closed", True), ("inactive", False), ("defunct", False)],
)
def test_the_hsds_status_of_a_service_is_kept_and_inactive_ones_are_not_listed(
    directory_data, tmp_path, client, status, listed
):
    tables = small_package()
    tables["service"][0]["status"] = status
    import_hsds(write_package(tmp_path, tables))
    service = Service.objects.get(public_id=SERVICE)
    assert service.status == status
    page = client.get("/fr/repertoire/", {"q": "Permanence dettes"}).content.decode()
    assert (SERVICE in page) is listed
    organisation = client.get(f"/fr/repertoire/organisation/{service.organisation.slug}/")
    assert (SERVICE in organisation.content.decode()) is listed
    api = client.get("/api/directory/search", {"q": "Permanence dettes"}).json()
    assert (SERVICE in json.dumps(api)) is listed
    assert (status == "temporarily closed") is ("Temporairement fermé" in page)


def test_the_export_carries_the_status_so_a_reimport_keeps_it(directory_data, tmp_path):
    tables = small_package()
    tables["service"][0]["status"] = "inactive"
    import_hsds(write_package(tmp_path / "v1", tables))
    exported = hsds_files()
    rows = csv.DictReader(io.StringIO(exported["services.csv"].lstrip("\ufeff")))
    assert next(r for r in rows if r["id"] == SERVICE)["status"] == "inactive"
    (tmp_path / "v2").mkdir()
    write_package_files(tmp_path / "v2", exported)
    report = import_hsds(tmp_path / "v2")
    assert all(c["created"] == c["updated"] == 0 for c in report.counts.values())
    assert Service.objects.get(public_id=SERVICE).status == "inactive"


def test_an_unknown_status_is_an_error(directory_data, tmp_path):
    tables = small_package()
    tables["service"][0]["status"] = "closed forever"
    with pytest.raises(HsdsImportError) as error:
        import_hsds(write_package(tmp_path, tables))
    assert "services.csv, row 2, status: not an HSDS status" in str(error.value)
    assert not Service.objects.filter(public_id=SERVICE).exists()


def test_without_prune_records_missing_from_a_newer_package_stay(directory_data, tmp_path):
    import_hsds(write_package(tmp_path / "v1", small_package()))
    tables = small_package()
    tables["phone"] = []
    report = import_hsds(write_package(tmp_path / "v2", tables))
    assert Phone.objects.filter(public_id=PHONE).exists()
    assert "deleted" not in "\n".join(report.lines())


def drop_rows(package: Path, ids) -> None:
    """Remove from every CSV file of ``package`` the rows that mention one of ``ids``."""
    ids = [str(i) for i in ids]
    for path in package.glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not any(i in line for i in ids)]
        path.write_text("".join(kept), encoding="utf-8")


def test_prune_deletes_what_a_newer_package_no_longer_holds_and_a_dry_run_only_counts_it(
    directory_data, tmp_path
):
    import_hsds(write_package(tmp_path / "v1", small_package()))
    Contact.objects.filter(public_id=CONTACT).update(consent_public=True)
    package = tmp_path / "v2"
    package.mkdir()
    write_package_files(package, hsds_files())
    # The newer package: the whole directory less our phone, slot and contact, and less
    # one organisation of the reference data with its services.
    gone = Organisation.objects.get(slug="medimmigrant")
    gone_services = set(gone.services.values_list("public_id", flat=True))
    drop_rows(package, [PHONE, SLOT, CONTACT, gone.public_id, *gone_services])
    out = io.StringIO()
    call_command("import_hsds", str(package), "--dry-run", "--prune", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    text = out.getvalue()
    assert "organisations: 0 would be created, 0 would be updated, " in text
    assert "services: 0 would be created, 0 would be updated, " in text
    assert f", {len(gone_services)} would be deleted" in text
    assert "phones: 0 would be created, 0 would be updated, " in text
    assert Phone.objects.filter(public_id=PHONE).exists()
    assert Organisation.objects.filter(pk=gone.pk).exists()
    report = import_hsds(package, prune=True)
    assert report.counts["organization"]["deleted"] == 1
    assert report.counts["phone"]["deleted"] >= 1
    assert not Phone.objects.filter(public_id=PHONE).exists()
    assert not ScheduleSlot.objects.filter(public_id=SLOT).exists()
    assert not Contact.objects.filter(public_id=CONTACT).exists()
    assert not Organisation.objects.filter(pk=gone.pk).exists()
    assert not Service.objects.filter(public_id__in=gone_services).exists()
    # Everything else stays as it was: a second run changes and prunes nothing.
    assert Service.objects.filter(public_id=SERVICE).exists()
    report = import_hsds(package, prune=True)
    assert all(c["created"] == c["updated"] == c["deleted"] == 0 for c in report.counts.values()), (
        counts(report)
    )


def test_prune_keeps_unpublished_contacts_no_export_carries(directory_data, tmp_path):
    import_hsds(write_package(tmp_path / "v1", small_package()))
    assert not Contact.objects.get(public_id=CONTACT).consent_public
    (tmp_path / "full").mkdir()
    write_package_files(tmp_path / "full", hsds_files())
    report = import_hsds(tmp_path / "full", prune=True)
    assert Contact.objects.filter(public_id=CONTACT).exists()
    assert all(c["deleted"] == 0 for c in report.counts.values()), counts(report)


def test_location_coordinates_are_read_and_placed_exactly(directory_data, tmp_path):
    tables = small_package()
    tables["location"][0].update(latitude="50.8671234567", longitude="4.3773")
    import_hsds(write_package(tmp_path, tables))
    location = Location.objects.get(public_id=LOCATION)
    assert (str(location.latitude), str(location.longitude)) == ("50.867123", "4.377300")
    assert (location.map_latitude, location.map_approximate) == (50.867123, False)


def test_a_location_without_coordinates_is_placed_at_its_commune(directory_data, tmp_path):
    import_hsds(write_package(tmp_path, small_package()))
    location = Location.objects.get(public_id=LOCATION)
    assert location.latitude is None and location.map_approximate is True


@pytest.mark.parametrize(
    "latitude, longitude, message",
    [
        ("4.3773", "50.8671", "hors de Belgique"),
        ("1e309", "4.3", "not a coordinate"),
        ("1e999999999", "4.3", "not a coordinate"),  # once decimal.Overflow, a traceback
        ("9" * 40, "4.3", "not a coordinate"),
        ("nord", "4.3", "not a coordinate"),
        ("50.86", "", "ou aucune des deux"),
    ],
)
def test_bad_coordinates_are_named_and_nothing_is_saved(
    directory_data, tmp_path, latitude, longitude, message
):
    tables = small_package()
    tables["location"][0].update(latitude=latitude, longitude=longitude)
    with pytest.raises(HsdsImportError) as error:
        import_hsds(write_package(tmp_path, tables))
    assert "locations.csv, row 2" in str(error.value) and message in str(error.value)
    assert not Location.objects.filter(public_id=LOCATION).exists()


@pytest.mark.parametrize(
    "state, value, wait_time, where",
    [
        ("accepting", "9999-12-31", "", "attributes.csv, row 4, value"),  # "accepting" for ever
        ("accepting", "2999-01-01", "", "attributes.csv, row 4, value"),  # not a day that came
        ("waiting_list", "2026-03-01", "²", "services.csv, row 2, wait_time"),  # not a digit
    ],
)
def test_an_availability_must_be_dated_by_a_past_day_and_its_weeks_in_digits(
    directory_data, tmp_path, state, value, wait_time, where
):
    term = str(uuid.uuid4())
    tables = small_package()
    tables["taxonomy_term"].append({"id": term, "code": f"availability:{state}", "name": state})
    tables["attribute"].append(
        {
            "id": str(uuid.uuid4()),
            "link_id": SERVICE,
            "taxonomy_term_id": term,
            "link_type": "availability",
            "link_entity": "service",
            "value": value,
        }
    )
    tables["service"][0]["wait_time"] = wait_time
    with pytest.raises(HsdsImportError, match=where):
        import_hsds(write_package(tmp_path, tables))
    assert not Service.objects.filter(public_id=SERVICE).exists()
