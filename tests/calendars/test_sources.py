"""Polling sources: conditional GET, and a bad source (garbage, slow, huge, redirect
loop, server error) gets a clear error on its own admin page without stopping the
others. Every server here is a local stub (tests/calendars/stub_server.py)."""

import time

import pytest
from django.contrib.auth.models import Group, User
from wagtail.users.models import UserProfile

from bassins.permissions import ensure_team_groups
from events.calendars import services, tasks
from events.calendars.fetching import FetchError, fetch_calendar
from events.calendars.models import CalendarSource, ErrorCode, FetchStatus, ImportedEvent
from events.models import Event, EventStatus

from .factories import SINGLE, WEEKLY, make_source, vcalendar
from .stub_server import (
    calendar_route,
    huge_route,
    redirect_route,
    slow_route,
    trickle_route,
)
from .test_import import NEW_YORK_WEEKLY

pytestmark = pytest.mark.django_db


def test_conditional_get_sends_the_validators_back_and_a_304_changes_nothing(
    agenda_reference, stub
):
    stub.routes["/cal.ics"] = calendar_route(vcalendar(WEEKLY, SINGLE))
    source = make_source(url=stub.url("/cal.ics"))
    assert services.sync_source(source) == FetchStatus.OK
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_counts["created"] == 2
    assert services.sync_source(source) == FetchStatus.NOT_MODIFIED
    headers = stub.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 01 Mar 2027 10:00:00 GMT"
    source.refresh_from_db()
    assert source.last_status == FetchStatus.NOT_MODIFIED and source.last_counts["created"] == 2


def test_editing_a_source_makes_the_next_poll_read_everything_again(agenda_reference, stub):
    stub.routes["/cal.ics"] = calendar_route(vcalendar(SINGLE))
    source = make_source(url=stub.url("/cal.ics"))
    services.sync_source(source)
    services.forget_validators(source)
    assert services.sync_source(source) == FetchStatus.OK
    assert "If-None-Match" not in stub.requests[-1][1]


@pytest.mark.parametrize(
    "route, code",
    [
        (lambda stub: calendar_route(b"<html><body>Maintenance</body></html>"), "not_ical"),
        (lambda stub: slow_route(2.0), "timeout"),
        (lambda stub: trickle_route, "timeout"),
        (lambda stub: huge_route(declared=True), "too_large"),
        (lambda stub: huge_route(declared=False), "too_large"),
        (lambda stub: redirect_route("/bad"), "redirects"),
        (lambda stub: lambda handler: handler.answer(500, b"oops"), "http"),
    ],
    ids=["garbage", "slow", "trickle", "huge", "huge-chunked", "redirect-loop", "http-500"],
)
def test_a_bad_source_gets_a_clear_error_within_the_bounds(agenda_reference, stub, route, code):
    stub.routes["/bad"] = route(stub)
    source = make_source(url=stub.url("/bad"))
    started = time.monotonic()
    assert services.sync_source(source) == FetchStatus.ERROR
    assert time.monotonic() - started < 5
    source.refresh_from_db()
    assert source.last_status == FetchStatus.ERROR
    assert source.last_error_code == code
    assert source.last_fetched_at is not None and source.last_success_at is None


def test_private_addresses_are_refused_unless_allowed(agenda_reference, stub, settings):
    settings.CALENDARS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(FetchError) as error:
        fetch_calendar(stub.url("/cal.ics"))
    assert error.value.code == ErrorCode.FORBIDDEN_ADDRESS
    with pytest.raises(FetchError) as error:
        fetch_calendar("ftp://example.org/cal.ics")
    assert error.value.code == ErrorCode.BAD_URL


def test_webcal_addresses_are_fetched_over_https():
    from events.calendars.fetching import normalise_url

    assert normalise_url("webcal://example.org/a.ics") == "https://example.org/a.ics"


def test_one_broken_source_does_not_stop_the_others(agenda_reference, stub, eager_tasks):
    stub.routes["/slow"] = slow_route(2.0)
    stub.routes["/garbage"] = calendar_route(b"garbage")
    stub.routes["/good"] = calendar_route(vcalendar(SINGLE))
    slow = make_source("Lent", url=stub.url("/slow"))
    garbage = make_source("Cassé", url=stub.url("/garbage"))
    good = make_source("Bon", url=stub.url("/good"))
    make_source("Inactif", url=stub.url("/good"), is_active=False)
    assert tasks.poll_calendar_sources() == 3
    statuses = dict(CalendarSource.objects.values_list("name", "last_status"))
    assert statuses == {"Lent": "error", "Cassé": "error", "Bon": "ok", "Inactif": "never"}
    assert Event.objects.get(source=good.event_source).status == EventStatus.PUBLISHED
    assert {slow.pk, garbage.pk} == set(
        CalendarSource.objects.filter(last_status="error").values_list("pk", flat=True)
    )
    # Fetched just now: not due again before CALENDARS_POLL_MINUTES.
    assert tasks.poll_calendar_sources() == 0


@pytest.fixture
def nord_user(agenda_reference):
    ensure_team_groups()
    user = User.objects.create_user("nord", "nord@example.org", "x")
    user.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    return user


def test_the_error_is_shown_on_the_sources_admin_page_in_french_and_dutch(client, stub, nord_user):
    stub.routes["/bad"] = redirect_route("/bad")
    source = make_source(url=stub.url("/bad"))
    services.sync_source(source)
    client.force_login(nord_user)
    html = client.get(f"/admin/snippets/calendars/calendarsource/edit/{source.pk}/").content
    assert "Trop de redirections (boucle ?)." in html.decode()
    profile = UserProfile.get_for_user(nord_user)
    profile.preferred_language = "nl"
    profile.save()
    html = client.get(f"/admin/snippets/calendars/calendarsource/edit/{source.pk}/").content
    assert "Te veel omleidingen (lus?)." in html.decode()


def test_bassin_teams_see_and_edit_only_their_sources(client, nord_user):
    make_source("Source Nord", bassins=("nord",))
    sud = make_source("Source Sud", bassins=("sud",))
    client.force_login(nord_user)
    html = client.get("/admin/snippets/calendars/calendarsource/").content.decode()
    assert "Source Nord" in html and "Source Sud" not in html
    edit = client.get(f"/admin/snippets/calendars/calendarsource/edit/{sud.pk}/")
    assert edit.status_code in (302, 403)


@pytest.mark.parametrize(
    "url",
    ["http://example.org:99999/cal.ics", "http://[::1/cal.ics", "http://[::1]:0/cal.ics"],
)
def test_an_address_with_an_impossible_port_or_host_is_a_bad_address(
    agenda_reference, url, admin_client
):
    with pytest.raises(FetchError) as error:
        fetch_calendar(url)
    assert error.value.code == ErrorCode.BAD_URL
    # Saved anyway (an old row, a script): the poll records the error, nothing crashes.
    source = make_source("Port", url=url)
    assert services.sync_source(source) == FetchStatus.ERROR
    source.refresh_from_db()
    assert source.last_error_code == ErrorCode.BAD_URL
    # The admin's form says so, without saving.
    response = admin_client.post(
        "/admin/snippets/calendars/calendarsource/add/",
        {
            "name": "Port",
            "url": url,
            "kind": source.kind_id,
            "audience": "professionals",
            "language": "fr",
            "bassins": [source.bassins.first().pk],
        },
    )
    assert response.status_code == 200
    assert "Adresse invalide" in response.content.decode()


def test_a_redirect_to_an_impossible_address_is_a_bad_address(agenda_reference, stub, settings):
    settings.CALENDARS_ALLOW_PRIVATE_ADDRESSES = True
    stub.routes["/moved"] = redirect_route("http://[::1/cal.ics")
    with pytest.raises(FetchError) as error:
        fetch_calendar(stub.url("/moved"))
    assert error.value.code == ErrorCode.BAD_URL


def test_an_endless_series_in_another_zone_follows_the_horizon_at_every_poll(
    agenda_reference, stub
):
    endless = NEW_YORK_WEEKLY.replace("COUNT=6", "INTERVAL=4")
    stub.routes["/cal.ics"] = calendar_route(vcalendar(endless))
    source = make_source(url=stub.url("/cal.ics"))
    assert services.sync_source(source) == FetchStatus.OK
    row = ImportedEvent.objects.get(source=source)
    assert row.fingerprint == ""  # offered again at the next poll
    event = Event.objects.get(title_fr="Webinaire New York")
    assert event.occurrences.count() > 5
    # The file has not changed, but the dates must follow the horizon: no conditional GET.
    assert services.sync_source(source) == FetchStatus.OK
    assert "If-None-Match" not in stub.requests[-1][1]
