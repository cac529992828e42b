"""The spreadsheet import's second sheet (organisations with their main place and
maintainers) and the services sheet's phones, hours and availability."""

import datetime

import pytest
import tablib
from django.contrib.auth.models import Group
from django.utils import timezone

from bassins.permissions import ensure_team_groups
from directory import spreadsheet
from directory.models import Location, Organisation, Phone, ScheduleSlot, Service

from .test_spreadsheet import URL, as_csv, column, template_rows, totals, upload

pytestmark = pytest.mark.django_db

ORG_URL = URL + "organisations/"
SERVICE_HEADERS = {name: str(label) for name, label in spreadsheet.SERVICE_HEADERS.items()}
ORG_HEADERS = {name: str(label) for name, label in spreadsheet.ORGANISATION_HEADERS.items()}


def org_template(client, file_format="csv"):
    return template_rows(client, file_format, ORG_URL)


def org_row(headers, **values) -> list[str]:
    row = [""] * len(headers)
    for name, value in values.items():
        row[headers.index(ORG_HEADERS[name])] = value
    return row


def service_row(headers, **values) -> list[str]:
    row = [""] * len(headers)
    for name, value in values.items():
        row[headers.index(SERVICE_HEADERS[name])] = value
    return row


def upload_orgs(client, content, name="organisations.csv"):
    return upload(client, content, name, ORG_URL)


def confirm(client, response):
    assert response.context["key"], response.context["outcome"].rows
    return client.post(URL + "confirm/", {"key": response.context["key"]})


def row_messages(response) -> str:
    return " | ".join(message for row in response.context["outcome"].rows for message in row.errors)


@pytest.fixture
def nord_member(directory_data, django_user_model):
    ensure_team_groups()
    user = django_user_model.objects.create_user("nord-sheets", password="x")
    user.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    return user


@pytest.fixture
def brap_place(directory_data):
    organisation = Organisation.objects.get(slug="brap")
    return Location.objects.create(
        organisation=organisation,
        address="Rue de l'Escaut 122",
        postal_code="1080",
        latitude="50.859000",
        longitude="4.330000",
        accessibility_fr="Rez-de-chaussée",
    )


# --- Organisations ---------------------------------------------------------------------


def test_the_organisations_template_has_french_or_dutch_headers_and_every_organisation(
    admin_client, admin_user, directory_data
):
    headers, rows = org_template(admin_client)
    assert headers[:2] == [ORG_HEADERS["slug"], "Nom (FR)"]
    assert len(rows) == Organisation.objects.count()
    dutch = spreadsheet.template_file(admin_user, "csv", "nl", sheet="organisations")
    assert "Postcode" in dutch.decode("utf-8-sig").splitlines()[0]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_unchanged_organisations_template_previews_as_unchanged(
    admin_client, brap_place, file_format
):
    headers, rows = org_template(admin_client, file_format)
    brap = next(r for r in rows if r[0] == "brap")
    assert brap[headers.index(ORG_HEADERS["address"])] == "Rue de l'Escaut 122"
    assert brap[headers.index(ORG_HEADERS["commune"])] == "molenbeek-saint-jean"
    if file_format == "csv":
        content, name = as_csv(headers, rows), "organisations.csv"
    else:
        content = tablib.Dataset(*[tuple(r) for r in rows], headers=headers).export("xlsx")
        name = "organisations.xlsx"
    response = upload_orgs(admin_client, content, name)
    assert response.status_code == 200, row_messages(response)
    assert totals(response) == {"skip": len(rows)}


def test_a_new_organisation_with_its_place_commune_from_the_postal_code_and_maintainers(
    admin_client, directory_data
):
    headers = list(ORG_HEADERS.values())
    row = org_row(
        headers,
        name_fr="Maison Tableur",
        name_nl="Huis Spreadsheet",
        website="https://tableur.example.be",
        maintainers="Une@Tableur.be; deux@tableur.be",
        address="Rue de la Station 12",
        postal_code="1090",
        latitude="50,8777",
        longitude="4.3300",
        accessibility_fr="Plain-pied",
    )
    preview = upload_orgs(admin_client, as_csv(headers, [row]))
    assert preview.status_code == 200, row_messages(preview)
    assert totals(preview) == {"new": 1}
    notes = preview.context["outcome"].rows[0].notes
    assert any("Jette" in note for note in notes)
    assert not Organisation.objects.filter(name_fr="Maison Tableur").exists()
    assert confirm(admin_client, preview).status_code == 302
    organisation = Organisation.objects.get(name_fr="Maison Tableur")
    assert organisation.slug == "maison-tableur"
    assert [m.email for m in organisation.maintainers.all()] == [
        "une@tableur.be",
        "deux@tableur.be",
    ]
    place = organisation.locations.get()
    assert place.commune.slug == "jette" and place.bassin.slug == "nord"
    assert (float(place.latitude), float(place.longitude)) == (50.8777, 4.33)
    assert not place.map_approximate
    # Its services then name it by that identifier, and take its place.
    service_headers = list(SERVICE_HEADERS.values())
    service = service_row(
        service_headers, organisation="maison-tableur", name_fr="Permanence", area_bassins="nord"
    )
    done = confirm(admin_client, upload(admin_client, as_csv(service_headers, [service])))
    assert done.status_code == 302
    assert Service.objects.get(name_fr="Permanence", organisation=organisation).location == place


def test_a_changed_postal_code_moves_the_place_and_its_suggested_commune_and_bassin(
    admin_client, brap_place
):
    headers, rows = org_template(admin_client)
    index = next(i for i, r in enumerate(rows) if r[0] == "brap")
    slug = "brap"
    rows[index][headers.index(ORG_HEADERS["postal_code"])] = "1030"
    rows[index][headers.index(ORG_HEADERS["commune"])] = ""
    rows[index][headers.index(ORG_HEADERS["latitude"])] = ""
    rows[index][headers.index(ORG_HEADERS["longitude"])] = ""
    response = upload_orgs(admin_client, as_csv(headers, [rows[index]]))
    assert totals(response) == {"update": 1}
    confirm(admin_client, response)
    place = Organisation.objects.get(slug=slug).locations.order_by("pk").first()
    assert (place.postal_code, place.commune.slug, place.bassin.slug) == (
        "1030",
        "schaerbeek",
        "nord-est",
    )


@pytest.mark.parametrize(
    ("values", "column_name", "message"),
    [
        ({"latitude": "50.85"}, "latitude", "aucune des deux"),
        ({"latitude": "4.35", "longitude": "50.85"}, "latitude", "hors de Belgique"),
        ({"latitude": "1e400", "longitude": "4.35"}, "latitude", "degrés décimaux"),
        ({"postal_code": "99999999999"}, "postal_code", "4 chiffres"),
        ({"commune": "schaerbeek"}, "commune", "n'est pas une commune du code postal"),
        ({"commune": "atlantide"}, "commune", "Inconnu"),
        ({"address": ""}, "address", "adresse"),
        ({"maintainers": "qui@; ok@x.be"}, "maintainers", "pas une adresse"),
        ({"name_fr": "Nom\x07caché"}, "name_fr", "caractère de contrôle"),
        ({"address": "Rue\x1b 1"}, "address", "caractère de contrôle"),
        ({"website": "javascript:alert(1)"}, "website", ""),
        ({"slug": "pas un slug !"}, "slug", ""),
    ],
)
def test_an_invalid_organisation_row_is_refused_naming_its_column_and_nothing_is_saved(
    admin_client, directory_data, values, column_name, message
):
    headers = list(ORG_HEADERS.values())
    good = org_row(headers, name_fr="Bonne ligne", address="Rue A 1", postal_code="1090")
    fields = {"name_fr": "Mauvaise", "address": "Rue B 2", "postal_code": "1090"} | values
    bad = org_row(headers, **fields)
    response = upload_orgs(admin_client, as_csv(headers, [good, bad]))
    assert response.status_code == 400
    assert totals(response) == {"new": 1, "invalid": 1}
    problems = response.context["outcome"].rows[1].errors
    assert any(p.startswith(ORG_HEADERS[column_name] + " :") and message in p for p in problems)
    assert not response.context["key"]
    assert not Organisation.objects.filter(name_fr="Bonne ligne").exists()


def test_a_bassin_team_creates_and_updates_only_organisations_of_its_bassins(client, nord_member):
    client.force_login(nord_member)
    headers, rows = org_template(client)
    ours = {row[0] for row in rows}
    theirs = Organisation.objects.exclude(slug__in=ours).filter(services__isnull=False).first()
    headers = list(ORG_HEADERS.values())
    foreign = org_row(headers, slug=theirs.slug, name_fr="Pris")
    elsewhere = org_row(headers, name_fr="Ailleurs", address="Rue 1", postal_code="1030")
    no_place = org_row(headers, name_fr="Sans lieu")
    response = upload_orgs(client, as_csv(headers, [foreign, elsewhere, no_place]))
    assert response.status_code == 400
    assert totals(response) == {"invalid": 3}
    assert "pas de vos bassins" in row_messages(response)
    mine = org_row(headers, name_fr="Chez nous", address="Rue 1", postal_code="1090")
    assert confirm(client, upload_orgs(client, as_csv(headers, [mine]))).status_code == 302
    # No service yet: still its team's, by its place.
    again = org_row(headers, slug="chez-nous", name_fr="Chez nous", name_nl="Bij ons")
    response = upload_orgs(client, as_csv(headers, [again]))
    assert totals(response) == {"update": 1}
    assert "chez-nous" in {row[0] for row in org_template(client)[1]}


def test_both_import_pages_show_their_templates_and_the_other_sheet(admin_client, db):
    page = admin_client.get(ORG_URL).content.decode()
    assert "/admin/directory/import/organisations/template.xlsx" in page
    assert 'href="/admin/directory/import/services/"' in page
    page = admin_client.get(URL).content.decode()
    assert "/admin/directory/import/services/template.csv" in page


def test_the_regional_team_imports_any_organisation(admin_client, directory_data):
    headers = list(ORG_HEADERS.values())
    row = org_row(headers, slug="sans-lieu", name_fr="Sans lieu")
    assert (
        confirm(admin_client, upload_orgs(admin_client, as_csv(headers, [row]))).status_code == 302
    )
    assert not Organisation.objects.get(slug="sans-lieu").locations.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Nom (FR)\nx\n", "Il manque"),
        (b"Adresse,Nom (FR),Identifiant (vide pour un nouveau service)\n", "Colonne inconnue"),
    ],
)
def test_a_wrong_organisations_file_gets_a_clear_400(
    admin_client, directory_data, content, message
):
    response = upload_orgs(admin_client, content)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_oversized_organisations_file_is_a_413_and_an_unknown_sheet_a_404(
    admin_client, directory_data, settings
):
    settings.DIRECTORY_SPREADSHEET_MAX_BYTES = 100
    assert upload_orgs(admin_client, b"x" * 200).status_code == 413
    assert admin_client.get(URL + "pigeons/").status_code == 404
    assert admin_client.get(URL + "pigeons/template.csv").status_code == 404


# --- Services: phones, hours, availability ------------------------------------------------


def test_phones_hours_and_availability_come_in_with_a_service(admin_client, directory_data):
    headers = list(SERVICE_HEADERS.values())
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    row = service_row(
        headers,
        organisation="brap",
        name_fr="Ligne tableur",
        area_bassins="nord",
        phones="02 274 14 33; 0800 12 345 (gratuit)",
        hours="lun 9:00-12:00; di 13:30-17:00",
        availability="liste d'attente",
        availability_wait_weeks="6",
        availability_date=yesterday.isoformat(),
    )
    assert confirm(admin_client, upload(admin_client, as_csv(headers, [row]))).status_code == 302
    service = Service.objects.get(name_fr="Ligne tableur")
    assert [(p.number, p.kind) for p in service.phones.all()] == [
        ("02 274 14 33", "voice"),
        ("0800 12 345", "freephone"),
    ]
    assert [str(slot) for slot in service.schedule.all()] == [
        "lundi 09:00-12:00",
        "mardi 13:30-17:00",
    ]
    assert (service.availability, service.availability_wait_weeks) == ("waiting_list", 6)
    assert service.availability_date == yesterday


def test_changing_only_the_hours_is_an_update_that_keeps_the_phones_details(
    admin_client, directory_data
):
    service = Service.objects.filter(phones__description_fr__gt="").first()
    described = {p.number: p.description_fr for p in service.phones.all()}
    headers, rows = template_rows(admin_client)
    row = next(r for r in rows if r[0] == str(service.public_id))
    row[column(headers, SERVICE_HEADERS["hours"])] = "sam 10:00-12:00"
    response = upload(admin_client, as_csv(headers, [row]))
    assert totals(response) == {"update": 1}
    confirm(admin_client, response)
    assert [str(s) for s in ScheduleSlot.objects.filter(service=service)] == ["samedi 10:00-12:00"]
    assert {p.number: p.description_fr for p in service.phones.all()} == described


@pytest.mark.parametrize(
    ("values", "column_name", "message"),
    [
        ({"hours": "lun 9:00-12:00; lux 9:00-10:00"}, "hours", "jour inconnu"),
        ({"hours": "lun 14:00-9:00"}, "hours", "fermeture"),
        ({"phones": "02 274 14 33, 0800"}, "phones", "n'est pas un numéro"),
        ({"availability": "peut-être"}, "availability", "inconnu"),
        ({"availability": "waiting_list"}, "availability_wait_weeks", "semaines"),
        (
            {"availability": "waiting_list", "availability_wait_weeks": "1e999999999"},
            "availability_wait_weeks",
            "nombre entier",
        ),
        (
            {"availability": "waiting_list", "availability_wait_weeks": "500"},
            "availability_wait_weeks",
            "104",
        ),
        ({"availability_date": "2999-01-01"}, "availability_date", "futur"),
        ({"availability_date": "99999999999999"}, "availability_date", ""),
    ],
)
def test_a_bad_phone_hours_or_availability_cell_refuses_the_row_and_nothing_is_saved(
    admin_client, directory_data, values, column_name, message
):
    headers = list(SERVICE_HEADERS.values())
    good = service_row(
        headers, organisation="brap", name_fr="Bonne", area_bassins="nord", phones="02 111 11 11"
    )
    bad = service_row(
        headers, organisation="brap", name_fr="Mauvaise", area_bassins="nord", **values
    )
    response = upload(admin_client, as_csv(headers, [good, bad]))
    assert response.status_code == 400
    assert totals(response) == {"new": 1, "invalid": 1}
    problems = response.context["outcome"].rows[1].errors
    assert any(p.startswith(SERVICE_HEADERS[column_name] + " :") and message in p for p in problems)
    assert not Service.objects.filter(name_fr="Bonne").exists()
    assert not Phone.objects.filter(number="02 111 11 11").exists()


def test_the_dutch_template_writes_dutch_days_that_read_back_unchanged(
    admin_user, admin_client, directory_data
):
    content = spreadsheet.template_file(admin_user, "csv", "nl")
    text = content.decode("utf-8-sig")
    body = text.split("\n", 1)[1]
    assert "ma 9:00-12:00" in body and "lun 9:00" not in body
    response = upload(admin_client, content)
    assert response.status_code == 200 and set(totals(response)) == {"skip"}


def test_a_huge_many_to_many_cell_is_a_row_error_not_a_crash(admin_client, directory_data):
    headers = list(SERVICE_HEADERS.values())
    row = service_row(headers, organisation="brap", name_fr="X", themes=",".join(["x"] * 50_000))
    response = upload(admin_client, as_csv(headers, [row]))
    assert response.status_code == 400
    assert "Plus de 100 valeurs" in row_messages(response)


def _workbook(rows: int) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Nom", "Organisation"])
    for n in range(rows):
        sheet.append([f"Service {n}", "ASBL"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_over_the_row_limit_is_refused_before_it_is_read():
    from directory import spreadsheet

    assert not spreadsheet._xlsx_rows_over(
        _workbook(spreadsheet.MAX_ROWS), spreadsheet.MAX_ROWS + 1
    )
    too_many = _workbook(spreadsheet.MAX_ROWS + 1)
    assert spreadsheet._xlsx_rows_over(too_many, spreadsheet.MAX_ROWS + 1)
    with pytest.raises(spreadsheet.SpreadsheetError, match="Plus de 2000 lignes"):
        spreadsheet.read_dataset(too_many, "xlsx")
