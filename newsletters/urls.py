"""Info Prévention Santé pages for people (mounted under /fr/info-prevention/ and /nl/...)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.archive, name="archive"),
    path(pgettext_lazy("url", "inscription/"), views.subscribe, name="subscribe"),
    path(pgettext_lazy("url", "inscription/merci/"), views.subscribe_done, name="subscribe_done"),
    path(pgettext_lazy("url", "confirmer/<str:token>/"), views.confirm, name="confirm"),
    path(pgettext_lazy("url", "preferences/"), views.preferences_link, name="preferences_link"),
    path(pgettext_lazy("url", "preferences/<str:token>/"), views.preferences, name="preferences"),
    path(
        pgettext_lazy("url", "<bassin:bassin>/inscription/"),
        views.subscribe_bassin,
        name="subscribe_bassin",
    ),
]
