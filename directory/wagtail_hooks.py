"""Directory in the Wagtail admin: entries, decision tree, glossary, change review."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import DecisionQuestion, GlossaryTerm, Location, Organisation, Service


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name_fr", "last_verified"]
    search_fields = ["name_fr", "name_nl"]


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "list-ul"
    list_display = ["name_fr", "organisation", "is_help_line", "last_verified"]
    list_filter = ["is_help_line"]
    search_fields = ["name_fr", "name_nl"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    list_display = ["address", "postal_code", "organisation", "suggested_bassin", "bassin"]


class DecisionQuestionViewSet(SnippetViewSet):
    model = DecisionQuestion
    icon = "help"
    list_display = ["text_fr", "is_root"]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "doc-full"
    list_display = ["term_fr", "term_nl"]


register_snippet(OrganisationViewSet)
register_snippet(ServiceViewSet)
register_snippet(LocationViewSet)
register_snippet(DecisionQuestionViewSet)
register_snippet(GlossaryTermViewSet)


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
