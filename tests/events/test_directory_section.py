"""The agenda's section of a directory organisation's page uses the shared event row."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from events.directory_page import organisation_events_context

from .factories import make_event

pytestmark = pytest.mark.django_db


def test_organisation_section_lists_its_events_with_the_shared_event_row(agenda_reference):
    make_event(
        "Permanence",
        bassins=["nord"],
        start=timezone.now() + datetime.timedelta(days=3),
        organiser="Maison Médicale du Canal",
        venue_name="Salle B",
    )
    organisation = SimpleNamespace(name_fr="Maison Médicale du Canal")
    html = render_to_string(
        "events/_directory_events.html", organisation_events_context(organisation)
    )
    assert 'data-testid="org-events"' in html
    assert html.count('class="event-row event-row-dated') == 1
    assert "Permanence" in html and "Salle B" in html
    assert organisation_events_context(SimpleNamespace(name_fr="Personne")) is None
