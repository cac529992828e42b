"""Availability: set in one click from the monthly e-mail's signed link (or in the admin),
shown with its date on cards, unknown after 60 days, a search facet, a ranking boost."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from directory import services
from directory.models import Availability, Maintainer, Organisation, Service
from directory.queries import Criteria, search_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def medimmigrant(directory_data):
    org = Organisation.objects.get(slug="medimmigrant")
    Maintainer.objects.create(organisation=org, email="fiche@medimmigrant.example")
    return org


def link_path(org, language="fr"):
    return "/" + services.availability_url(org, language).split("://", 1)[1].split("/", 1)[1]


def slugs(criteria, now=None):
    return [s.slug for s in search_services(criteria, now=now).queryset]


def test_an_availability_older_than_60_days_is_unknown(directory_data):
    service = Service.objects.get(slug="medimmigrant-permanence")
    today = datetime.date(2026, 6, 30)
    service.availability = Availability.ACCEPTING
    service.availability_date = today - datetime.timedelta(days=60)
    assert service.current_availability(today) == Availability.ACCEPTING
    service.availability_date = today - datetime.timedelta(days=61)
    assert service.current_availability(today) == Availability.UNKNOWN
    service.availability_date = None
    assert service.current_availability(today) == Availability.UNKNOWN


def test_changing_the_availability_dates_it(directory_data):
    service = Service.objects.get(slug="medimmigrant-permanence")
    assert service.availability_date is None
    service.availability = Availability.NOT_ACCEPTING
    service.save()
    service.refresh_from_db()
    assert service.availability_date == timezone.localdate()


def test_monthly_email_then_one_click_per_service(client, medimmigrant):
    assert services.send_availability_requests() == 1
    message = mail.outbox[0]
    assert message.to == ["fiche@medimmigrant.example"]
    assert "/fr/repertoire/disponibilite/" in message.body
    assert services.send_availability_requests() == 0  # a re-run of the task sends nothing
    url = link_path(medimmigrant)
    page = client.get(url)
    assert page.status_code == 200
    service = medimmigrant.services.first()
    response = client.post(url, {"service": str(service.public_id), "availability": "accepting"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.availability == Availability.ACCEPTING
    assert service.availability_date == timezone.localdate()
    # A double submit is harmless: same state, same date.
    client.post(url, {"service": str(service.public_id), "availability": "accepting"})
    service.refresh_from_db()
    assert (service.availability, service.availability_date) == (
        Availability.ACCEPTING,
        timezone.localdate(),
    )
    response = client.post(
        url, {"service": str(service.public_id), "availability": "waiting_list", "wait_weeks": "6"}
    )
    service.refresh_from_db()
    assert (service.availability, service.availability_wait_weeks) == ("waiting_list", 6)
    response = client.post(url, {"service": str(service.public_id), "availability": "accepting"})
    service.refresh_from_db()
    assert service.availability_wait_weeks is None


def test_the_link_in_dutch(client, medimmigrant):
    medimmigrant.maintainers.update(language="nl")
    services.send_availability_requests()
    assert "/nl/sociale-kaart/" in mail.outbox[0].body
    assert client.get(link_path(medimmigrant, "nl")).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"service": "", "availability": "accepting"},
        {"service": "not-a-uuid", "availability": "accepting"},
        {"service": "00000000-0000-0000-0000-000000000000", "availability": "accepting"},
        {"availability": "waiting_list"},
        {"availability": "waiting_list", "wait_weeks": "0"},
        {"availability": "waiting_list", "wait_weeks": "9999999999999999999"},
        {"availability": "unknown"},
        {"availability": "<script>"},
    ],
)
def test_bad_choices_are_a_400_and_change_nothing(client, medimmigrant, data):
    service = medimmigrant.services.first()
    data = {"service": str(service.public_id), **data}
    response = client.post(link_path(medimmigrant), data)
    assert response.status_code == 400
    service.refresh_from_db()
    assert service.availability == Availability.UNKNOWN


def test_a_service_of_another_organisation_cannot_be_set(client, medimmigrant):
    other = Service.objects.exclude(organisation=medimmigrant).first()
    response = client.post(
        link_path(medimmigrant), {"service": str(other.public_id), "availability": "accepting"}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.availability == Availability.UNKNOWN


@pytest.mark.parametrize("token", ["forged", "a" * 300])
def test_forged_link_is_400(client, medimmigrant, token):
    assert client.get(f"/fr/repertoire/disponibilite/{token}/").status_code == 400
    service = medimmigrant.services.first()
    response = client.post(
        f"/fr/repertoire/disponibilite/{token}/",
        {"service": str(service.public_id), "availability": "accepting"},
    )
    assert response.status_code == 400
    service.refresh_from_db()
    assert service.availability == Availability.UNKNOWN


def test_edit_link_is_not_an_availability_link(client, medimmigrant):
    token = services.make_edit_token(medimmigrant)
    assert client.get(f"/fr/repertoire/disponibilite/{token}/").status_code == 400


def test_expired_link_is_410(client, medimmigrant, settings):
    url = link_path(medimmigrant)
    settings.SIGNED_LINK_MAX_AGE_DAYS = -1
    assert client.get(url).status_code == 410


def test_beat_entry_is_monthly(directory_data):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="directory: availability requests")
    assert task.task == "directory.tasks.send_availability_requests"
    assert (task.crontab.day_of_month, task.crontab.hour) == ("1", "9")


def test_card_shows_it_with_its_date_and_the_facet_counts_it(client, directory_data):
    service = Service.objects.get(slug="medimmigrant-permanence")
    services.set_availability(service, Availability.WAITING_LIST, 3)
    html = client.get("/fr/repertoire/", {"q": "medimmigrant"}).content.decode()
    card = html[html.index('id="service-medimmigrant-permanence"') :]
    card = card[: card.index("</article>")]
    assert 'data-availability="waiting_list"' in card
    assert "Liste d'attente d'environ 3 semaines" in card
    assert timezone.localdate().strftime("%Y") in card
    nl = client.get("/nl/sociale-kaart/", {"q": "medimmigrant"}).content.decode()
    assert "Wachtlijst van ongeveer 3 weken" in nl
    services.set_availability(service, Availability.ACCEPTING)
    html = client.get("/fr/repertoire/").content.decode()
    assert 'data-testid="filter-accepting"' in html
    assert "Accueille de nouvelles personnes (1)" in html
    only = client.get("/fr/repertoire/", {"accepting": "on"}).content.decode()
    assert only.count('data-testid="service-card"') == 1
    assert slugs(Criteria(accepting=True)) == ["medimmigrant-permanence"]
    # Older than 60 days: neither counted nor filtered.
    Service.objects.filter(pk=service.pk).update(
        availability_date=timezone.localdate() - datetime.timedelta(days=61)
    )
    assert slugs(Criteria(accepting=True)) == []
    assert search_services(Criteria()).counts["accepting"] == 0
    assert client.get("/fr/repertoire/", {"accepting": "maybe"}).status_code == 400


def test_ranking_prefers_services_taking_new_people(make_services, directory_data):
    first, second = make_services(2, prefix="rank")
    order = slugs(Criteria(q="permanence sociale rank", sort="relevance"))
    assert order.index(first.slug) < order.index(second.slug)
    services.set_availability(second, Availability.ACCEPTING)
    order = slugs(Criteria(q="permanence sociale rank", sort="relevance"))
    assert order.index(second.slug) < order.index(first.slug)
    services.set_availability(second, Availability.NOT_ACCEPTING)
    order = slugs(Criteria(q="permanence sociale rank", sort="relevance"))
    assert order.index(first.slug) < order.index(second.slug)


def test_bassin_teams_set_it_in_the_admin(admin_client, directory_data):
    service = Service.objects.get(slug="medimmigrant-permanence")
    html = admin_client.get(f"/admin/snippets/directory/service/edit/{service.pk}/").content
    assert b'name="availability"' in html and b'name="availability_wait_weeks"' in html
    services.set_availability(service, Availability.ACCEPTING)
    listing = admin_client.get("/admin/snippets/directory/service/", {"availability": "accepting"})
    assert listing.status_code == 200
    assert service.name_fr.encode() in listing.content
    other = Service.objects.exclude(pk=service.pk).first()
    assert other.name_fr.encode() not in listing.content


def test_api_carries_it_and_filters_on_it(client, directory_data):
    service = Service.objects.get(slug="medimmigrant-permanence")
    services.set_availability(service, Availability.WAITING_LIST, 4)
    data = client.get("/api/directory/search", {"q": "medimmigrant"}).json()
    found = next(r for r in data["results"] if r["id"] == str(service.public_id))
    assert found["availability"] == {
        "state": "waiting_list",
        "wait_weeks": 4,
        "date": timezone.localdate().isoformat(),
    }
    services.set_availability(service, Availability.ACCEPTING)
    data = client.get("/api/directory/search", {"accepting": "true"}).json()
    assert [r["id"] for r in data["results"]] == [str(service.public_id)]
    assert data["counts"]["accepting"] == 1
    assert client.get("/api/directory/search", {"accepting": "x"}).status_code == 400


def test_hsds_export_carries_a_fresh_availability(directory_data):
    from directory.exports import hsds_tables

    service = Service.objects.get(slug="medimmigrant-permanence")
    services.set_availability(service, Availability.WAITING_LIST, 6)
    tables = hsds_tables()
    row = next(r for r in tables["service"] if r["id"] == str(service.public_id))
    assert row["wait_time"] == "6 semaines"
    terms = {t["id"]: t["code"] for t in tables["taxonomy_term"]}
    attribute = next(
        a
        for a in tables["attribute"]
        if a["link_id"] == str(service.public_id) and a["link_type"] == "availability"
    )
    assert terms[attribute["taxonomy_term_id"]] == "availability:waiting_list"
    assert attribute["value"] == timezone.localdate().isoformat()
    Service.objects.filter(pk=service.pk).update(
        availability_date=timezone.localdate() - datetime.timedelta(days=61)
    )
    tables = hsds_tables()
    assert not [a for a in tables["attribute"] if a["link_type"] == "availability"]


def test_the_hsds_import_reads_it_back(directory_data, tmp_path):
    from directory.exports import hsds_files
    from directory.hsds_import import import_hsds

    waiting = Service.objects.get(slug="medimmigrant-permanence")
    services.set_availability(waiting, Availability.WAITING_LIST, 6)
    for name, content in hsds_files().items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    report = import_hsds(tmp_path)
    assert all(c["created"] == c["updated"] == 0 for c in report.counts.values())
    assert not [w for w in report.warnings if "availability" in w]
    Service.objects.filter(pk=waiting.pk).update(
        availability=Availability.UNKNOWN, availability_wait_weeks=None, availability_date=None
    )
    import_hsds(tmp_path)
    waiting.refresh_from_db()
    assert (waiting.availability, waiting.availability_wait_weeks) == ("waiting_list", 6)
    assert waiting.availability_date == timezone.localdate()
