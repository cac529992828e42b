"""events.opendoors URLs for people (mounted under /fr/ and /nl/)."""

from django.urls import path  # noqa: F401

app_name = "opendoors"
urlpatterns: list = []
