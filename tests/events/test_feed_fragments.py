"""Feeds join each event's VEVENTs kept in the cache (events.feeds.render_feed): the
bytes are those of rendering every event, and any change of what a VEVENT is made of
renders that event again."""

import pytest
from django.core.cache import cache
from django.utils import translation

from events import feeds, services
from events.filters import AgendaSelection
from events.models import EventKind, OccurrenceStatus

from .factories import local, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_events(agenda_reference):
    return [
        make_event(
            "Série",
            kind="formation",
            bassins=["nord"],
            start=local(2026, 12, 2, 10, 0),
            rule="RRULE:FREQ=WEEKLY;COUNT=5",
        ),
        make_event("Unique", kind="cab", bassins=["nord"], start=local(2026, 12, 3, 14, 0)),
        make_event("Régional", kind="car", start=local(2026, 12, 4, 9, 0)),
    ]


def rendered_whole(selection, lang):
    with translation.override(lang):
        events = feeds.feed_events(selection)
        return feeds.render_calendar(events, feeds.calendar_name(selection, lang), lang)


def feed(selection, lang="fr"):
    with translation.override(lang):
        return feeds.render_feed(selection, lang)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_same_bytes_as_rendering_every_event(feed_events, lang):
    for selection in (
        AgendaSelection(),
        AgendaSelection(bassins=["nord"]),
        AgendaSelection(kinds=["cab"]),
    ):
        cache.clear()
        assert feed(selection, lang) == rendered_whole(selection, lang)  # rendered
        assert feed(selection, lang) == rendered_whole(selection, lang)  # from fragments


def test_an_unchanged_event_is_not_rendered_again(feed_events, monkeypatch):
    feed(AgendaSelection())
    rendered = []
    real = feeds.event_components
    monkeypatch.setattr(
        feeds, "event_components", lambda e, *a, **k: rendered.append(e.pk) or real(e, *a, **k)
    )
    feed(AgendaSelection())
    assert rendered == []
    event = feed_events[1]
    event.title_fr = "Unique renommé"
    services.save_event(event)
    assert b"Unique renomm" in feed(AgendaSelection())
    assert rendered == [event.pk]


def test_changes_of_dates_and_kinds_are_seen(feed_events):
    before = feed(AgendaSelection())
    series = feed_events[0]
    occurrence = series.occurrences.order_by("start")[1]
    occurrence.status = OccurrenceStatus.CANCELLED
    occurrence.is_exception = True
    occurrence.save()
    after = feed(AgendaSelection())
    assert after.count(b"STATUS:CANCELLED") == before.count(b"STATUS:CANCELLED") + 1
    assert after == rendered_whole(AgendaSelection(), "fr")
    kind = EventKind.objects.get(slug="cab")
    kind.name_fr = "Cellule d'appui renommée"
    kind.save()
    assert "Cellule d'appui renommée".encode() in feed(AgendaSelection()).replace(b"\r\n ", b"")
    occurrence.delete()
    assert feed(AgendaSelection()) == rendered_whole(AgendaSelection(), "fr")
