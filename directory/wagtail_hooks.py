"""Directory in the Wagtail admin: entries, decision tree, glossary, change review.

Who edits an entry (docs/directory.md, "Who edits what"): an entry whose area of
action is the whole Region, or that names no bassin, is regional: the regional team
edits it. Any other entry is edited by the teams of the bassins of its area of action
(``Service.area_bassins``); an organisation by the teams of its services' areas.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from bassins.rights import BassinScope
from bassins.viewsets import BassinScopedPermissionPolicy, BassinScopedViewSetMixin, YesNoColumn

from . import admin_views
from .models import (
    DecisionQuestion,
    GlossaryTerm,
    Location,
    Organisation,
    Service,
    SynonymGroup,
)

ORGANISATION_SCOPE = BassinScope(
    ("services__area_bassins",), regional_flag="services__area_whole_region"
)
SERVICE_SCOPE = BassinScope(("area_bassins",), regional_flag="area_whole_region")
LOCATION_SCOPE = BassinScope(
    ("organisation__services__area_bassins",),
    regional_flag="organisation__services__area_whole_region",
)
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
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm(admin_views.REVIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def directory_review_menu_item():
    return ReviewMenuItem(
        _("Modifications du répertoire"),
        reverse("directory_admin_changes"),
        icon_name="edit",
        order=250,
    )
