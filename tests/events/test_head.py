"""HEAD is answered like GET, without a body, on every GET endpoint (core.http)."""

import datetime

import pytest
from django.utils import timezone

from tests.opendoors import factories as opendoors_factories

from .factories import body, make_event

pytestmark = pytest.mark.django_db


def _urls(event, week) -> list[str]:
    today = timezone.localdate()
    return [
        "/healthz",
        "/fr/agenda/",
        "/nl/agenda/noord/",
        "/fr/agenda/mois/",
        f"/fr/agenda/evenement/{event.pk}/",
        f"/fr/agenda/evenement/{event.pk}/ics/",
        "/fr/agenda/proposer/",
        "/feeds/agenda.ics",
        "/feeds/nord.ics?lang=nl",
        "/feeds/agenda.rss",
        "/feeds/agenda.atom",
        f"/api/events?start={today}&end={today + datetime.timedelta(days=30)}",
        "/api/events?start=nope",  # 400 too
        "/feeds/atlantide.ics",  # 400 too
        "/fr/portes-ouvertes/",
        f"/fr/portes-ouvertes/{week.slug}/",
        f"/portes-ouvertes/{week.slug}/programme.ics",
        "/api/directory/search?q=aide",
        "/api/directory/export.csv",
        "/fr/repertoire/",
    ]


def test_head_is_answered_like_get_without_a_body_on_every_get_endpoint(client, agenda_reference):
    event = make_event("Atelier", bassins=["nord"], start=timezone.now() + datetime.timedelta(1))
    week = opendoors_factories.slot().registration.week
    for url in _urls(event, week):
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code != 405, url
        assert head["Content-Type"] == get["Content-Type"], url
        assert not body(head), url
        if get.status_code == 200 and not get.streaming:
            assert head["Content-Length"] == str(len(get.content)), url
