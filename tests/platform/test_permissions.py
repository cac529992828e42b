"""Bassin teams edit only their own subtree; the public never sees drafts."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from bassins.models import Bassin, BassinPage, BassinTeam, ContentPage, HomePage, TeamMember
from bassins.rights import bassin_rights, regional_groups, team_groups


def make_user(django_user_model, username, group):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw-12345")
    user.groups.add(group)
    return user


def bassin_page(slug, language="fr"):
    return BassinPage.objects.get(bassin__slug=slug, locale__language_code=language)


@pytest.fixture
def nord_editor(reference_data, django_user_model):
    return make_user(django_user_model, "nord", team_groups(Bassin.objects.get(slug="nord")).get())


@pytest.fixture
def regional_editor(reference_data, django_user_model):
    return make_user(django_user_model, "region", regional_groups().get())


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def assert_denied(client, url, data=None):
    """Wagtail answers a refused admin request with 403 to scripts and, to a browser,
    with a redirect to the dashboard carrying "you do not have permission"."""
    send = client.post if data is not None else client.get
    assert send(url, data, **XHR).status_code == 403
    response = send(url, data)
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    refusal = [str(m) for m in get_messages(response.wsgi_request)]
    assert refusal and "autorisations" in refusal[0]  # the admin speaks French here


@pytest.mark.django_db
def test_every_bassin_has_a_team_group_and_there_is_a_regional_group(reference_data):
    for bassin in Bassin.objects.all():
        assert team_groups(bassin).count() == 1
    assert regional_groups().count() == 1


@pytest.mark.django_db
def test_renaming_a_bassin_or_its_group_keeps_the_teams_rights(nord_editor):
    nord = Bassin.objects.get(slug="nord")
    nord.name_fr = "Nord (nouveau nom)"
    nord.save()
    group = team_groups(nord).get()
    group.name = "Team Noord 2027"
    group.save()
    rights = bassin_rights(nord_editor)
    assert rights.bassin_ids == {nord.pk} and not rights.regional
    assert rights.allows(nord) and not rights.allows(Bassin.objects.get(slug="sud"))
    # Reloading reference data neither creates a second group nor drops the renamed one.
    from bassins.reference import load

    load(log=lambda message: None)
    assert list(team_groups(nord)) == [group]
    assert bassin_page("nord").permissions_for_user(nord_editor).can_edit()


@pytest.mark.django_db
def test_bassin_rights_of_anonymous_regional_and_superuser(
    reference_data, regional_editor, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    assert bassin_rights(AnonymousUser()).bassins().count() == 0
    assert not bassin_rights(AnonymousUser()).allows(None)
    assert bassin_rights(regional_editor).regional
    assert bassin_rights(regional_editor).allows(None)  # region-wide objects
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345")
    assert bassin_rights(root).bassins().count() == Bassin.objects.count()
    plain = django_user_model.objects.create_user("plain", "plain@example.org", "pw-12345")
    plain.groups.add(Group.objects.create(name="Équipe bassin Sud (copie)"))
    assert bassin_rights(plain).bassins().count() == 0  # a name confers nothing


@pytest.mark.django_db
def test_migration_links_the_groups_named_after_bassins_to_their_bassin(reference_data):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("bassins.migrations.0003_bassinteam")
    BassinTeam.objects.all().delete()
    migration.link_existing_groups(apps, None)
    for bassin in Bassin.objects.all():
        assert team_groups(bassin).get().name == f"Équipe bassin {bassin.name_fr}"
    assert regional_groups().get().name == "Équipe régionale"


@pytest.mark.django_db
def test_nord_editor_gets_403_editing_a_sud_page(client, nord_editor):
    client.force_login(nord_editor)
    for language in ("fr", "nl"):
        page = bassin_page("sud", language)
        assert_denied(client, edit_url(page))
        assert_denied(client, edit_url(page), {"title": "Piraté", "slug": "sud"})
    assert bassin_page("sud").title == "Bassin Sud"


@pytest.mark.django_db
def test_nord_editor_can_edit_and_publish_the_nord_page(client, nord_editor):
    client.force_login(nord_editor)
    page = bassin_page("nord")
    assert client.get(edit_url(page)).status_code == 200
    perms = page.permissions_for_user(nord_editor)
    assert perms.can_edit() and perms.can_publish()
    # ... and add content pages below it, but not below the home.
    assert perms.can_add_subpage()
    home = HomePage.objects.get(locale__language_code="fr")
    assert not home.permissions_for_user(nord_editor).can_edit()
    assert not home.permissions_for_user(nord_editor).can_add_subpage()


@pytest.mark.django_db
def test_nord_editor_cannot_edit_the_home_or_the_legal_pages(client, nord_editor):
    client.force_login(nord_editor)
    home = HomePage.objects.get(locale__language_code="fr")
    legal = ContentPage.objects.get(slug="mentions-legales", locale__language_code="fr")
    assert_denied(client, edit_url(home))
    assert_denied(client, edit_url(legal))


@pytest.mark.django_db
def test_regional_team_edits_every_page(client, regional_editor):
    client.force_login(regional_editor)
    for page in [*BassinPage.objects.all(), *HomePage.objects.all()]:
        assert page.permissions_for_user(regional_editor).can_publish(), page
    assert client.get(edit_url(bassin_page("sud"))).status_code == 200


@pytest.mark.django_db
def test_regional_team_manages_reference_data(client, regional_editor, nord_editor):
    for codename in ("change_bassin", "change_commune", "change_postalcode"):
        assert regional_editor.has_perm(f"bassins.{codename}")
        assert not nord_editor.has_perm(f"bassins.{codename}")


@pytest.mark.django_db
def test_team_member_snippet_is_limited_to_the_own_bassin(client, nord_editor):
    from bassins.viewsets import team_member_permission_policy as policy

    sud = Bassin.objects.get(slug="sud")
    nord = Bassin.objects.get(slug="nord")
    sud_member = TeamMember.objects.create(bassin=sud, name="Sud person", role="cpps")
    nord_member = TeamMember.objects.create(bassin=nord, name="Nord person", role="cpps")
    assert policy.user_has_permission_for_instance(nord_editor, "change", nord_member)
    assert not policy.user_has_permission_for_instance(nord_editor, "change", sud_member)
    client.force_login(nord_editor)
    sud_edit = reverse("wagtailsnippets_bassins_teammember:edit", args=[sud_member.pk])
    nord_edit = reverse("wagtailsnippets_bassins_teammember:edit", args=[nord_member.pk])
    assert_denied(client, sud_edit)
    assert client.get(nord_edit).status_code == 200
    listing = client.get(reverse("wagtailsnippets_bassins_teammember:list"))
    assert b"Nord person" in listing.content
    assert b"Sud person" not in listing.content


@pytest.mark.django_db
def test_anonymous_sees_the_published_version_never_the_draft(client, reference_data):
    page = bassin_page("nord")
    page.intro = "<p>BROUILLON-SECRET</p>"
    page.save_revision()  # a draft, not published
    response = client.get("/fr/nord/")
    assert response.status_code == 200
    assert b"BROUILLON-SECRET" not in response.content
    assert "BROUILLON-SECRET" not in client.get("/nl/noord/").content.decode()


@pytest.mark.django_db
def test_anonymous_gets_404_for_an_unpublished_page(client, reference_data):
    home = HomePage.objects.get(locale__language_code="fr")
    draft = ContentPage(title="Projet confidentiel", slug="projet", live=False)
    home.add_child(instance=draft)
    draft.save_revision()
    response = client.get("/fr/projet/")
    assert response.status_code == 404
    assert b"Projet confidentiel" not in response.content
    bassin_page("sud").unpublish()
    assert client.get("/fr/sud/").status_code == 404


@pytest.mark.django_db
def test_anonymous_cannot_preview_a_draft(client, reference_data):
    page = bassin_page("nord")
    page.intro = "<p>BROUILLON-SECRET</p>"
    page.save_revision()
    for url in (
        reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"BROUILLON-SECRET" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "namespace", ["reference_bassins", "reference_communes", "reference_postal_codes"]
)
def test_reference_data_admin_is_the_regional_teams(
    client, regional_editor, nord_editor, namespace
):
    client.force_login(regional_editor)
    listing = client.get(reverse(f"{namespace}:index"))
    assert listing.status_code == 200
    client.force_login(nord_editor)
    assert_denied(client, reverse(f"{namespace}:index"))


@pytest.mark.django_db
def test_regional_team_edits_a_bassins_helpdesk_in_the_admin(client, regional_editor):
    client.force_login(regional_editor)
    nord = Bassin.objects.get(slug="nord")
    url = reverse("reference_bassins:edit", args=[nord.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {
        field: getattr(nord, field)
        for field in (
            "name_fr",
            "name_nl",
            "population",
            "cpps_target",
            "helpdesk_phone",
            "helpdesk_email",
            "helpdesk_hours_fr",
            "helpdesk_hours_nl",
            "priority_themes_fr",
            "priority_themes_nl",
        )
    }
    data["population_date"] = "2024-01-01"
    data["helpdesk_phone"] = "02 318 60 99"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    nord.refresh_from_db()
    assert nord.helpdesk_phone == "02 318 60 99"
    assert "02 318 60 99" in client.get("/fr/nord/").content.decode()  # nav cache forgotten


@pytest.mark.django_db
def test_a_bassin_team_cannot_file_a_person_under_another_bassin(client, nord_editor):
    client.force_login(nord_editor)
    add_url = reverse("wagtailsnippets_bassins_teammember:add")
    sud = Bassin.objects.get(slug="sud")
    nord = Bassin.objects.get(slug="nord")
    person = {"name": "Intrus", "role": "cpps", "email": "", "phone": "", "sort_order": 0}
    response = client.post(add_url, person | {"bassin": sud.pk})
    assert response.status_code == 200  # the form again, with an error
    assert not TeamMember.objects.filter(name="Intrus").exists()
    response = client.post(add_url, person | {"bassin": nord.pk})
    assert response.status_code == 302
    assert TeamMember.objects.get(name="Intrus").bassin == nord
