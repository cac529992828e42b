"""The project's URLs plus one plain Django view under the language prefix, to test
that the language switch keeps a non-Wagtail path and its query string."""

from django.conf.urls.i18n import i18n_patterns
from django.shortcuts import render
from django.urls import path

from maillage.urls import handler404, handler500  # noqa: F401
from maillage.urls import urlpatterns as project_urlpatterns


def plain_view(request, thing):
    return render(request, "base.html", {"thing": thing})


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = (
    i18n_patterns(
        path("essai/<slug:thing>/", plain_view, name="essai"),
        path("panne/", broken_view, name="panne"),
    )
    + project_urlpatterns
)
