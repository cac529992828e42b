"""Admin listings read naturally in French and Dutch: yes/no columns say "oui"/"ja"
rather than an icon titled "True", and column headers are words of the admin's
language, never a field name."""

import html as html_lib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.utils import timezone
from wagtail.users.models import UserProfile

from bassins.models import Bassin
from directory.models import Location, Organisation, Service
from newsletters.models import Subscriber

pytestmark = pytest.mark.django_db

LISTINGS = {
    "/admin/portes-ouvertes/semaines/": {
        "fr": ["Réservations dès le", "Publiée"],
        "nl": ["Reservaties vanaf", "Gepubliceerd"],
    },
    "/admin/snippets/directory/service/": {
        "fr": ["Organisation", "Ligne d'aide et d'orientation"],
        "nl": ["Organisatie", "Hulp- en oriëntatielijn"],
    },
    "/admin/snippets/directory/decisionquestion/": {
        "fr": ["Première question"],
        "nl": ["Eerste vraag"],
    },
    "/admin/snippets/events/eventkind/": {
        "fr": ["Proposable par les organisations"],
        "nl": ["Kan door organisaties worden voorgesteld"],
    },
    "/admin/snippets/events/event/": {
        "fr": ["Modifications publiées"],
        "nl": ["Gepubliceerde wijzigingen"],
    },
    "/admin/newsletter_subscribers/": {"fr": ["Confirmé le"], "nl": ["Bevestigd op"]},
    "/admin/snippets/directory/location/": {
        "fr": ["Bassin suggéré"],
        "nl": ["Voorgestelde zorgzone"],
    },
}


def listing(html: str) -> tuple[list[str], str]:
    """The column headers and the text of the cells of the page's listing table."""
    table = re.search(r'<table[^>]*class="[^"]*listing.*?</table>', html, re.S)
    assert table, "no listing table"

    def text(fragment: str) -> str:
        return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    headers = [text(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", table.group(0), re.S)]
    return headers, table.group(0)


@pytest.fixture
def admin_client(client, reference_data):
    Location.objects.create(
        organisation=Organisation.objects.order_by("pk").first(),
        address="Rue Royale Sainte-Marie 60",
        postal_code="1030",
        suggested_bassin=Bassin.objects.get(slug="nord-est"),
    )
    Subscriber.objects.create(
        email="an@example.org", language="nl", status="active", confirmed_at=timezone.now()
    )
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    return client, UserProfile.get_for_user(admin)


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("url", list(LISTINGS))
def test_admin_listings_read_naturally(admin_client, url, language):
    client, profile = admin_client
    profile.preferred_language = language
    profile.save()
    headers, table = listing(client.get(url).content.decode())
    for expected in LISTINGS[url][language]:
        assert expected in headers
    assert not re.search(r'title="(True|False)"', table)
    assert not [h for h in headers if "_" in h or h in ("Sequence", "Suggested bassin")]


@pytest.mark.parametrize("language, yes", [("fr", "oui"), ("nl", "ja")])
def test_yes_no_columns_say_yes_in_the_admins_language(admin_client, language, yes):
    client, profile = admin_client
    profile.preferred_language = language
    profile.save()
    _headers, table = listing(client.get("/admin/snippets/directory/service/").content.decode())
    assert re.search(rf">\s*{yes}\s*<", table)


@pytest.mark.parametrize(
    "language, words, not_words",
    [
        ("fr", ["Bassins desservis", "Publics cibles", "Lieu"], ["Area bassins", "Publics\n"]),
        (
            "nl",
            ["Bediende zorgzones", "Doelgroepen", "Contactwijzen"],
            ["Area bassins", "Bassins desservis"],
        ),
    ],
)
def test_the_service_form_labels_are_words_of_the_admins_language(
    admin_client, language, words, not_words
):
    client, profile = admin_client
    profile.preferred_language = language
    profile.save()
    service = Service.objects.order_by("pk").first()
    html = html_lib.unescape(
        client.get(f"/admin/snippets/directory/service/edit/{service.pk}/").content.decode()
    )
    for word in words:
        assert word in html
    for word in not_words:
        assert word not in html


@pytest.mark.parametrize("language, plural", [("fr", "Lieux"), ("nl", "Plaatsen")])
def test_plural_names_are_written_not_made_by_adding_an_s(admin_client, language, plural):
    client, profile = admin_client
    profile.preferred_language = language
    profile.save()
    html = client.get("/admin/snippets/directory/location/").content.decode()
    assert plural in html
    assert "Lieus" not in html and "Plaatss" not in html


@pytest.mark.parametrize("path", ["/fr/", "/nl/", "/admin/login/"])
def test_the_site_and_the_admin_have_a_favicon(client, reference_data, path):
    page = client.get(path).content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    assert href.endswith("favicon.svg")
    assert finders.find("favicon.svg").endswith("static/favicon.svg")
