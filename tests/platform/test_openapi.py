"""The published OpenAPI description holds: schemathesis calls every operation of
``/api/openapi.json`` on the served Django app (WSGI) with generated parameters and
checks that no answer is a server error and every answer conforms to the document."""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from directory.models import Organisation, Phone, ScheduleSlot, Service
from events.models import EventKind
from maillage.wsgi import application
from tests.events.factories import local, make_event
from tests.opendoors.factories import bassin

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((ROOT / "platform/maillage/openapi.json").read_text())
# Bounded so the whole contract runs in well under two minutes.
EXAMPLES_PER_OPERATION = 25
CONTRACT_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    # A value the document does not allow (a boolean that is not true/false, a lang
    # other than fr/nl, a page below 1, a slug that breaks its pattern...) is a 4xx.
    negative_data_rejection,
]


@pytest.fixture
def app_keeps_the_test_connection():
    """Calls go straight to the WSGI app, whose request signals would close the test
    transaction's connection (PostgreSQL): keep it open, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, app_keeps_the_test_connection):
    """A little of everything the APIs answer: an event (once and weekly) and a service."""
    bassin("nord")
    EventKind.objects.get_or_create(
        slug="rendez-vous-prevention", defaults={"name_fr": "RDV", "name_nl": "RDV"}
    )
    today = datetime.date.today()
    start = local(today.year, today.month, min(today.day, 28), 10, 0)
    make_event("Atelier", start=start, bassins=("nord",))
    make_event("Permanence", start=start, rule="RRULE:FREQ=WEEKLY;COUNT=5")
    organisation = Organisation.objects.create(slug="asbl", name_fr="Asbl", name_nl="Vzw")
    service = Service.objects.create(
        organisation=organisation,
        slug="permanence",
        name_fr="Permanence sociale",
        name_nl="Sociale permanentie",
        description_fr="Aide pour les dettes.",
        area_whole_region=True,
        email="info@asbl.example",
    )
    Phone.objects.create(service=service, number="02 000 00 00")
    ScheduleSlot.objects.create(
        service=service, weekday=1, opens_at=datetime.time(9), closes_at=datetime.time(12)
    )
    return organisation


# Loaded from the repository file (collection happens before the test database exists);
# test_the_served_document_is_the_repository_one proves it is the served one. Calls go
# to the Django WSGI application in-process.
schema = schemathesis.openapi.from_path(ROOT / "platform/maillage/openapi.json")
schema.app = application


@schema.parametrize()
@pytest.mark.usefixtures("api_data")
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    # The same cases on every run, so CI fails only on a change, reproducibly (random
    # cases once failed a run on a case no earlier run had drawn). To explore new cases:
    # OPENAPI_FUZZ_EXPLORE=1 pytest tests/platform/test_openapi.py
    derandomize=os.environ.get("OPENAPI_FUZZ_EXPLORE") != "1",
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_the_document_says(case):
    # Valid and invalid parameters alike: never a 5xx, only documented statuses, content
    # types and bodies; a value outside the document is refused. (Not the converse,
    # positive_data_acceptance: a well-formed slug that names no bassin is a documented 400.)
    case.call_and_validate(checks=CONTRACT_CHECKS)


def test_the_served_document_is_the_repository_one(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == DOCUMENT
    assert DOCUMENT["openapi"].startswith("3.1")


def routes(patterns, prefix=""):
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, text)
        else:
            yield "/" + text


def test_every_api_route_is_described():
    def shape(path):
        return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)

    api = {
        shape(route) for route in routes(get_resolver().url_patterns) if route.startswith("/api/")
    }
    assert api == {shape(path) for path in DOCUMENT["paths"]}


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404_not_a_redirect(client):
    for path in ("/api/directory/organisations/null", "/api/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"error": "not found"}
