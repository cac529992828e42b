"""Wagtail editing: bassin-scoped snippets, sequence bump + rematerialisation, dates, preview."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from bassins.models import Bassin, Language
from bassins.permissions import ensure_team_groups
from events import services
from events.models import Event, EventKind

from .factories import local, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(agenda_reference):
    ensure_team_groups()
    nord = User.objects.create_user("nord", "nord@example.org", "x")
    nord.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    region = User.objects.create_user("region", "region@example.org", "x")
    region.groups.add(Group.objects.get(name="Équipe régionale"))
    return {"nord": nord, "region": region}


def form_data(**changes):
    day = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "title_fr": "Atelier tabac",
        "title_nl": "Workshop tabak",
        "kind": EventKind.objects.get(slug="rendez-vous-prevention").pk,
        "status": "published",
        "start_date": day.isoformat(),
        "start_time": "10:00",
        "end_date": day.isoformat(),
        "end_time": "12:00",
        "recurrence": "RRULE:FREQ=WEEKLY;COUNT=3",
        "bassins": [Bassin.objects.get(slug="nord").pk],
        "audience": "residents",
        "languages": list(
            Language.objects.filter(code__in=["fr", "nl"]).values_list("pk", flat=True)
        ),
        "registration": "none",
        "description_fr": "",
        "description_nl": "",
    }
    data.update(changes)
    return data


def test_bassin_team_sees_only_its_events(client, users):
    make_event("Événement Nord", bassins=["nord"], start=local(2027, 1, 5, 10, 0))
    sud = make_event("Événement Sud", bassins=["sud"], start=local(2027, 1, 6, 10, 0))
    client.force_login(users["nord"])
    html = client.get("/admin/snippets/events/event/").content.decode()
    assert "Événement Nord" in html and "Événement Sud" not in html
    assert client.get(f"/admin/snippets/events/event/edit/{sud.pk}/").status_code in (302, 403)
    client.force_login(users["region"])
    html = client.get("/admin/snippets/events/event/").content.decode()
    assert "Événement Nord" in html and "Événement Sud" in html


def test_create_and_edit_through_wagtail(client, users):
    client.force_login(users["nord"])
    response = client.post("/admin/snippets/events/event/add/", form_data())
    assert response.status_code == 302, response.content.decode()[-2000:]
    event = Event.objects.get(title_fr="Atelier tabac")
    assert event.occurrences.count() == 3
    assert event.language_list == ["fr", "nl"]
    assert event.sequence == 0 and event.published_at
    response = client.post(
        f"/admin/snippets/events/event/edit/{event.pk}/",
        form_data(recurrence="RRULE:FREQ=WEEKLY;COUNT=5", title_fr="Atelier tabac (5)"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert event.occurrences.count() == 5


def test_team_cannot_put_event_in_another_bassin(client, users):
    client.force_login(users["nord"])
    sud = Bassin.objects.get(slug="sud").pk
    response = client.post("/admin/snippets/events/event/add/", form_data(bassins=[sud]))
    assert response.status_code == 200  # form redisplayed with an error
    response = client.post("/admin/snippets/events/event/add/", form_data(bassins=[]))
    assert response.status_code == 200
    assert not Event.objects.filter(title_fr="Atelier tabac").exists()


def test_bad_recurrence_and_times_are_refused(client, users):
    client.force_login(users["nord"])
    for bad in (
        {"recurrence": "RRULE:FREQ=SOMETIMES"},
        {"end_time": "09:00"},
        {"languages": ["klingon"]},
        {"start_date": "2026-02-30"},
        # Each of these once saved the event, then failed (a 500) materialising it.
        {"recurrence": "RRULE:FREQ=MONTHLY;BYSETPOS=400;BYDAY=MO"},
        {"start_date": "0001-01-01", "end_date": "0001-01-01"},
        {"start_date": "9999-12-31", "end_date": "9999-12-31", "all_day": "on"},
        # Accepted by the rule's own parser, refused by django-recurrence when saving.
        {"recurrence": "RRULE:FREQ=DAILY;INTERVAL=0"},
        {"recurrence": "RRULE:FREQ=DAILY;COUNT=2\nEXRULE:FREQ=DAILY;INTERVAL=0"},
        {"recurrence": "RRULE:FREQ=DAILY;BYHOUR=25"},
        {"recurrence": "RRULE:FREQ=MINUTELY;COUNT=3"},
    ):
        response = client.post("/admin/snippets/events/event/add/", form_data(**bad))
        assert response.status_code == 200, bad
        html = response.content.decode()
        if "recurrence" in bad and "SOMETIMES" not in bad["recurrence"]:
            assert "Cette règle ne peut pas être utilisée" in html, bad
        if bad.get("start_date", "").startswith(("0001", "9999")):
            assert "Date hors limites" in html, bad
    assert not Event.objects.filter(title_fr="Atelier tabac").exists()


def test_a_rule_that_cannot_be_expanded_does_not_stop_the_nightly_horizon(users, caplog):
    broken = make_event("Règle cassée", start=local(2027, 3, 2, 10, 0), rule="RRULE:FREQ=WEEKLY")
    fine = make_event("Série saine", start=local(2027, 3, 3, 10, 0), rule="RRULE:FREQ=WEEKLY")
    # Saved before the forms checked rules (an old row, a script).
    Event.objects.filter(pk=broken.pk).update(recurrence="RRULE:FREQ=MONTHLY;BYSETPOS=400;BYDAY=MO")
    fine.occurrences.all().delete()
    services.extend_horizon()
    assert fine.occurrences.exists()
    assert f"event {broken.pk} has a rule that cannot be expanded" in caplog.text


def test_dates_admin_cancel_move_restore(client, users):
    event = make_event(
        "Série Nord",
        bassins=["nord"],
        start=local(2027, 3, 2, 10, 0),
        rule="RRULE:FREQ=WEEKLY;COUNT=3",
    )
    rids = list(event.occurrences.order_by("start").values_list("recurrence_id", flat=True))
    client.force_login(users["nord"])
    url = f"/admin/events/{event.pk}/dates/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "cancel", "recurrence_id": rids[0].isoformat(), "note_fr": "Grève"})
    client.post(
        url,
        {
            "action": "move",
            "recurrence_id": rids[1].isoformat(),
            "start": "2027-03-10T15:00",
            "end": "2027-03-10T17:00",
        },
    )
    rows = list(event.occurrences.order_by("recurrence_id"))
    assert rows[0].status == "cancelled" and rows[0].note_fr == "Grève"
    assert rows[1].status == "moved" and rows[1].start == local(2027, 3, 10, 15, 0)
    client.post(url, {"action": "restore", "recurrence_id": rids[0].isoformat()})
    client.post(url, {"action": "cancel", "recurrence_id": "garbage"})
    # Dates at the calendar's edges: "unknown date" or a form error, never a 500.
    for edge in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
        response = client.post(url, {"action": "cancel", "recurrence_id": edge})
        assert response.status_code == 302, edge
    response = client.post(
        url,
        {
            "action": "move",
            "recurrence_id": rids[2].isoformat(),
            "start": "0001-01-01T00:00",
            "end": "0001-01-01T01:00",
        },
    )
    assert response.status_code == 302
    assert "Date hors limites" in client.get(url).content.decode()
    assert event.occurrences.get(recurrence_id=rids[2]).status == "confirmed"
    rows = list(event.occurrences.order_by("recurrence_id"))
    assert rows[0].status == "confirmed"
    event.refresh_from_db()
    assert event.sequence == 3


def test_preview_renders_unsaved_rule(client, users):
    client.force_login(users["nord"])
    response = client.post("/admin/snippets/events/event/preview/", form_data())
    assert response.status_code == 200
    assert response.json()["is_valid"] is True
    html = client.get("/admin/snippets/events/event/preview/").content.decode()
    assert "Atelier tabac" in html
    assert html.count('data-testid="occurrence"') == 3
