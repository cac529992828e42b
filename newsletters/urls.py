"""Info Prévention Santé pages for people (mounted under /fr/info-prevention/ and /nl/...)."""

from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("inscription/", views.subscribe, name="subscribe"),
    path("inscription/merci/", views.subscribe_done, name="subscribe_done"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("preferences/", views.preferences_link, name="preferences_link"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("<slug:bassin>/inscription/", views.subscribe_bassin, name="subscribe_bassin"),
]
