"""The partner calendars' Wagtail admin, through HTTP: a bassin team adds a source and
it is imported at once, "Importer maintenant" re-imports (for its own bassins only),
an edit forgets the validators, and a non-http address is refused. Every calendar
server is a local stub (tests/calendars/stub_server.py)."""

import pytest
from django.urls import reverse

from bassins.models import Bassin
from events.calendars.models import CalendarSource, FetchStatus
from events.models import Event, EventKind, EventStatus

from .factories import SINGLE, WEEKLY, make_source, vcalendar
from .stub_server import calendar_route

pytestmark = pytest.mark.django_db

SOURCES = "/admin/snippets/calendars/calendarsource/"


def form_data(url, *, trusted=True, **overrides):
    data = {
        "name": "Maison médicale du Nord",
        "organisation": "MM Nord",
        "url": url,
        "is_active": "on",
        "kind": EventKind.objects.get(slug="autre").pk,
        "bassins": [Bassin.objects.get(slug="nord").pk],
        "audience": "residents",
        "language": "nl",
    }
    if trusted:
        data["is_trusted"] = "on"
    return data | overrides


@pytest.mark.parametrize(
    "trusted, status", [(True, EventStatus.PUBLISHED), (False, EventStatus.PENDING)]
)
def test_a_source_added_by_a_bassin_team_is_saved_and_imported_at_once(
    client, teams, stub, eager_tasks, django_capture_on_commit_callbacks, trusted, status
):
    stub.routes["/cal.ics"] = calendar_route(vcalendar(SINGLE))
    client.force_login(teams["nord"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SOURCES + "add/", form_data(stub.url("/cal.ics"), trusted=trusted))
    assert response.status_code == 302
    source = CalendarSource.objects.get()
    assert (source.kind.slug, source.audience, source.language_id) == ("autre", "residents", "nl")
    assert source.is_trusted is trusted and source.is_active
    assert list(source.bassins.values_list("slug", flat=True)) == ["nord"]
    assert [path for path, _ in stub.requests] == ["/cal.ics"]
    source.refresh_from_db()
    assert source.last_status == FetchStatus.OK and source.last_counts["created"] == 1
    event = Event.objects.get(source=source.event_source)
    assert event.status == status
    assert list(event.bassins.values_list("slug", flat=True)) == ["nord"]
    assert (event.kind.slug, event.audience) == ("autre", "residents")


def test_import_now_reimports_and_records_the_outcome_on_the_source(
    client, teams, stub, eager_tasks, django_capture_on_commit_callbacks
):
    stub.routes["/cal.ics"] = calendar_route(vcalendar(SINGLE))
    source = make_source(url=stub.url("/cal.ics"))
    client.force_login(teams["nord"])
    sync_url = reverse("calendars_sync", args=[source.pk])
    assert sync_url in client.get(SOURCES).content.decode()  # the listing's button
    stub.routes["/cal.ics"] = calendar_route(vcalendar(SINGLE, WEEKLY), etag='"v2"')
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync_url)
    assert response.status_code == 302
    assert response.url == f"{SOURCES}edit/{source.pk}/"
    source.refresh_from_db()
    assert source.last_status == FetchStatus.OK and source.etag == '"v2"'
    assert source.last_counts["total"] == 2 and source.last_counts["created"] == 2
    assert source.last_fetched_at is not None
    assert Event.objects.filter(source=source.event_source).count() == 2
    # Again: the server answers 304, and the source says so.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sync_url)
    source.refresh_from_db()
    assert source.last_status == FetchStatus.NOT_MODIFIED
    assert stub.requests[-1][1]["If-None-Match"] == '"v2"'


def test_import_now_is_refused_to_a_team_of_another_bassin(
    client, teams, stub, eager_tasks, django_capture_on_commit_callbacks
):
    stub.routes["/cal.ics"] = calendar_route(vcalendar(SINGLE))
    source = make_source(url=stub.url("/cal.ics"), bassins=("nord",))
    client.force_login(teams["sud"])
    assert reverse("calendars_sync", args=[source.pk]) not in client.get(SOURCES).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("calendars_sync", args=[source.pk]))
    # Wagtail's admin turns the view's PermissionDenied into a redirect to the dashboard.
    assert (response.status_code, response.url) == (302, "/admin/")
    assert callbacks == [] and stub.requests == []
    source.refresh_from_db()
    assert source.last_status == FetchStatus.NEVER and source.last_fetched_at is None
    assert not Event.objects.filter(source=source.event_source).exists()


def test_editing_a_source_forgets_its_validators_so_the_next_poll_reads_everything(
    client, teams, stub
):
    from events.calendars import services

    stub.routes["/cal.ics"] = calendar_route(vcalendar(SINGLE))
    source = make_source(url=stub.url("/cal.ics"))
    assert services.sync_source(source) == FetchStatus.OK
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_modified
    client.force_login(teams["nord"])
    data = form_data(source.url, audience="everyone", kind=source.kind_id)
    response = client.post(f"{SOURCES}edit/{source.pk}/", data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.audience == "everyone"
    assert (source.etag, source.last_modified) == ("", "")
    assert services.sync_source(source) == FetchStatus.OK
    headers = stub.requests[-1][1]
    assert "If-None-Match" not in headers and "If-Modified-Since" not in headers


@pytest.mark.parametrize("url", ["ftp://example.org/cal.ics", "file:///etc/passwd"])
def test_the_add_form_refuses_an_address_that_is_not_http_and_saves_nothing(
    client, teams, eager_tasks, django_capture_on_commit_callbacks, url
):
    client.force_login(teams["nord"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(SOURCES + "add/", form_data(url))
    assert response.status_code == 200
    assert "Adresse invalide : seules http, https et webcal sont lues." in (
        response.content.decode()
    )
    assert callbacks == []
    assert not CalendarSource.objects.exists()
