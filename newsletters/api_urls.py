"""Language-neutral Info Prévention Santé endpoints: one-click unsubscribe, RSS feeds."""

from django.urls import path

from . import feeds, views

app_name = "newsletters-api"
urlpatterns = [
    path(
        "info-prevention/desinscription/<str:token>/",
        views.one_click_unsubscribe,
        name="unsubscribe",
    ),
    path("info-prevention/<str:language>/rss.xml", feeds.IssueFeed(), name="feed"),
    path(
        "info-prevention/<str:language>/<slug:bassin>/rss.xml",
        feeds.IssueFeed(),
        name="bassin_feed",
    ),
]
