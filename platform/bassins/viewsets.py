"""Wagtail admin for the bassins' reference data and team members.

Reference data (bassins, communes, postal codes) is the regional team's: only
groups holding the model permissions (``ensure_team_groups`` gives them to the
regional group) see those menus. A bassin team manages the members of its *own*
bassin only: ``TeamMemberPermissionPolicy`` narrows every instance check and the
listing to the bassins whose team group the user belongs to.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Bassin, Commune, PostalCode, TeamMember
from .permissions import REGIONAL_GROUP, bassin_group_name


def bassin_ids_for(user) -> set[int] | None:
    """The bassins whose team ``user`` belongs to; None means every bassin (regional)."""
    if user.is_superuser:
        return None
    groups = set(user.groups.values_list("name", flat=True))
    if REGIONAL_GROUP in groups:
        return None
    return {b.pk for b in Bassin.objects.all() if bassin_group_name(b) in groups}


class TeamMemberPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the user's own bassin(s)."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        allowed = bassin_ids_for(user)
        return allowed is None or instance.bassin_id in allowed

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        allowed = bassin_ids_for(user)
        objects = self.model.objects.all()
        return objects if allowed is None else objects.filter(bassin_id__in=allowed)


team_member_permission_policy = TeamMemberPermissionPolicy(TeamMember)


class _OwnBassinOnly:
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not team_member_permission_policy.user_has_any_permission_for_instance(
            self.request.user, ["change", "delete", "view"], obj
        ):
            raise PermissionDenied
        return obj


class TeamMemberEditView(_OwnBassinOnly, snippet_views.EditView):
    pass


class TeamMemberDeleteView(_OwnBassinOnly, snippet_views.DeleteView):
    pass


class TeamMemberViewSet(SnippetViewSet):
    model = TeamMember
    icon = "group"
    menu_label = _("Équipes des bassins")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "role", "bassin", "email"]
    list_filter = ["bassin", "role"]
    search_fields = ["name"]
    edit_view_class = TeamMemberEditView
    delete_view_class = TeamMemberDeleteView

    def get_queryset(self, request):
        return team_member_permission_policy.instances_user_has_any_permission_for(
            request.user, ["change", "view", "delete"]
        ).select_related("bassin")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        viewset = self

        class OwnBassinForm(form_class):
            """A bassin team can only file people under its own bassin(s)."""

            def __init__(self, *args, for_user=None, **kwargs):
                super().__init__(*args, for_user=for_user, **kwargs)
                allowed = bassin_ids_for(for_user) if for_user else None
                if allowed is not None and "bassin" in self.fields:
                    self.fields["bassin"].queryset = Bassin.objects.filter(pk__in=allowed)
                    self.fields["bassin"].required = True

        OwnBassinForm.__name__ = f"{viewset.model.__name__}OwnBassinForm"
        return OwnBassinForm


class BassinViewSet(ModelViewSet):
    model = Bassin
    icon = "site"
    list_display = ["name_fr", "name_nl", "population", "helpdesk_phone"]
    form_fields = [
        "name_fr",
        "name_nl",
        "population",
        "population_date",
        "cpps_target",
        "helpdesk_phone",
        "helpdesk_email",
        "helpdesk_hours_fr",
        "helpdesk_hours_nl",
        "priority_themes_fr",
        "priority_themes_nl",
    ]
    inspect_view_enabled = True


class CommuneViewSet(ModelViewSet):
    model = Commune
    icon = "home"
    list_display = ["name_fr", "name_nl", "slug"]
    form_fields = ["name_fr", "name_nl"]
    search_fields = ["name_fr", "name_nl"]


class PostalCodeViewSet(ModelViewSet):
    model = PostalCode
    icon = "pick"
    list_display = ["code", "name_fr", "name_nl", "suggested_bassin"]
    form_fields = [
        "name_fr",
        "name_nl",
        "communes",
        "suggested_bassin",
        "candidate_bassins",
        "note_fr",
        "note_nl",
    ]
    search_fields = ["code", "name_fr", "name_nl"]


class ReferenceDataGroup(ModelViewSetGroup):
    menu_label = _("Données de référence")
    menu_icon = "cogs"
    menu_order = 900
    items = (
        BassinViewSet("reference_bassins"),
        CommuneViewSet("reference_communes"),
        PostalCodeViewSet("reference_postal_codes"),
    )
