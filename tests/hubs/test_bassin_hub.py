"""The bassin page is a hub: next events with the agenda subscription (https, webcal and
step-by-step help), the Info Prévention Santé issues with the subscription form, the
open-door week, a few local services leading into the directory; in a fixed number of
SQL queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bassins import hub
from bassins.models import Bassin
from newsletters.models import Subscriber
from tests.events.factories import make_event
from tests.newsletters.conftest import drafted_issue, publish
from tests.opendoors import factories as opendoors

pytestmark = pytest.mark.django_db

SOON = timezone.now() + datetime.timedelta(days=3)


def test_higher_apps_register_their_sections_in_order():
    assert [section.key for section in hub.sections()] == [
        "events",
        "newsletters",
        "opendoors",
        "directory",
    ]
    assert set(hub.finder_targets()) >= {"agenda", "propose", "newsletter", "directory"}


def test_hub_shows_the_bassins_next_events_and_not_other_bassins(reference_data, client):
    make_event("Atelier nord-est", start=SOON, bassins=["nord-est"])
    make_event("Atelier sud", start=SOON, bassins=["sud"])
    html = client.get("/fr/nord-est/").content.decode()
    assert 'data-testid="hub-events"' in html
    assert "Atelier nord-est" in html
    assert "Atelier sud" not in html
    assert 'href="/fr/agenda/nord-est/"' in html


@pytest.mark.parametrize(
    "language, bassin_path, help_text",
    [
        ("fr", "nord-est", "abonner à partir du web"),
        ("nl", "noordoost", "Abonneren vanaf internet"),
    ],
)
def test_hub_offers_the_agenda_subscription_with_instructions(
    reference_data, client, language, bassin_path, help_text
):
    html = client.get(f"/{language}/{bassin_path}/").content.decode()
    assert f"/feeds/nord-est.ics?lang={language}" in html
    assert 'href="webcal://' in html
    assert 'data-testid="calendar-help"' in html
    for app in ("Outlook", "Google", "Apple", "Thunderbird"):
        assert app in html
    assert help_text in html


def test_hub_lists_published_issues_and_subscribes_to_the_bassin(reference_data, client):
    issue = publish(drafted_issue("nord-est", "fr"), send=False)
    html = client.get("/fr/nord-est/").content.decode()
    assert 'data-testid="hub-newsletter"' in html
    assert issue.title in html
    assert 'action="/fr/info-prevention/nord-est/inscription/"' in html
    nord_est = Bassin.objects.get(slug="nord-est")
    response = client.post(
        "/fr/info-prevention/nord-est/inscription/",
        {"email": "pro@example.org", "language": "fr", "bassins": nord_est.pk},
    )
    assert response.status_code == 302
    assert list(Subscriber.objects.get(email="pro@example.org").bassins.all()) == [nord_est]


def test_hub_labels_a_past_open_door_week_as_past(reference_data, client):
    # The hub shows the latest past week when none is coming: this one ended two weeks
    # ago, after the bassin's reference 2025 edition.
    bassin = Bassin.objects.get(slug="sud")
    a_month_ago = timezone.localdate() - datetime.timedelta(days=30)
    opendoors.week(a_month_ago, bassin=bassin, name_fr="Semaine passée")  # ended 16 days ago
    html = client.get("/fr/sud/").content.decode()
    assert "Semaine passée" in html
    assert 'data-testid="week-state">terminée' in html
    assert "réservations ouvertes" not in html


def test_hub_shows_a_bookable_week_with_its_programme(reference_data, client):
    bassin = Bassin.objects.get(slug="sud")
    week = opendoors.week(bassin=bassin, name_nl="Opendeurweek Zuid")
    html = client.get("/nl/zuid/").content.decode()
    assert "Opendeurweek Zuid" in html
    assert 'data-testid="week-state">reservaties open' in html
    assert f"/nl/opendeurdagen/{week.slug}/" in html


def test_hub_leads_into_the_directory_filtered_on_the_bassin(reference_data, client):
    html = client.get("/fr/nord/").content.decode()
    assert 'data-testid="hub-directory"' in html
    assert 'href="/fr/repertoire/?bassin=nord"' in html


def hub_queries(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_hub_query_count_does_not_grow_with_events_issues_weeks_and_services(
    reference_data, client
):
    make_event("Premier", start=SOON, bassins=["nord-est"])
    publish(drafted_issue("nord-est", "fr"), send=False)
    bassin = Bassin.objects.get(slug="nord-est")
    opendoors.week(bassin=bassin)
    before = hub_queries(client, "/fr/nord-est/")
    for number in range(8):
        make_event(
            f"Atelier {number}", start=SOON, bassins=["nord-est"], rule="RRULE:FREQ=WEEKLY;COUNT=5"
        )
    publish(drafted_issue("nord-est", "fr", datetime.date(2025, 11, 1)), send=False)
    publish(drafted_issue("nord-est", "fr", datetime.date(2025, 12, 1)), send=False)
    for _ in range(3):
        opendoors.registration(opendoors.week(bassin=bassin))
    after = hub_queries(client, "/fr/nord-est/")
    assert after == before
