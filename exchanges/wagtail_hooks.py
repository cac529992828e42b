"""The exchange space in the Wagtail admin: channels (created by bassin teams),
members, the moderation queue, the référent's queue and the moderation log."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from bassins.rights import BassinScope
from bassins.viewsets import BassinScopedPermissionPolicy, BassinScopedViewSetMixin

from . import admin_views, queries
from .models import Channel, Member

# A channel with a bassin is that bassin team's; a regional one (no bassin, any theme)
# is the regional team's.
CHANNEL_SCOPE = BassinScope(("bassin",))
register_permission_policy(Channel, BassinScopedPermissionPolicy(Channel, CHANNEL_SCOPE))


class ChannelViewSet(BassinScopedViewSetMixin, SnippetViewSet):
    """A bassin team creates and edits the channels of its own bassin(s) only; the
    regional team also the regional and theme-wide ones."""

    model = Channel
    bassin_scope = CHANNEL_SCOPE
    icon = "comment"
    list_display = ["name_fr", "bassin", "theme", "is_archived"]
    list_filter = ["bassin", "is_archived"]
    search_fields = ["name_fr", "name_nl"]
    menu_label = _("Canaux d'échange")


class MemberViewSet(SnippetViewSet):
    model = Member
    icon = "user"
    list_display = ["display_name", "organisation", "role", "status"]
    list_filter = ["status", "bassins"]
    search_fields = ["display_name", "organisation"]
    menu_label = _("Membres de l'espace d'échange")
    add_to_admin_menu = False
    inspect_view_enabled = True


register_snippet(ChannelViewSet)
register_snippet(MemberViewSet)


@hooks.register("register_admin_urls")
def exchanges_admin_urls():
    return [
        path(
            "echanges/moderation/",
            admin_views.moderation_queue,
            name="exchanges_admin_moderation",
        ),
        path(
            "echanges/moderation/agir/",
            admin_views.moderation_act,
            name="exchanges_admin_moderation_act",
        ),
        path("echanges/referent/", admin_views.referent_queue, name="exchanges_admin_referent"),
        path("echanges/journal/", admin_views.moderation_log, name="exchanges_admin_log"),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return queries.viewer_for(request.user).is_moderator


class ReferentMenuItem(MenuItem):
    def is_shown(self, request):
        return queries.viewer_for(request.user).is_referent


@hooks.register("register_admin_menu_item")
def exchanges_moderation_menu_item():
    return ModeratorMenuItem(
        _("Modération des échanges"),
        reverse("exchanges_admin_moderation"),
        icon_name="warning",
        order=260,
    )


@hooks.register("register_admin_menu_item")
def exchanges_referent_menu_item():
    return ReferentMenuItem(
        _("Demandes au référent"), reverse("exchanges_admin_referent"), icon_name="help", order=261
    )


@hooks.register("register_admin_menu_item")
def exchanges_log_menu_item():
    return ModeratorMenuItem(
        _("Journal de modération"), reverse("exchanges_admin_log"), icon_name="list-ul", order=262
    )
