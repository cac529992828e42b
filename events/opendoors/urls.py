"""events.opendoors URLs for people (mounted under /fr/ and /nl/)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "opendoors"
urlpatterns = [
    path("", views.week_list, name="week_list"),
    path(
        pgettext_lazy("url", "inscription/confirmer/<str:token>/"),
        views.confirm_registration,
        name="confirm",
    ),
    path(
        pgettext_lazy("url", "inscription/modifier/<str:token>/"),
        views.edit_registration,
        name="edit",
    ),
    path(
        pgettext_lazy("url", "reservation/<str:token>/"),
        views.manage_booking,
        name="manage_booking",
    ),
    path(pgettext_lazy("url", "hote/<str:token>/"), views.host_attendees, name="host"),
    path(
        pgettext_lazy("url", "hote/<str:token>/participants.csv"),
        views.host_attendees_csv,
        name="host_csv",
    ),
    path(
        pgettext_lazy("url", "agenda/organisateur/<str:token>/"),
        views.organiser_attendees,
        name="organiser",
    ),
    path(
        pgettext_lazy("url", "agenda/organisateur/<str:token>/inscriptions.csv"),
        views.organiser_attendees_csv,
        name="organiser_csv",
    ),
    path(pgettext_lazy("url", "avis/<str:token>/"), views.appreciation, name="appreciation"),
    path("<slug:slug>/", views.programme, name="programme"),
    path(
        pgettext_lazy("url", "<slug:slug>/imprimer/"),
        views.programme,
        {"printable": True},
        name="programme_print",
    ),
    path(pgettext_lazy("url", "<slug:slug>/inscription/"), views.register, name="register"),
    path(pgettext_lazy("url", "<slug:slug>/reserver/<int:slot_id>/"), views.book, name="book"),
]
