"""Directory in the Wagtail admin: entries, decision tree, glossary, change review.

Who edits an entry (docs/directory.md, "Who edits what"): an entry whose area of
action is the whole Region, or that names no bassin, is regional: the regional team
edits it. Any other entry is edited by the teams of the bassins of its area of action
(``Service.area_bassins``); an organisation by the teams of its services' areas.
"""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from bassins.viewsets import BassinScopedPermissionPolicy, BassinScopedViewSetMixin, YesNoColumn

from . import admin_views, maps
from .models import (
    DecisionQuestion,
    GlossaryTerm,
    Location,
    Organisation,
    Service,
    SynonymGroup,
)
from .scopes import LOCATION_SCOPE, ORGANISATION_SCOPE, SERVICE_SCOPE

for _model, _scope in (
    (Organisation, ORGANISATION_SCOPE),
    (Service, SERVICE_SCOPE),
    (Location, LOCATION_SCOPE),
):
    register_permission_policy(_model, BassinScopedPermissionPolicy(_model, _scope))


class OrganisationViewSet(BassinScopedViewSetMixin, SnippetViewSet):
    model = Organisation
    bassin_scope = ORGANISATION_SCOPE
    bassin_form_field = None
    icon = "group"
    list_display = ["name_fr", "last_verified"]
    search_fields = ["name_fr", "name_nl"]


class ServiceViewSet(BassinScopedViewSetMixin, SnippetViewSet):
    model = Service
    bassin_scope = SERVICE_SCOPE
    bassin_form_field = "area_bassins"
    icon = "list-ul"
    list_display = [
        "name_fr",
        Column("organisation", label=_("Organisation")),
        YesNoColumn("is_help_line", label=_("Ligne d'aide et d'orientation")),
        "availability",
        "availability_date",
        "last_verified",
    ]
    list_filter = ["is_help_line", "availability"]
    search_fields = ["name_fr", "name_nl"]


class LocationViewSet(BassinScopedViewSetMixin, SnippetViewSet):
    model = Location
    bassin_scope = LOCATION_SCOPE
    bassin_form_field = None
    icon = "site"
    menu_label = _("Lieux")
    list_display = [
        "address",
        "postal_code",
        Column("organisation", label=_("Organisation")),
        Column("suggested_bassin", label=_("Bassin suggéré")),
        "bassin",
    ]


class DecisionQuestionViewSet(SnippetViewSet):
    model = DecisionQuestion
    icon = "help"
    list_display = ["text_fr", YesNoColumn("is_root", label=_("Première question"))]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "doc-full"
    list_display = ["term_fr", "term_nl"]


class SynonymGroupViewSet(SnippetViewSet):
    """The search's synonyms: regional (the regional team holds the model permissions,
    ``DirectoryConfig.regional_permissions``)."""

    model = SynonymGroup
    icon = "link"
    list_display = ["name", "terms_fr", "terms_nl"]
    search_fields = ["name", "terms_fr", "terms_nl"]


register_snippet(OrganisationViewSet)
register_snippet(ServiceViewSet)
register_snippet(LocationViewSet)
register_snippet(DecisionQuestionViewSet)
register_snippet(GlossaryTermViewSet)
register_snippet(SynonymGroupViewSet)


@hooks.register("register_admin_urls")
def directory_admin_urls():
    return [
        path("directory/changes/", admin_views.change_list, name="directory_admin_changes"),
        path(
            "directory/changes/<int:pk>/",
            admin_views.change_detail,
            name="directory_admin_change",
        ),
        path("directory/follow-up/", admin_views.follow_up_list, name="directory_follow_up"),
        path("directory/listings/", admin_views.listing_list, name="directory_admin_listings"),
        path(
            "directory/listings/<int:pk>/",
            admin_views.listing_detail,
            name="directory_admin_listing",
        ),
        path("directory/import/", admin_views.import_upload, name="directory_import"),
        path(
            "directory/import/confirm/",
            admin_views.import_confirm,
            name="directory_import_confirm",
        ),
        path(
            "directory/import/template.<str:file_format>",
            admin_views.import_template,
            name="directory_import_template",
        ),
        path(
            "directory/import/<str:sheet>/",
            admin_views.import_upload,
            name="directory_import_sheet",
        ),
        path(
            "directory/import/<str:sheet>/template.<str:file_format>",
            admin_views.import_template,
            name="directory_import_sheet_template",
        ),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm(admin_views.REVIEW_PERMISSION)


class FollowUpMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm("directory.change_organisation")


@hooks.register("register_admin_menu_item")
def directory_follow_up_menu_item():
    return FollowUpMenuItem(
        _("Fiches à suivre"), reverse("directory_follow_up"), icon_name="warning", order=251
    )


class ListingMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm(admin_views.LISTING_PERMISSION)


@hooks.register("register_admin_menu_item")
def directory_listing_menu_item():
    return ListingMenuItem(
        _("Demandes d'inscription"),
        reverse("directory_admin_listings"),
        icon_name="form",
        order=253,
    )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm(admin_views.IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def directory_import_menu_item():
    return ImportMenuItem(
        _("Importer un tableur"), reverse("directory_import"), icon_name="upload", order=252
    )


@hooks.register("register_admin_menu_item")
def directory_review_menu_item():
    return ReviewMenuItem(
        _("Modifications du répertoire"),
        reverse("directory_admin_changes"),
        icon_name="edit",
        order=250,
    )


@hooks.register("insert_global_admin_js")
def map_picker_js():
    """The coordinate picker on the Location form (it loads Leaflet only where a
    latitude/longitude pair is on the page)."""
    return format_html(
        '{}<script src="{}" defer></script>',
        json_script(maps.picker_settings(), "map-picker-settings"),
        static("directory/map-picker.js"),
    )
