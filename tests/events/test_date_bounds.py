"""Dates at the calendar's edges (year 1, year 9999) are refused with a clear 400 on
pages (the normal page shows the message), feeds and the API (JSON), never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db

EDGES = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]
MESSAGE = "Date hors limites"


@pytest.mark.parametrize("day", EDGES)
@pytest.mark.parametrize(
    "path", ["/fr/agenda/", "/fr/agenda/nord/", "/fr/agenda/mois/", "/fr/agenda/?period=week"]
)
def test_pages_answer_400_with_the_message_on_the_normal_page(client, agenda_reference, path, day):
    separator = "&" if "?" in path else "?"
    for param in ("start", "end"):
        response = client.get(f"{path}{separator}{param}={day}")
        assert response.status_code == 400, (path, param)
        html = response.content.decode()
        assert MESSAGE in html and "<form" in html  # the page, with its filter bar


@pytest.mark.parametrize("day", EDGES)
def test_api_answers_400_in_json(client, agenda_reference, day):
    for query in (f"start={day}&end=2026-01-10", f"start=2026-01-01&end={day}"):
        response = client.get(f"/api/events?{query}")
        assert response.status_code == 400
        assert MESSAGE in json.loads(response.content)["error"]


@pytest.mark.parametrize("day", EDGES)
def test_feeds_answer_400(client, agenda_reference, day):
    response = client.get(f"/feeds/agenda.ics?start={day}")
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_dates_inside_the_bounds_still_work(client, agenda_reference):
    assert client.get("/fr/agenda/?start=2000-01-01&end=2000-12-31").status_code == 200
    assert client.get("/api/events?start=2100-01-01&end=2100-12-31").status_code == 200
