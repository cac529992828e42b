"""Bassin teams edit only their own subtree; the public never sees drafts."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from bassins.models import Bassin, BassinPage, ContentPage, HomePage, TeamMember
from bassins.permissions import REGIONAL_GROUP, bassin_group_name


def make_user(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw-12345")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def bassin_page(slug, language="fr"):
    return BassinPage.objects.get(bassin__slug=slug, locale__language_code=language)


@pytest.fixture
def nord_editor(reference_data, django_user_model):
    return make_user(django_user_model, "nord", bassin_group_name(Bassin.objects.get(slug="nord")))


@pytest.fixture
def regional_editor(reference_data, django_user_model):
    return make_user(django_user_model, "region", REGIONAL_GROUP)


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
    names = set(Group.objects.values_list("name", flat=True))
    for bassin in Bassin.objects.all():
        assert bassin_group_name(bassin) in names
    assert REGIONAL_GROUP in names


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
    assert "BROUILLON-SECRET" not in client.get("/nl/nord/").content.decode()


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
