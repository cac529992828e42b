"""A bassin's agenda as an <iframe> for partners' sites: no cookie, framable only there."""

import datetime

import pytest
from django.utils import timezone

from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def test_bassin_agenda_embed_lists_the_bassins_next_activities(client, reference_data):
    soon = timezone.now() + datetime.timedelta(days=3)
    make_event("Atelier du Nord", bassins=["nord"], start=soon)
    make_event("Atelier du Sud", bassins=["sud"], start=soon)
    response = client.get("/fr/agenda/integrer/nord/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Atelier du Nord" in content and "Atelier du Sud" not in content
    assert 'target="_blank"' in content and "csrfmiddlewaretoken" not in content
    assert not list(response.cookies.values())
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == "frame-ancestors *"


def test_agenda_embed_in_dutch_and_unknown_bassin(client, reference_data):
    response = client.get("/nl/agenda/integreren/noord/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.content.decode()
    assert client.get("/fr/agenda/integrer/atlantide/").status_code == 404


def test_bassin_agenda_page_offers_the_snippet_and_refuses_framing(
    client, reference_data, settings
):
    settings.SITE_URL = "https://maillage.example"
    response = client.get("/fr/agenda/nord/")
    assert "&lt;iframe src=&quot;https://maillage.example/fr/agenda/integrer/nord/&quot;" in (
        response.content.decode()
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"
