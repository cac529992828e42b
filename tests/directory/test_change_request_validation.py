"""Change requests (signed edit link) pass the admin form's validation; stored URLs are
rendered as links only with http, https, mailto or tel."""

import pytest

from directory import services
from directory.models import ChangeRequest, Location, Organisation, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(directory_data):
    return Organisation.objects.get(slug="medimmigrant")


def edit_form_data(client, org):
    path = "/" + services.edit_url(org, "fr").split("://", 1)[1].split("/", 1)[1]
    form = client.get(path).context["form"]
    return path, {name: field.initial or "" for name, field in form.fields.items()}


@pytest.mark.parametrize(
    "field, value",
    [
        ("organisation__website", "javascript:alert(1)"),
        ("organisation__website", "data:text/html,<script>alert(1)</script>"),
        ("organisation__email", "pas une adresse"),
        ("organisation__name_fr", ""),
        ("organisation__name_fr", "x" * 201),
    ],
)
def test_the_edit_link_refuses_what_the_admin_form_refuses(client, org, field, value):
    path, data = edit_form_data(client, org)
    data[field] = value
    response = client.post(path, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not ChangeRequest.objects.filter(organisation=org).exists()


def test_a_phone_number_longer_than_the_column_is_refused(client, org):
    service = Service.objects.get(slug="medimmigrant-permanence")
    path, data = edit_form_data(client, org)
    field = f"service__{service.public_id}__phones".replace("-", "_")
    data[field] = "02 274 14 33\n" + "0" * 31
    response = client.post(path, data)
    assert response.status_code == 400 and response.context["form"].errors[field]


def test_valid_changes_still_go_to_the_queue(client, org):
    path, data = edit_form_data(client, org)
    data["organisation__website"] = "https://www.medimmigrant.example/"
    assert client.post(path, data).status_code == 200
    change = ChangeRequest.objects.get(organisation=org)
    assert change.proposed == {"organisation.website": "https://www.medimmigrant.example/"}


def test_a_stored_invalid_change_set_is_not_applied_on_approval(admin_client, org):
    website = org.website
    change = ChangeRequest.objects.create(
        organisation=org,
        kind=ChangeRequest.Kind.PROPOSAL,
        proposed={"organisation.website": "javascript:alert(1)", "organisation.email": "x"},
    )
    with pytest.raises(services.InvalidChange) as refused:
        services.approve_change_request(change, None)
    assert set(refused.value.errors) == {"organisation.website", "organisation.email"}
    response = admin_client.post(f"/admin/directory/changes/{change.pk}/", {"action": "approve"})
    assert response.status_code == 302
    change.refresh_from_db()
    org.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING and org.website == website


def test_a_stored_javascript_website_is_never_a_link(client, org):
    Organisation.objects.filter(pk=org.pk).update(website="javascript:alert(1)")
    page = client.get("/fr/repertoire/organisation/medimmigrant/").content.decode()
    assert "javascript:alert(1)" not in page
    Organisation.objects.filter(pk=org.pk).update(website="https://medimmigrant.example/")
    page = client.get("/fr/repertoire/organisation/medimmigrant/").content.decode()
    assert 'href="https://medimmigrant.example/"' in page


@pytest.fixture
def located_org(org):
    location = Location.objects.create(organisation=org, address="Rue X 1", postal_code="1030")
    return org, location


def test_the_edit_link_places_a_location_and_approval_puts_it_on_the_map(
    client, admin_user, located_org
):
    org, location = located_org
    path, data = edit_form_data(client, org)
    assert "map-picker-settings" in client.get(path).content.decode()
    prefix = f"location__{location.public_id}__".replace("-", "_")
    data[prefix + "latitude"] = "50,8671"
    data[prefix + "longitude"] = "4.3773"
    data[prefix + "accessibility_fr"] = "Entrée de plain-pied."
    assert client.post(path, data).status_code == 200
    change = ChangeRequest.objects.get(organisation=org)
    assert change.proposed[f"location.{location.public_id}.latitude"] == "50,8671"
    services.approve_change_request(change, admin_user)
    location.refresh_from_db()
    assert (str(location.latitude), str(location.longitude)) == ("50.867100", "4.377300")
    assert location.map_approximate is False and location.map_latitude == 50.8671
    assert location.accessibility_fr == "Entrée de plain-pied."


@pytest.mark.parametrize(
    "latitude, longitude",
    [("4.3773", "50.8671"), ("abc", "4.3"), ("50.8", ""), ("1e309", "4.3"), ("9" * 40, "4")],
)
def test_the_edit_link_refuses_bad_coordinates(client, located_org, latitude, longitude):
    org, location = located_org
    path, data = edit_form_data(client, org)
    prefix = f"location__{location.public_id}__".replace("-", "_")
    data[prefix + "latitude"], data[prefix + "longitude"] = latitude, longitude
    response = client.post(path, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not ChangeRequest.objects.filter(organisation=org).exists()
