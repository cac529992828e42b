"""directory language-neutral endpoints: JSON API and exports."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/directory/search", views.api_search, name="directory_api_search"),
    path(
        "api/directory/organisations/<uuid:public_id>",
        views.api_organisation,
        name="directory_api_organisation",
    ),
    path("api/directory/map.geojson", views.api_map, name="directory_api_map"),
    path("api/directory/export.csv", views.export_csv, name="directory_export_csv"),
    path("api/directory/export.json", views.export_json, name="directory_export_json"),
    path("api/directory/hsds.zip", views.export_hsds, name="directory_export_hsds"),
]
