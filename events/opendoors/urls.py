"""events.opendoors URLs for people (mounted under /fr/ and /nl/)."""

from django.urls import path

from . import views

app_name = "opendoors"
urlpatterns = [
    path("", views.week_list, name="week_list"),
    path("inscription/confirmer/<str:token>/", views.confirm_registration, name="confirm"),
    path("inscription/modifier/<str:token>/", views.edit_registration, name="edit"),
    path("reservation/<str:token>/", views.manage_booking, name="manage_booking"),
    path("hote/<str:token>/", views.host_attendees, name="host"),
    path("hote/<str:token>/participants.csv", views.host_attendees_csv, name="host_csv"),
    path("avis/<str:token>/", views.appreciation, name="appreciation"),
    path("<slug:slug>/", views.programme, name="programme"),
    path("<slug:slug>/imprimer/", views.programme, {"printable": True}, name="programme_print"),
    path("<slug:slug>/inscription/", views.register, name="register"),
    path("<slug:slug>/reserver/<int:slot_id>/", views.book, name="book"),
]
