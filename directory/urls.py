"""directory URLs for people (mounted under /fr/ and /nl/)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path(pgettext_lazy("url", "facile/"), views.easy, name="easy"),
    path(pgettext_lazy("url", "carte/"), views.map_view, name="map"),
    path(pgettext_lazy("url", "integrer/"), views.embed, name="embed"),
    path(
        pgettext_lazy("url", "organisation/<slug:slug>/"), views.organisation, name="organisation"
    ),
    path(
        pgettext_lazy("url", "organisation/<slug:slug>/signaler/"),
        views.report_error,
        name="report_error",
    ),
    path(pgettext_lazy("url", "quelle-ligne/"), views.decision_tree, name="decision_tree"),
    path(pgettext_lazy("url", "lexique/"), views.glossary, name="glossary"),
    path(pgettext_lazy("url", "ma-liste/"), views.my_list, name="my_list"),
    path(pgettext_lazy("url", "ma-liste/ajouter/"), views.my_list_add, name="my_list_add"),
    path(pgettext_lazy("url", "ma-liste/retirer/"), views.my_list_remove, name="my_list_remove"),
    path(pgettext_lazy("url", "ma-liste.csv"), views.my_list_csv, name="my_list_csv"),
    path(pgettext_lazy("url", "modifier/<str:token>/"), views.edit_entry, name="edit_entry"),
    path(
        pgettext_lazy("url", "disponibilite/<str:token>/"),
        views.availability,
        name="availability",
    ),
    path(pgettext_lazy("url", "inscrire/"), views.listing_request, name="listing_request"),
    path(pgettext_lazy("url", "inscrire/merci/"), views.listing_thanks, name="listing_thanks"),
    path(
        pgettext_lazy("url", "inscrire/confirmer/<str:token>/"),
        views.listing_confirm,
        name="listing_confirm",
    ),
]
