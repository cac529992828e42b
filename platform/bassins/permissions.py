"""Wagtail groups: one per bassin team (its own subtree only) and a regional team.

Each group is tied to its bassin by a ``BassinTeam`` row; the names below are only
those given to groups created here, and an operator may rename them freely.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import Bassin, BassinPage, BassinTeam, HomePage

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
IMAGE_DOC_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)
REGIONAL_TEAM_NAME = "Équipe régionale"
# Reference data is regional: only the regional team edits bassins, communes, postal codes.
REGIONAL_ONLY_PERMISSIONS = [
    ("bassins", f"{action}_{model}")
    for model in ("bassin", "commune", "postalcode")
    for action in ("view", "change")
] + [("bassins", "add_postalcode"), ("bassins", "add_commune")]


def default_team_name(bassin: Bassin) -> str:
    """The name given to a bassin's team group when it is created (not read afterwards)."""
    return f"Équipe bassin {bassin.name_fr}"


def ensure_team(bassin: Bassin | None) -> tuple[Group, bool]:
    """The group of ``bassin``'s team (the regional team for None), created if missing.
    A bassin with a separate helpdesk group keeps its main team here."""
    team = (
        BassinTeam.objects.filter(bassin=bassin)
        .select_related("group")
        .order_by("is_helpdesk", "pk")
        .first()
    )
    if team is not None:
        return team.group, False
    name = REGIONAL_TEAM_NAME if bassin is None else default_team_name(bassin)
    group, created = Group.objects.get_or_create(name=name)
    BassinTeam.objects.create(group=group, bassin=bassin)
    return group, True


def _page_permissions():
    return list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )


def _grant_pages(group: Group, pages, permissions) -> int:
    changes = 0
    for page in pages:
        for permission in permissions:
            _, created = GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=permission
            )
            changes += created
    return changes


def _grant_common(group: Group) -> int:
    changes = 0
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    if not group.permissions.filter(pk=admin_access.pk).exists():
        group.permissions.add(admin_access)
        changes += 1
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for app_label, codename in IMAGE_DOC_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        _, created = GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )
        changes += created
    return changes


def extra_group_permissions() -> list[tuple[str, str]]:
    """Model permissions that other apps want bassin teams to have (app_label, codename)."""

    wanted: list[tuple[str, str]] = [
        ("bassins", "add_teammember"),
        ("bassins", "change_teammember"),
        ("bassins", "view_teammember"),
        ("bassins", "delete_teammember"),
    ]
    for config in apps.get_app_configs():
        wanted += list(getattr(config, "team_permissions", []))
    return wanted


def extra_regional_permissions() -> list[tuple[str, str]]:
    """Model permissions that other apps give the regional team only (app_label, codename)."""
    wanted: list[tuple[str, str]] = []
    for config in apps.get_app_configs():
        wanted += list(getattr(config, "regional_permissions", []))
    return wanted


def ensure_team_groups() -> int:
    """Create or complete the groups. Returns the number of grants added."""
    changes = 0
    page_permissions = _page_permissions()
    extra = []
    for app_label, codename in extra_group_permissions():
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission:
            extra.append(permission)

    for bassin in Bassin.objects.all():
        group, created = ensure_team(bassin)
        changes += created
        changes += _grant_pages(group, BassinPage.objects.filter(bassin=bassin), page_permissions)
        changes += _grant_common(group)
        missing = [p for p in extra if not group.permissions.filter(pk=p.pk).exists()]
        group.permissions.add(*missing)
        changes += len(missing)

    regional, created = ensure_team(None)
    changes += created
    changes += _grant_pages(regional, HomePage.objects.all(), page_permissions)
    changes += _grant_common(regional)
    regional_extra = extra + [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in REGIONAL_ONLY_PERMISSIONS
    ]
    for app_label, codename in extra_regional_permissions():
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission:
            regional_extra.append(permission)
    missing = [p for p in regional_extra if not regional.permissions.filter(pk=p.pk).exists()]
    regional.permissions.add(*missing)
    changes += len(missing)
    return changes
