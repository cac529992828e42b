"""The agenda's multiple choices are checkbox groups (no Ctrl-click), each box labelled
with the number of dates the page would list with that box alone ticked in its group,
counted in one query per group."""

import datetime
import re

import pytest
from django.utils import timezone

from events.queries import count_occurrences, facet_counts

from .factories import local, make_event

pytestmark = pytest.mark.django_db


def soon(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return local(day.year, day.month, day.day, hour, 0)


@pytest.fixture
def agenda(agenda_reference):
    make_event(
        "Série Nord",
        kind="formation",
        bassins=["nord"],
        start=soon(2),
        rule="RRULE:FREQ=WEEKLY;COUNT=3",
        themes=["tabac"],
    )
    make_event("Sud seul", kind="formation", bassins=["sud"], start=soon(3), themes=["alcool"])
    make_event("CAB Nord", kind="cab", bassins=["nord"], start=soon(4), themes=["tabac"])
    make_event("Régional", kind="car", start=soon(5))


def checkbox_counts(html: str, name: str) -> dict[str, int]:
    """{value: count} read from the labels of a checkbox group of the page."""
    found = {}
    for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S):
        box = re.search(rf'type="checkbox" name="{name}" value="([^"]+)"', label)
        number = re.search(r"\((\d+)\)\s*$", re.sub(r"<[^>]+>", "", label).strip())
        if box and number:
            found[box.group(1)] = int(number.group(1))
    return found


def test_each_box_shows_what_ticking_it_alone_would_list(client, agenda):
    start, end = soon(0, 0), soon(60, 0)
    params = {
        "start": start.date().isoformat(),
        "end": (end.date() - datetime.timedelta(days=1)).isoformat(),
    }
    html = client.get("/fr/agenda/", {**params, "kind": "formation"}).content.decode()
    kinds, themes, bassins = (checkbox_counts(html, n) for n in ("kind", "theme", "bassin"))
    # Other kinds keep their counts while "formation" is ticked (OR inside a group).
    assert kinds["formation"] == 4 and kinds["cab"] == 1 and kinds["car"] == 1
    assert kinds["autre"] == 0
    # Themes and bassins are counted within the ticked kind.
    assert themes["tabac"] == 3 and themes["alcool"] == 1 and themes["vaccination"] == 0
    # A bassin's count includes region-wide events, as its agenda does (none is a
    # formation here).
    assert bassins["nord"] == 3 and bassins["sud"] == 1
    for theme, shown in themes.items():
        assert shown == count_occurrences(start, end, kinds=["formation"], themes=[theme])
    listed = client.get("/fr/agenda/", {**params, "theme": "tabac", "kind": "formation"})
    assert listed.content.decode().count('data-testid="event-row"') == themes["tabac"]


def test_a_bassin_agenda_counts_its_events_and_the_regional_ones(client, agenda):
    html = client.get("/fr/agenda/nord/").content.decode()
    assert checkbox_counts(html, "bassin") == {}  # the bassin is the page, not a filter
    kinds = checkbox_counts(html, "kind")
    assert (kinds["formation"], kinds["cab"], kinds["car"]) == (3, 1, 1)


def test_the_month_view_counts_the_month(client, agenda):
    first = soon(2).date().replace(day=1)
    after = (first + datetime.timedelta(days=31)).replace(day=1)
    html = client.get("/nl/agenda/maand/", {"month": first.strftime("%Y-%m")}).content.decode()
    kinds = checkbox_counts(html, "kind")
    start, end = local(first.year, first.month, 1, 0, 0), local(after.year, after.month, 1, 0, 0)
    assert kinds == {kind: count_occurrences(start, end, kinds=[kind]) for kind in kinds}
    assert kinds["formation"] > 0


def test_one_query_per_facet_whatever_the_number_of_events(agenda, django_assert_num_queries):
    facets = {
        "bassin": ["nord", "sud", "centre-ouest"],
        "kind": ["formation", "cab"],
        "theme": ["tabac", "alcool", "vaccination"],
    }
    with django_assert_num_queries(3):
        few = facet_counts(soon(0, 0), soon(60, 0), facets, audience="professionals")
    for index in range(10):
        make_event(
            f"E{index}",
            kind="cab",
            bassins=["sud"],
            start=soon(6 + index),
            themes=["alcool"],
            rule="RRULE:FREQ=WEEKLY;COUNT=2",
        )
    with django_assert_num_queries(3):
        many = facet_counts(soon(0, 0), soon(60, 0), facets, audience="professionals")
    assert many["kind"]["cab"] == few["kind"]["cab"] + 20


@pytest.mark.parametrize(
    "path",
    [
        "/fr/agenda/",
        "/nl/agenda/maand/",
        "/fr/agenda/proposer/",
        "/fr/repertoire/",
        "/nl/info-preventie/inschrijving/",
        "/fr/",
    ],
)
def test_public_forms_have_no_ctrl_click_multiple_select(client, agenda, path):
    html = client.get(path).content.decode()
    assert re.search(r"<select[^>]*\bmultiple\b", html) is None
