from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from bassins import views as bassin_views

from .localized_urls import APP_PREFIXES
from .openapi import openapi_document

# Language-neutral endpoints: machines (feeds, APIs, health) and the admin.
urlpatterns = [
    path("healthz", bassin_views.healthz, name="healthz"),
    path("api/bassins/lookup", bassin_views.api_lookup, name="bassins_lookup_api"),
    path("api/openapi.json", openapi_document, name="openapi"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("events.api_urls")),
    path("", include("events.opendoors.api_urls")),
    path("", include("directory.api_urls")),
    path("", include("newsletters.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Pages for people always carry the language: /fr/... and /nl/...
urlpatterns += i18n_patterns(
    path(APP_PREFIXES["trouver-mon-bassin"], bassin_views.find_bassin, name="find_bassin"),
    path(APP_PREFIXES["agenda"], include("events.urls")),
    path(APP_PREFIXES["portes-ouvertes"], include("events.opendoors.urls")),
    path(APP_PREFIXES["repertoire"], include("directory.urls")),
    path(APP_PREFIXES["info-prevention"], include("newsletters.urls")),
    path("echanges/", include("exchanges.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "bassins.views.page_not_found"
handler500 = "bassins.views.server_error"
