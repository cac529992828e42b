"""Wagtail admin for the bassins' reference data and team members.

Reference data (bassins, communes, postal codes) is the regional team's: only
groups holding the model permissions (``ensure_team_groups`` gives them to the
regional group) see those menus. A bassin team manages the members of its *own*
bassin only. ``BassinScopedViewSetMixin`` and ``BassinScopedPermissionPolicy`` are
the one way every app's per-bassin admin (team members, open-door weeks, events,
directory entries) narrows listings, object views and forms to the user's bassins
(``bassins.rights``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Bassin, BassinTeam, Commune, PostalCode, TeamMember
from .rights import BassinScope, bassin_rights


class YesNoColumn(Column):
    """A yes/no field of an admin listing, read as a word in the admin's language
    ("Publiée : oui", "Gepubliceerd: ja"). Wagtail's default shows an icon whose only
    text is "True" or "False", in English whatever the language."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return "—"
        return pgettext("admin listing", "oui") if value else pgettext("admin listing", "non")


class BassinScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the objects of the user's bassins."""

    def __init__(self, model, scope: BassinScope, **kwargs):
        super().__init__(model, **kwargs)
        self.scope = scope

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.scope.allows(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.scope.filter(self.model.objects.all(), user)


class BassinScopedObjectMixin:
    """Refuses every view of one object (edit, delete, history, usage, copy, inspect,
    revisions, ...) when the object is not in the user's bassins."""

    bassin_scope: BassinScope

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not self.bassin_scope.allows(self.request.user, obj):
            raise PermissionDenied
        return obj


class BassinScopedListingMixin:
    """Lists (and counts) only the objects of the user's bassins."""

    bassin_scope: BassinScope

    def get_base_queryset(self):
        return self.bassin_scope.filter(super().get_base_queryset(), self.request.user)


class BassinScopedViewSetMixin:
    """For a ``ModelViewSet`` or ``SnippetViewSet`` of per-bassin objects: the listing
    shows the user's bassins only, every view of one object refuses the others, and
    the form offers only the user's bassins (so nobody creates for another bassin).

    ``bassin_scope`` says how an object belongs to bassins; ``bassin_form_field``
    names the form field to narrow (None: the object's bassins are not edited here).
    """

    bassin_scope = BassinScope(("bassin",))
    bassin_form_field: str | None = "bassin"

    def construct_view(self, view_class, **kwargs):
        if hasattr(view_class, "get_object"):
            view_class = type(
                view_class.__name__,
                (BassinScopedObjectMixin, view_class),
                {"bassin_scope": self.bassin_scope},
            )
        elif hasattr(view_class, "get_base_queryset"):
            view_class = type(
                view_class.__name__,
                (BassinScopedListingMixin, view_class),
                {"bassin_scope": self.bassin_scope},
            )
        return super().construct_view(view_class, **kwargs)

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        field_name = self.bassin_form_field

        class OwnBassinsForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for_user = kwargs.get("for_user")
                rights = bassin_rights(for_user) if for_user else None
                if rights and not rights.regional and field_name in self.fields:
                    self.fields[field_name].queryset = rights.bassins()
                    self.fields[field_name].required = True

        OwnBassinsForm.__name__ = f"{self.model.__name__}OwnBassinsForm"
        return OwnBassinsForm


class TeamMemberViewSet(BassinScopedViewSetMixin, SnippetViewSet):
    model = TeamMember
    icon = "group"
    menu_label = _("Équipes des bassins")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "role", "bassin", "email"]
    list_filter = ["bassin", "role"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return TeamMember.objects.select_related("bassin")


team_member_permission_policy = BassinScopedPermissionPolicy(TeamMember, BassinScope(("bassin",)))


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


class BassinTeamViewSet(ModelViewSet):
    """Which group acts for which bassin. Only holders of the model permissions
    (superusers by default) see it: it grants rights."""

    model = BassinTeam
    icon = "group"
    list_display = ["group", "bassin", "is_helpdesk"]
    form_fields = ["group", "bassin", "is_helpdesk"]


class ReferenceDataGroup(ModelViewSetGroup):
    menu_label = _("Données de référence")
    menu_icon = "cogs"
    menu_order = 900
    items = (
        BassinViewSet("reference_bassins"),
        CommuneViewSet("reference_communes"),
        PostalCodeViewSet("reference_postal_codes"),
        BassinTeamViewSet("reference_bassin_teams"),
    )
