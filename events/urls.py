"""events URLs for people (mounted under /fr/agenda/ and /nl/agenda/)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views
from .opendoors import views as booking_views

app_name = "events"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path(pgettext_lazy("url", "mois/"), views.agenda_month, name="month"),
    path(pgettext_lazy("url", "evenement/<int:pk>/"), views.event_detail, name="event"),
    path(pgettext_lazy("url", "evenement/<int:pk>/ics/"), views.event_ics, name="event_ics"),
    path(
        pgettext_lazy("url", "evenement/<int:pk>/inscription/<int:occurrence_id>/"),
        booking_views.register_for_occurrence,
        name="register",
    ),
    path(
        pgettext_lazy("url", "evenement/<int:pk>/inscription/"),
        booking_views.register_for_series,
        name="register_series",
    ),
    path(pgettext_lazy("url", "proposer/"), views.propose, name="propose"),
    path(pgettext_lazy("url", "proposer/merci/"), views.propose_thanks, name="propose_thanks"),
    path(
        pgettext_lazy("url", "proposer/confirmer/<str:token>/"),
        views.propose_confirm,
        name="propose_confirm",
    ),
    path(
        pgettext_lazy("url", "integrer/<bassin:bassin_slug>/"),
        views.agenda_embed,
        name="embed",
    ),
    path("<bassin:bassin_slug>/", views.agenda, name="bassin_agenda"),
    path(
        pgettext_lazy("url", "<bassin:bassin_slug>/mois/"), views.agenda_month, name="bassin_month"
    ),
]
