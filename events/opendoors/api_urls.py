"""events.opendoors language-neutral endpoints: the programme's iCal feed."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "portes-ouvertes/<slug:slug>/programme.ics",
        views.programme_ics,
        name="opendoors_programme_ics",
    ),
]
