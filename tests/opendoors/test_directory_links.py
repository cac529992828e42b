"""Open-door registrations linked to the directory: search, pick, prefill, typed names,
bad ids, the programme's directory link and the directory page's open-door slots."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bassins.models import Commune
from directory.models import Location, Organisation, Service
from directory.search import synonym_groups
from events.opendoors import queries, services
from events.opendoors.models import Registration, RegistrationStatus

from . import factories
from .test_views import registration_post, registration_week, url

pytestmark = pytest.mark.django_db


def directory_org(n: int = 0, **values) -> Organisation:
    """A directory organisation with one address and one service (searchable)."""
    commune, _ = Commune.objects.get_or_create(
        slug="molenbeek-saint-jean",
        defaults={"name_fr": "Molenbeek-Saint-Jean", "name_nl": "Sint-Jans-Molenbeek"},
    )
    defaults = {
        "slug": f"maison-canal-{n}",
        "name_fr": f"Maison médicale du Canal {n}".strip(),
        "name_nl": f"Wijkgezondheidscentrum Kanaal {n}".strip(),
        "alternate_name": f"MMC{n}",
    }
    defaults.update(values)
    org = Organisation.objects.create(**defaults)
    location = Location.objects.create(
        organisation=org,
        address=f"Quai des Charbonnages {n + 1}",
        postal_code="1080",
        commune=commune,
    )
    Service.objects.create(
        organisation=org,
        slug=f"{org.slug}-service",
        name_fr="Consultations de médecine générale",
        name_nl="Huisartsconsultaties",
        description_fr="Aide pour les dettes de soins et l'accès aux droits.",
        description_nl="Hulp bij schulden voor zorg.",
        location=location,
        area_whole_region=True,
    )
    return org


def directory_url(org, language="fr"):
    with translation.override(language):
        return reverse("directory:organisation", args=[org.slug])


# --- searching and picking ----------------------------------------------------------


def test_search_finds_entries_by_name_acronym_and_service_text(client):
    org = directory_org()
    other = directory_org(
        1, name_fr="Antenne sociale", name_nl="Sociaal antenne", alternate_name=""
    )
    week = registration_week()
    register = url("register", slug=week.slug)

    def picked(q):
        body = client.get(register, {"q": q}).content.decode()
        return {slug for slug in (org.slug, other.slug) if f'data-testid="pick-{slug}"' in body}

    assert picked("canal") == {org.slug}
    assert picked("MMC") == {org.slug}
    assert picked("Kanaal") == {org.slug}  # Dutch name
    # Found through the directory's own search (service text, stemmed: dettes -> dette).
    assert picked("dette") == {org.slug, other.slug}
    assert picked("x") == set()  # too short: no query sent


def test_picking_an_entry_prefills_name_and_address_and_links_it(client):
    org = directory_org()
    week = registration_week()
    response = client.get(url("register", slug=week.slug), {"organisation": str(org.public_id)})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="directory-linked"' in body
    assert 'value="Maison médicale du Canal 0"' in body
    assert 'value="Quai des Charbonnages 1"' in body
    assert 'value="1080"' in body
    assert 'value="Molenbeek-Saint-Jean"' in body
    assert f'value="{org.public_id}"' in body
    assert directory_url(org) in body

    data = registration_post(week, directory_organisation=str(org.public_id))
    assert client.post(url("register", slug=week.slug), data).status_code == 200
    registration = Registration.objects.get()
    assert registration.directory_organisation == org
    # What the organisation submitted stays its own (a department may register alone).
    assert registration.organisation_name == "Antenne sociale du Canal"


def test_an_organisation_not_in_the_directory_types_its_name(client):
    directory_org()
    week = registration_week()
    body = client.get(url("register", slug=week.slug), {"q": "Zorgnetwerk"}).content.decode()
    assert 'data-testid="directory-no-match"' in body
    assert 'name="organisation_name"' in body  # the form is still there to type into
    data = registration_post(week, organisation_name="Zorgnetwerk Noord")
    assert client.post(url("register", slug=week.slug), data).status_code == 200
    registration = Registration.objects.get()
    assert registration.organisation_name == "Zorgnetwerk Noord"
    assert registration.directory_organisation is None


def test_unlinking_keeps_the_typed_values_without_the_link(client):
    org = directory_org()
    week = registration_week()
    register = url("register", slug=week.slug)
    data = registration_post(week, directory_organisation=str(org.public_id), directory_unlink="on")
    # A form sent back for another error keeps the box ticked, so the link does not return.
    body = client.post(register, {**data, "contact_email": "nope"}).content.decode()
    assert (
        'name="directory_unlink"' in body
        and "checked" in body.split('name="directory_unlink"')[1][:80]
    )
    assert client.post(register, data).status_code == 200
    assert Registration.objects.get().directory_organisation is None


@pytest.mark.parametrize(
    "bad_id",
    # an unknown UUID: fixed, so that every xdist process collects the same test ids
    ["not-a-uuid", "5f0c6a4e-0000-4000-8000-000000000000", "1" * 500, "' OR 1=1 --", "%00"],
)
def test_a_bad_directory_id_is_a_form_error_never_a_500(client, bad_id):
    directory_org()
    week = registration_week()
    register = url("register", slug=week.slug)
    response = client.get(register, {"organisation": bad_id})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="directory-pick-error"' in body
    assert 'name="organisation_name"' in body

    response = client.post(register, registration_post(week, directory_organisation=bad_id))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="directory-error"' in body
    assert not Registration.objects.exists()
    # The bad id is not sent again: the second submit registers the typed name.
    (hidden,) = re.findall(r'<input[^>]*name="directory_organisation"[^>]*>', body)
    assert "value" not in hidden
    again = client.post(register, registration_post(week, submission_token="tok-2"))
    assert again.status_code == 200
    assert Registration.objects.get().directory_organisation is None


@pytest.mark.parametrize(
    ("language", "heading", "error"),
    [
        ("fr", "Votre organisation est-elle dans le répertoire ?", "fiche du répertoire est"),
        ("nl", "Staat uw organisatie in de sociale kaart?", "steekkaart van de sociale kaart"),
    ],
)
def test_picker_speaks_the_page_language(client, language, heading, error):
    org = directory_org()
    week = registration_week()
    register = url("register", language, slug=week.slug)
    body = client.get(register, {"q": "canal"}).content.decode()
    assert heading in body.replace("&#x27;", "'")
    body = client.get(register, {"organisation": str(org.public_id)}).content.decode()
    expected_name = "Wijkgezondheidscentrum Kanaal 0" if language == "nl" else org.name_fr
    assert f'value="{expected_name}"' in body
    expected_city = "Sint-Jans-Molenbeek" if language == "nl" else "Molenbeek-Saint-Jean"
    assert f'value="{expected_city}"' in body
    response = client.post(register, registration_post(week, directory_organisation="nope"))
    assert error in response.content.decode()


def test_edit_link_keeps_changes_or_replaces_the_directory_link(client):
    org = directory_org()
    other = directory_org(1, name_fr="Antenne sociale", alternate_name="")
    week = registration_week()
    client.post(
        url("register", slug=week.slug),
        registration_post(week, directory_organisation=str(org.public_id)),
    )
    registration = Registration.objects.get()
    edit = url("edit", token=services.registration_token(registration, services.TOKEN_EDIT))
    body = client.get(edit).content.decode()
    assert 'data-testid="directory-linked"' in body and f'value="{org.public_id}"' in body
    body = client.get(edit, {"organisation": str(other.public_id)}).content.decode()
    assert 'value="Antenne sociale"' in body
    data = registration_post(
        week, directory_organisation=str(other.public_id), submission_token="t2"
    )
    assert client.post(edit, data).status_code == 200
    registration.refresh_from_db()
    assert registration.directory_organisation == other
    assert client.get(edit, {"organisation": "bad"}).status_code == 400


def test_candidates_query_count_does_not_grow_with_the_directory(django_assert_max_num_queries):
    for n in range(15):
        directory_org(n)
    synonym_groups()  # the directory's synonyms, read once then cached
    with django_assert_max_num_queries(2):
        found = queries.directory_candidates("canal", "fr")
        assert [o.locations.all()[0].postal_code for o in found] == ["1080"] * 10


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_registration_page_with_search_and_pick_has_bounded_queries(
    client, django_assert_max_num_queries, language
):
    orgs = [directory_org(n) for n in range(12)]
    week = registration_week()
    register = url("register", language, slug=week.slug)
    synonym_groups()  # the directory's synonyms, read once then cached
    # One more the first time: the spoken-language choices (then cached).
    with django_assert_max_num_queries(8):
        assert client.get(register, {"q": "canal"}).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(register, {"organisation": str(orgs[3].public_id)}).status_code == 200


# --- programme and directory page ---------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_programme_links_linked_organisations_to_their_directory_entry(
    client, django_assert_max_num_queries, language
):
    week = factories.week()
    linked = []
    for n in range(6):
        org = directory_org(n)
        linked.append(org)
        registration = factories.registration(
            week, organisation_name=f"Org {n}", directory_organisation=org
        )
        factories.slot(the_registration=registration)
    factories.slot(the_registration=factories.registration(week, organisation_name="Typed"))
    with django_assert_max_num_queries(10):
        response = client.get(url("programme", language, slug=week.slug))
    body = response.content.decode()
    assert body.count('data-testid="directory-link"') == 6
    for org in linked:
        assert directory_url(org, language) in body


@pytest.mark.parametrize(
    ("language", "title", "book"),
    [("fr", "Portes ouvertes", "Réserver"), ("nl", "Opendeurdagen", "Reserveren")],
)
def test_directory_page_lists_the_organisations_coming_open_door_slots(
    client, language, title, book
):
    org = directory_org()
    week = factories.week()
    approved = factories.slot(
        capacity=3,
        the_registration=factories.registration(week, directory_organisation=org),
    )
    # Not shown: a submitted registration, another organisation, a past week.
    hidden = [
        factories.slot(
            the_registration=factories.registration(
                week, status=RegistrationStatus.SUBMITTED, directory_organisation=org
            )
        ),
        factories.slot(the_registration=factories.registration(week)),
    ]
    past_week = factories.week(
        start_date=datetime.date.today() - datetime.timedelta(days=40),
        end_date=datetime.date.today() - datetime.timedelta(days=36),
    )
    hidden.append(
        factories.slot(
            the_registration=factories.registration(past_week, directory_organisation=org)
        )
    )
    response = client.get(directory_url(org, language))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="org-open-doors"' in body
    assert title in body
    assert f'data-testid="org-open-door-{approved.pk}"' in body
    for slot in hidden:
        assert f'data-testid="org-open-door-{slot.pk}"' not in body
    assert book in body
    assert url("book", language, slug=week.slug, slot_id=approved.pk) in body


def test_directory_page_open_door_slots_add_no_queries_per_slot(client):
    org = directory_org()
    week = factories.week()
    page = directory_url(org)
    client.get(page)  # warm-up: first-request caches (content types, locale...)
    with CaptureQueriesContext(connection) as without:
        body = client.get(page).content.decode()
    assert 'data-testid="org-open-doors"' not in body
    for n in range(5):
        registration = factories.registration(week, directory_organisation=org)
        factories.slot(the_registration=registration, day_offset=n % 4)
    with CaptureQueriesContext(connection) as with_slots:
        body = client.get(page).content.decode()
    assert body.count('data-testid="org-open-door-') == 5
    assert len(with_slots) == len(without)


def test_moderation_page_shows_the_directory_entry_to_the_team(client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from bassins.permissions import ensure_team_groups

    org = directory_org()
    week = factories.week(bassin=factories.bassin("nord"))
    linked = factories.registration(
        week, status=RegistrationStatus.SUBMITTED, directory_organisation=org
    )
    typed = factories.registration(week, status=RegistrationStatus.SUBMITTED)
    ensure_team_groups()
    user = get_user_model().objects.create_user("nord", "nord@example.org", "pw")
    user.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    client.force_login(user)
    body = client.get(f"/admin/portes-ouvertes/moderation/{linked.pk}/").content.decode()
    assert directory_url(org) in body
    body = client.get(f"/admin/portes-ouvertes/moderation/{typed.pk}/").content.decode()
    assert "nom tapé par l" in body
