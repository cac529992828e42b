"""The bassin team's to-do list: entries without maintainer or overdue for verification."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction

from bassins.permissions import ensure_team_groups
from directory.admin_views import TODO_PER_PAGE
from directory.models import Maintainer, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def nord_member(directory_data, django_user_model):
    ensure_team_groups()
    user = django_user_model.objects.create_user("nord-suivi", password="x")
    user.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    return user


def rows(client, query="") -> str:
    response = client.get("/admin/directory/follow-up/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_bassin_team_sees_only_its_entries_without_maintainer_or_overdue(client, nord_member):
    nord = Organisation.objects.get(slug="amis-d-accompagner")  # RAQ Koekelberg (Nord)
    sud = Organisation.objects.get(slug="service-social-juif")  # RAQ Saint-Gilles
    Organisation.objects.filter(pk=nord.pk).update(last_verified=datetime.date.today())
    client.force_login(nord_member)
    page = rows(client)
    assert "Amis d" in page  # no maintainer yet
    assert "Service social juif" not in page  # another bassin's
    assert sud.name_fr not in page
    Maintainer.objects.create(organisation=nord, email="fiche@amis.example")
    assert "Amis d" not in rows(client)  # has a maintainer, verified recently
    Organisation.objects.filter(pk=nord.pk).update(last_verified=datetime.date(2000, 1, 1))
    page = rows(client)
    assert "Amis d" in page and "Vérification en retard" in page


def test_the_regional_team_sees_every_entry_to_follow_up(admin_client, directory_data):
    page = rows(admin_client)
    assert "Service social juif" in page and "Amis d" in page


def test_the_list_is_paginated_and_a_bad_page_is_a_400(admin_client, directory_data):
    first = rows(admin_client)
    assert first.count('data-testid="follow-up-row"') == min(
        TODO_PER_PAGE, Organisation.objects.filter(maintainers__isnull=True).count()
    )
    assert admin_client.get("/admin/directory/follow-up/?page=abc").status_code == 400
    assert admin_client.get("/admin/directory/follow-up/?page=999").status_code == 200


def test_narrowed_to_one_bassin_of_the_user(admin_client, directory_data):
    page = rows(admin_client, "?bassin=nord")
    assert "Amis d" in page and "Service social juif" not in page
    # A bassin the user cannot act on is ignored, not an error.
    assert "Amis d" in rows(admin_client, "?bassin=inconnu")


def test_people_without_directory_rights_are_refused(client, django_user_model, directory_data):
    user = django_user_model.objects.create_user("sans-droits", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/directory/follow-up/").status_code in (302, 403)


def test_maintainers_are_edited_inline_on_the_organisation(admin_client, directory_data):
    organisation = Organisation.objects.get(slug="brap")
    Maintainer.objects.create(organisation=organisation, email="fiche@brap.example")
    page = admin_client.get(f"/admin/snippets/directory/organisation/edit/{organisation.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "maintainers-TOTAL_FORMS" in content and "fiche@brap.example" in content


def test_a_maintainer_address_is_stored_in_lower_case_once_per_organisation(directory_data):
    organisation = Organisation.objects.get(slug="brap")
    Maintainer.objects.create(organisation=organisation, email=" Fiche@BRAP.example ")
    assert organisation.maintainers.get().email == "fiche@brap.example"
    with pytest.raises(IntegrityError), transaction.atomic():
        Maintainer.objects.create(organisation=organisation, email="fiche@brap.example")


def test_a_maintainer_address_is_found_and_erased_on_request(directory_data):
    from directory.privacy import erase_directory_data, find_directory_data

    organisation = Organisation.objects.get(slug="brap")
    Maintainer.objects.create(organisation=organisation, email="fiche@brap.example")
    assert any("maintainer" in line for line in find_directory_data("FICHE@brap.example"))
    assert erase_directory_data("fiche@brap.example") >= 1
    assert not Maintainer.objects.filter(email="fiche@brap.example").exists()
