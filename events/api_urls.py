"""events language-neutral endpoints (feeds, APIs)."""

from django.urls import path

from . import api

urlpatterns = [
    path("feeds/agenda.ics", api.ical_feed, name="events_feed"),
    path("feeds/agenda.rss", api.NewEventsFeed(), name="events_rss"),
    path("feeds/agenda.atom", api.NewEventsAtomFeed(), name="events_atom"),
    path("feeds/<slug:bassin_slug>.ics", api.ical_feed, name="events_bassin_feed"),
    path("api/events", api.api_events, name="events_api"),
]
