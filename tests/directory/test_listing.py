"""Self-listing: public form -> e-mail confirmation -> moderation by the team of the area
-> organisation, first service and maintainers created.

The steps every public proposal shares (signed link, confirmation button, the team told
once, double submit, honeypot, rate limit) are tested for both flows in
tests/platform/test_proposals.py."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from bassins.permissions import ensure_team_groups
from directory import services
from directory.models import ListingRequest, Maintainer, Organisation, Service

pytestmark = pytest.mark.django_db

FORM = "/fr/repertoire/inscrire/"


def listing_data(**changes):
    data = {
        "name_fr": "Asbl Entraide Haren",
        "name_nl": "Vzw Hulp Haren",
        "description_fr": "Permanence sociale de quartier.",
        "website": "https://entraide-haren.example",
        "email": "info@entraide-haren.example",
        "phone": "02 123 45 67",
        "address": "Rue de Verdun 10",
        "postal_code": "1130",
        "maintainers": "Awa@Entraide-Haren.example\nsecond@entraide-haren.example",
        "website_url": "",
    }
    data.update(changes)
    return data


def link_in(message) -> str:
    return re.search(r"https?://\S+/", message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def confirm(client) -> ListingRequest:
    path = "/" + link_in(mail.outbox[0])
    assert client.get(path).status_code == 200  # a button, nothing confirmed yet
    assert ListingRequest.objects.get().status == "unconfirmed"
    assert client.post(path).status_code == 200
    return ListingRequest.objects.get()


def test_the_form_is_public_in_both_languages(client, directory_data):
    assert client.get(FORM).status_code == 200
    page = client.get("/nl/sociale-kaart/aanmelden/")
    assert page.status_code == 200
    assert "Uw organisatie" in page.content.decode()


def test_a_request_is_stored_unconfirmed_and_the_requester_gets_the_signed_link(
    client, directory_data
):
    response = client.post(FORM, listing_data())
    assert response.status_code == 302
    listing = ListingRequest.objects.get()
    assert listing.status == "unconfirmed"
    assert listing.maintainer_emails == [
        "awa@entraide-haren.example",
        "second@entraide-haren.example",
    ]
    assert [b.slug for b in listing.bassins.all()] == ["nord"]  # from 1130 Haren
    assert [m.to for m in mail.outbox] == [["awa@entraide-haren.example"]]
    assert "/fr/repertoire/inscrire/confirmer/" in mail.outbox[0].body
    # Not on the public directory before moderation.
    assert not Organisation.objects.filter(name_fr="Asbl Entraide Haren").exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"name_fr": "Asbl\x00cachée"},
        {"description_fr": "texte\x1bcaché"},
        {"maintainers": ""},
        {"maintainers": "pas-une-adresse"},
        {"maintainers": "\n".join(f"p{i}@example.org" for i in range(6))},
        {"website": "javascript:alert(1)"},
        {"postal_code": "9999"},
        {"postal_code": "", "address": ""},
    ],
)
def test_bad_input_is_a_400_and_stores_nothing(client, directory_data, changes):
    response = client.post(FORM, listing_data(**changes))
    assert response.status_code == 400
    assert not ListingRequest.objects.exists()
    assert not mail.outbox


def test_the_team_of_the_area_moderates_and_approval_creates_the_entry(client, teams):
    client.post(FORM, listing_data())
    listing = confirm(client)
    # The Sud team does not see a Nord request.
    client.force_login(teams["sud"])
    assert "Entraide Haren" not in client.get("/admin/directory/listings/").content.decode()
    assert client.get(f"/admin/directory/listings/{listing.pk}/").status_code == 404
    client.force_login(teams["nord"])
    assert "Entraide Haren" in client.get("/admin/directory/listings/").content.decode()
    approved = client.post(f"/admin/directory/listings/{listing.pk}/", {"action": "approve"})
    assert approved.status_code == 302
    organisation = Organisation.objects.get(name_fr="Asbl Entraide Haren")
    assert organisation.last_verified == datetime.date.today()
    assert sorted(m.email for m in Maintainer.objects.filter(organisation=organisation)) == [
        "awa@entraide-haren.example",
        "second@entraide-haren.example",
    ]
    service = Service.objects.get(organisation=organisation)
    assert service.phones.get().number == "02 123 45 67"
    assert service.location.postal_code == "1130"
    assert [b.slug for b in service.area_bassins.all()] == ["nord"]
    assert client.get(f"/fr/repertoire/organisation/{organisation.slug}/").status_code == 200
    approval = mail.outbox[-1]
    assert approval.to == ["awa@entraide-haren.example"]
    assert "/fr/repertoire/modifier/" in approval.body
    # A second approval (double submit) creates nothing more.
    client.post(f"/admin/directory/listings/{listing.pk}/", {"action": "approve"})
    assert Organisation.objects.filter(name_fr="Asbl Entraide Haren").count() == 1


def test_a_rejection_needs_a_reason_and_is_mailed(admin_client, client, directory_data):
    client.post(FORM, listing_data())
    listing = confirm(client)
    url = f"/admin/directory/listings/{listing.pk}/"
    admin_client.post(url, {"action": "reject", "reason": ""})
    assert ListingRequest.objects.get().status == "pending"
    admin_client.post(url, {"action": "reject", "reason": "Hors du champ social-santé."})
    listing.refresh_from_db()
    assert listing.status == "rejected"
    assert "Hors du champ social-santé." in mail.outbox[-1].body
    assert not Organisation.objects.filter(name_fr="Asbl Entraide Haren").exists()


def test_a_region_wide_request_goes_to_the_regional_team(directory_data):
    ensure_team_groups()
    regional = User.objects.create_user("region-listing", "region@example.org", "x")
    regional.groups.add(Group.objects.get(bassin_team__isnull=False, bassin_team__bassin=None))
    listing, _ = services.request_listing(
        {
            "name_fr": "Ligne régionale",
            "area_whole_region": True,
            "maintainer_emails": ["ligne@example.org"],
        }
    )
    assert services.listing_moderators(listing) == ["region@example.org"]
