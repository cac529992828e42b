"""My list (session), its print view and CSV; the glossary and its links; reference data."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import GlossaryTerm, ScheduleException, Service

pytestmark = pytest.mark.django_db


def test_add_two_then_print_and_download(client, directory_data):
    for slug in ("brap-permanence", "medimmigrant-permanence"):
        service = Service.objects.get(slug=slug)
        response = client.post(
            "/fr/repertoire/ma-liste/ajouter/",
            {"service": str(service.public_id), "next": "/fr/repertoire/"},
        )
        assert response.status_code == 302 and response["Location"] == "/fr/repertoire/"
    page = client.get("/fr/repertoire/ma-liste/").content.decode()
    assert page.count('data-testid="my-list-entry"') == 2
    printed = client.get("/fr/repertoire/ma-liste/?print=1").content.decode()
    assert printed.count('data-testid="print-entry"') == 2
    assert "carte-locale.css" in printed and "02 201 76 43" in printed
    rows = client.get("/fr/repertoire/ma-liste.csv").content.decode().lstrip("\ufeff").splitlines()
    assert len(rows) == 3 and rows[0].startswith("id,organisation")
    removed = Service.objects.get(slug="brap-permanence")
    client.post("/fr/repertoire/ma-liste/retirer/", {"service": str(removed.public_id)})
    assert (
        client.get("/nl/sociale-kaart/mijn-lijst/")
        .content.decode()
        .count('data-testid="my-list-entry"')
        == 1
    )


@pytest.mark.parametrize("value", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_adding_unknown_entries_is_a_400(client, directory_data, value):
    assert client.post("/fr/repertoire/ma-liste/ajouter/", {"service": value}).status_code == 400


def test_open_redirect_is_refused(client, directory_data):
    service = Service.objects.first()
    response = client.post(
        "/fr/repertoire/ma-liste/ajouter/",
        {"service": str(service.public_id), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/fr/repertoire/ma-liste/"


def test_glossary_has_the_15_terms_in_both_languages(client, directory_data):
    assert GlossaryTerm.objects.count() == 15
    fr = client.get("/fr/repertoire/lexique/").content.decode()
    nl = client.get("/nl/sociale-kaart/woordenlijst/").content.decode()
    assert "Universalisme proportionné" in fr and "Proportioneel universalisme" in nl
    assert all(t.definition_nl and t.definition_fr for t in GlossaryTerm.objects.all())


def test_glossary_terms_link_from_content_once(client, directory_data):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load directory_tags %}{{ text|glossary_links }}")
    with translation.override("fr"):
        html = template.render(
            Context({"text": "Le travail communautaire et encore le travail communautaire <b>"})
        )
    assert html.count('class="glossary-link"') == 1
    assert 'href="/fr/repertoire/lexique/#travail-communautaire"' in html
    assert "&lt;b&gt;" in html
    page = client.get("/fr/repertoire/organisation/cap-brabantia/").content.decode()
    assert "glossary-link" in page


def test_reference_data_is_idempotent_and_complete(directory_data):
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "directory: 0 change(s)" in out.getvalue()
    lines = set(Service.objects.filter(is_help_line=True).values_list("slug", flat=True))
    assert {
        "medimmigrant-permanence",
        "brap-permanence",
        "hotline-mediation-de-dettes",
        "helpdesk-nord",
        "helpdesk-nord-est",
        "helpdesk-centre-ouest",
        "helpdesk-sud",
        "helpdesk-sud-est",
        "helpdesk-regional",
        "allo-aide-sociale",
        "caw-onthaal",
        "caw-detenus",
    } <= lines
    assert Service.objects.filter(slug__startswith="raq-").count() == 19
    assert Service.objects.filter(slug__startswith="chw-").count() == 4
    assert Service.objects.filter(slug__startswith="cpps-").count() == 5
    for slug in ("cover", "artha", "stek-peterbos", "foyer-icb", "ces-appels-proactifs"):
        assert Service.objects.filter(slug=slug).exists()
    assert not Service.objects.filter(name_nl="").exists()


def test_the_printed_list_shows_the_availability_and_a_coming_closure(client, directory_data):
    today = timezone.localdate()
    service = Service.objects.get(slug="brap-permanence")
    Service.objects.filter(pk=service.pk).update(
        availability="waiting_list", availability_wait_weeks=6, availability_date=today
    )
    ScheduleException.objects.create(
        service=service,
        start=today + datetime.timedelta(days=2),
        end=today + datetime.timedelta(days=4),
        note_fr="Formation de l'équipe",
    )
    client.post("/fr/repertoire/ma-liste/ajouter/", {"service": str(service.public_id)})
    printed = client.get("/fr/repertoire/ma-liste/?print=1").content.decode()
    assert 'data-availability="waiting_list"' in printed
    assert "environ 6 semaines" in printed
    assert 'data-testid="closure"' in printed and "Formation de l&#x27;équipe" in printed
    dutch = client.get("/nl/sociale-kaart/mijn-lijst/?print=1").content.decode()
    assert 'data-availability="waiting_list"' in dutch and "Formation" in dutch
