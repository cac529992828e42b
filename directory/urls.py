"""directory URLs for people (mounted under /fr/ and /nl/)."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("organisation/<slug:slug>/", views.organisation, name="organisation"),
    path("organisation/<slug:slug>/signaler/", views.report_error, name="report_error"),
    path("quelle-ligne/", views.decision_tree, name="decision_tree"),
    path("lexique/", views.glossary, name="glossary"),
    path("ma-liste/", views.my_list, name="my_list"),
    path("ma-liste/ajouter/", views.my_list_add, name="my_list_add"),
    path("ma-liste/retirer/", views.my_list_remove, name="my_list_remove"),
    path("ma-liste.csv", views.my_list_csv, name="my_list_csv"),
    path("modifier/<str:token>/", views.edit_entry, name="edit_entry"),
]
