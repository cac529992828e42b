"""events URLs for people (mounted under /fr/agenda/ and /nl/agenda/)."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("mois/", views.agenda_month, name="month"),
    path("evenement/<int:pk>/", views.event_detail, name="event"),
    path("evenement/<int:pk>/ics/", views.event_ics, name="event_ics"),
    path("proposer/", views.propose, name="propose"),
    path("proposer/merci/", views.propose_thanks, name="propose_thanks"),
    path("proposer/confirmer/<str:token>/", views.propose_confirm, name="propose_confirm"),
    path("<slug:bassin_slug>/", views.agenda, name="bassin_agenda"),
    path("<slug:bassin_slug>/mois/", views.agenda_month, name="bassin_month"),
]
