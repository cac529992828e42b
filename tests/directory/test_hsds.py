"""The HSDS export against the upstream HSDS 3.0 descriptor (Open Referral's own files).

Schemas (file names, columns in order, types, formats, required, enums, unique ids)
are checked per resource; keys (primary and foreign) across the package, separately:
the upstream examples have dangling foreign keys, our export must not.
"""

import copy
import csv
import io
import json
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import Package, Resource, Schema

from directory.models import Location, Organisation

pytestmark = pytest.mark.django_db

HSDS = Path(__file__).parent / "data" / "hsds"
UPSTREAM = json.loads((HSDS / "datapackage.json").read_text())
UPSTREAM_BY_PATH = {r["path"]: r for r in UPSTREAM["resources"]}


def _schema_without_keys(resource: dict) -> Schema:
    descriptor = copy.deepcopy(resource["schema"])
    descriptor.pop("foreignKeys", None)
    return Schema.from_descriptor(descriptor)


def schema_errors(directory: Path, path: str) -> list[str]:
    """Errors of one CSV file against its upstream resource schema (keys left out)."""
    resource = Resource(
        path=path, basepath=str(directory), schema=_schema_without_keys(UPSTREAM_BY_PATH[path])
    )
    return _errors(resource.validate())


def _errors(report) -> list[str]:
    found = [f"{task.name}: {e.type}: {e.message}" for task in report.tasks for e in task.errors]
    return found + [f"{e.type}: {e.message}" for e in report.errors]


def key_errors(directory: Path, paths: list[str]) -> list[str]:
    """Primary and foreign key errors of the package made of ``paths``.

    A foreign key to a resource we do not publish (``service.program_id``) must be
    empty in every row: there is nothing for it to point at.
    """
    shipped = {UPSTREAM_BY_PATH[p]["name"] for p in paths}
    resources = []
    errors = []
    for path in paths:
        descriptor = copy.deepcopy(UPSTREAM_BY_PATH[path])
        keys = []
        for key in descriptor["schema"].get("foreignKeys", []):
            if key["reference"]["resource"] in shipped:
                keys.append(key)
                continue
            column = key["fields"]
            with open(directory / path, encoding="utf-8") as handle:
                if any(row[column] for row in csv.DictReader(handle)):
                    errors.append(f"{path}: {column} points at an unpublished resource")
        descriptor["schema"]["foreignKeys"] = keys
        resources.append(descriptor)
    package = Package.from_descriptor(
        {"profile": "tabular-data-package", "resources": resources}, basepath=str(directory)
    )
    return errors + _errors(package.validate())


def unpack(content: bytes, directory: Path) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(directory)
        return sorted(n for n in archive.namelist() if n.endswith(".csv"))


@pytest.fixture
def exported(client, directory_data, tmp_path) -> tuple[Path, list[str]]:
    # The reference data has no address: one placed location (latitude/longitude
    # columns are numbers) and one at its commune's point (left empty).
    organisation = Organisation.objects.order_by("pk").first()
    for coordinates in ((Decimal("50.867100"), Decimal("4.377300")), (None, None)):
        Location.objects.create(
            organisation=organisation,
            address="Rue de la Poste 12",
            postal_code="1030",
            latitude=coordinates[0],
            longitude=coordinates[1],
        )
    response = client.get("/api/directory/hsds.zip")
    assert response.status_code == 200
    return tmp_path, unpack(response.content, tmp_path)


def test_every_exported_file_is_an_hsds_30_resource_with_its_columns_in_order(exported):
    directory, paths = exported
    assert set(paths) <= set(UPSTREAM_BY_PATH)
    assert {"organizations.csv", "services.csv", "schedules.csv", "phones.csv"} <= set(paths)
    for path in paths:
        header = (directory / path).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        assert header == [f["name"] for f in UPSTREAM_BY_PATH[path]["schema"]["fields"]], path


def test_hsds_export_conforms_to_the_upstream_hsds_30_schemas(exported):
    directory, paths = exported
    errors = [error for path in paths for error in schema_errors(directory, path)]
    assert errors == []


def test_entered_coordinates_are_exported_and_commune_points_are_not(exported):
    directory, _paths = exported
    with open(directory / "locations.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((row["latitude"], row["longitude"]) for row in rows) == [
        ("", ""),
        ("50.8671", "4.3773"),
    ]


def test_hsds_export_keys_hold_across_the_package(exported):
    directory, paths = exported
    assert key_errors(directory, paths) == []


def test_hsds_export_descriptor_describes_its_own_files(exported):
    directory, paths = exported
    package = Package(str(directory / "datapackage.json"))
    assert sorted(r.path for r in package.resources) == paths
    report = package.validate()
    assert report.valid, report.flatten(["type", "message"])


def test_hsds_of_a_search_conforms_too(client, directory_data, tmp_path):
    response = client.get("/api/directory/hsds.zip", {"q": "handicap"})
    paths = unpack(response.content, tmp_path)
    assert [e for p in paths for e in schema_errors(tmp_path, p)] == []
    assert key_errors(tmp_path, paths) == []


def test_export_hsds_command_writes_a_conforming_package(directory_data, tmp_path):
    call_command("export_hsds", str(tmp_path), stdout=io.StringIO())
    paths = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert "organizations.csv" in paths and (tmp_path / "datapackage.json").exists()
    assert [e for p in paths for e in schema_errors(tmp_path, p)] == []
    assert key_errors(tmp_path, paths) == []


# The checks above are only worth something if they accept HSDS and refuse the rest.


def test_the_upstream_examples_pass_the_schema_check():
    examples = HSDS / "examples"
    paths = sorted(p.name for p in examples.glob("*.csv"))
    assert len(paths) == len(UPSTREAM["resources"])
    assert [e for p in paths for e in schema_errors(examples, p)] == []


def test_the_schema_check_refuses_a_missing_column_and_a_bad_value(tmp_path):
    lines = (HSDS / "examples" / "organizations.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("tax_status")
    dropped = [",".join(c for i, c in enumerate(line.split(",")) if i != column) for line in lines]
    (tmp_path / "organizations.csv").write_text("\n".join(dropped) + "\n", encoding="utf-8")
    assert schema_errors(tmp_path, "organizations.csv")
    times = (HSDS / "examples" / "schedules.csv").read_text(encoding="utf-8")
    (tmp_path / "schedules.csv").write_text(times.replace("10:00:00", "10h"), encoding="utf-8")
    assert schema_errors(tmp_path, "schedules.csv")


def test_the_key_check_refuses_a_dangling_foreign_key(tmp_path):
    examples = HSDS / "examples"
    organisations = (examples / "organizations.csv").read_text(encoding="utf-8")
    (tmp_path / "organizations.csv").write_text(organisations, encoding="utf-8")
    organisation_id = organisations.splitlines()[1].split(",")[0]
    header = (examples / "programs.csv").read_text(encoding="utf-8").splitlines()[0]
    program = f"{uuid.uuid4()},{organisation_id},Programme,,Un programme"
    (tmp_path / "programs.csv").write_text(f"{header}\n{program}\n", encoding="utf-8")
    assert header.startswith("id,organization_id,name")
    assert key_errors(tmp_path, ["organizations.csv", "programs.csv"]) == []
    dangling = program.replace(organisation_id, str(uuid.uuid4()))
    (tmp_path / "programs.csv").write_text(f"{header}\n{dangling}\n", encoding="utf-8")
    assert key_errors(tmp_path, ["organizations.csv", "programs.csv"])
