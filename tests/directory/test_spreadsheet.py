"""Spreadsheet import in the admin: FR/NL template, preview, all or nothing, team rights."""

import csv
import io

import pytest
import tablib
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from bassins.permissions import ensure_team_groups
from directory import spreadsheet
from directory.models import Organisation, Service

pytestmark = pytest.mark.django_db

URL = "/admin/directory/import/"


def template_rows(client, file_format="csv", url=URL) -> tuple[list[str], list[list[str]]]:
    response = client.get(f"{url}template.{file_format}")
    assert response.status_code == 200
    if file_format == "xlsx":
        dataset = tablib.Dataset().load(response.content, format="xlsx")
        return list(dataset.headers), [list(row) for row in dataset]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def as_csv(headers, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(client, content: bytes, name="services.csv", url=URL):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def totals(response) -> dict[str, int]:
    outcome = response.context["outcome"]
    return {kind: n for kind, n in outcome.totals.items() if n}


def column(headers, label) -> int:
    return headers.index(label)


@pytest.fixture
def nord_member(directory_data, django_user_model):
    ensure_team_groups()
    user = django_user_model.objects.create_user("nord-import", password="x")
    user.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    return user


def test_the_template_holds_every_service_with_french_headers(admin_client, directory_data):
    headers, rows = template_rows(admin_client)
    assert headers[:3] == [
        "Identifiant (vide pour un nouveau service)",
        "Organisation (identifiant)",
        "Nom (FR)",
    ]
    assert len(rows) == Service.objects.count()


def test_the_template_has_dutch_headers_for_a_dutch_reader(admin_user, directory_data):
    content = spreadsheet.template_file(admin_user, "csv", "nl").decode("utf-8-sig")
    header = content.splitlines()[0]
    assert "Naam (NL)" in header and "Nom (NL)" not in header


def test_an_unchanged_template_previews_as_unchanged_and_writes_nothing(
    admin_client, directory_data
):
    headers, rows = template_rows(admin_client)
    response = upload(admin_client, as_csv(headers, rows))
    assert response.status_code == 200
    assert totals(response) == {"skip": len(rows)}


def test_preview_then_import_new_and_updated_rows(admin_client, directory_data):
    headers, rows = template_rows(admin_client)
    name = column(headers, "Nom (FR)")
    rows[0][name] = "Nom changé par tableur"
    new = [""] * len(headers)
    new[column(headers, "Organisation (identifiant)")] = "brap"
    new[name] = "Nouvelle permanence tableur"
    new[column(headers, "Bassins desservis (identifiants, séparés par des virgules)")] = "nord"
    new[column(headers, "Thématiques (identifiants, séparés par des virgules)")] = "dettes"
    preview = upload(admin_client, as_csv(headers, [rows[0], new]))
    assert preview.status_code == 200
    assert totals(preview) == {"update": 1, "new": 1}
    # The preview wrote nothing.
    assert not Service.objects.filter(name_fr="Nouvelle permanence tableur").exists()
    key = preview.context["key"]
    done = admin_client.post(URL + "confirm/", {"key": key})
    assert done.status_code == 302
    created = Service.objects.get(name_fr="Nouvelle permanence tableur")
    assert created.organisation.slug == "brap"
    assert [b.slug for b in created.area_bassins.all()] == ["nord"]
    assert [t.slug for t in created.themes.all()] == ["dettes"]
    assert created.slug and created.status == "active"
    assert Service.objects.filter(name_fr="Nom changé par tableur").count() == 1
    # A second click (double submit) imports nothing more.
    again = admin_client.post(URL + "confirm/", {"key": key})
    assert again.status_code == 400
    assert Service.objects.filter(name_fr="Nouvelle permanence tableur").count() == 1


def test_one_invalid_row_and_nothing_is_imported(admin_client, directory_data):
    headers, rows = template_rows(admin_client)
    rows[0][column(headers, "Nom (FR)")] = "Changé"
    rows[1][column(headers, "Site web")] = "javascript:alert(1)"
    rows[2][column(headers, "Description (FR)")] = "texte\x00caché"
    rows[3][column(headers, "Thématiques (identifiants, séparés par des virgules)")] = "inconnue"
    rows[4][column(headers, "Gratuit (oui/non)")] = "peut-être"
    response = upload(admin_client, as_csv(headers, rows))
    assert response.status_code == 400
    assert totals(response)["invalid"] == 4
    assert not response.context["key"]
    page = response.content.decode()
    assert "Site web" in page and "inconnue" in page and "peut-être" in page
    assert not Service.objects.filter(name_fr="Changé").exists()


def test_a_bassin_team_imports_only_its_bassins_services(client, nord_member):
    client.force_login(nord_member)
    headers, rows = template_rows(client)
    ours = {row[0] for row in rows}
    assert ours and all(
        Service.objects.get(public_id=i).area_bassins.filter(slug="nord").exists() for i in ours
    )
    other = Service.objects.exclude(area_bassins__slug="nord").exclude(area_whole_region=True)
    other = other.filter(area_bassins__isnull=False).first()
    foreign = [""] * len(headers)
    foreign[0] = str(other.public_id)
    foreign[column(headers, "Organisation (identifiant)")] = other.organisation.slug
    foreign[column(headers, "Nom (FR)")] = "Pris à un autre bassin"
    elsewhere = [""] * len(headers)
    elsewhere[column(headers, "Organisation (identifiant)")] = "brap"
    elsewhere[column(headers, "Nom (FR)")] = "Dans le bassin sud"
    elsewhere[column(headers, "Bassins desservis (identifiants, séparés par des virgules)")] = "sud"
    regional = list(elsewhere)
    regional[column(headers, "Nom (FR)")] = "Toute la Région"
    regional[column(headers, "Toute la Région (oui/non)")] = "oui"
    response = upload(client, as_csv(headers, [foreign, elsewhere, regional]))
    assert response.status_code == 400
    assert totals(response) == {"invalid": 3}
    mine = list(elsewhere)
    mine[column(headers, "Nom (FR)")] = "Dans le bassin nord"
    mine[column(headers, "Bassins desservis (identifiants, séparés par des virgules)")] = "nord"
    response = upload(client, as_csv(headers, [mine]))
    assert totals(response) == {"new": 1}


def test_an_xlsx_template_round_trips(admin_client, directory_data):
    headers, rows = template_rows(admin_client, "xlsx")
    dataset = tablib.Dataset(*[tuple(r) for r in rows], headers=headers)
    response = upload(admin_client, dataset.export("xlsx"), "services.xlsx")
    assert response.status_code == 200
    assert totals(response) == {"skip": len(rows)}


def test_dutch_headers_are_read_too(admin_user, admin_client, directory_data):
    content = spreadsheet.template_file(admin_user, "csv", "nl")
    response = upload(admin_client, content)
    assert response.status_code == 200 and set(totals(response)) == {"skip"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("services.txt", b"a,b\n", "Format inconnu"),
        ("services.xlsx", b"not a workbook", "ne se lit pas"),
        ("services.csv", "Nom (FR)\n\xe9".encode("latin-1"), "UTF-8"),
        ("services.csv", b"Colonne X,Nom (FR)\n1,2\n", "Colonne inconnue"),
        ("services.csv", b"Nom (FR)\nx\n", "Il manque"),
    ],
)
def test_a_wrong_file_gets_a_clear_400(admin_client, directory_data, name, content, message):
    response = upload(admin_client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_oversized_file_gets_a_413(admin_client, directory_data, settings):
    settings.DIRECTORY_SPREADSHEET_MAX_BYTES = 100
    response = upload(admin_client, b"x" * 200)
    assert response.status_code == 413
    assert "trop volumineux" in response.content.decode()


def test_a_forged_confirmation_key_is_a_400(admin_client, directory_data):
    assert admin_client.post(URL + "confirm/", {"key": "0" * 32}).status_code == 400
    assert admin_client.post(URL + "confirm/", {"key": "../x"}).status_code == 400


def test_people_without_directory_rights_cannot_import(client, django_user_model, db):
    user = django_user_model.objects.create_user("rien", password="x")
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    assert Organisation.objects.count() >= 0
