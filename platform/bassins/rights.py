"""Which bassins a user may act on: the one answer every app asks for.

A user acts for the bassins of the ``BassinTeam`` rows of their groups; a member of
a regional team (a team without bassin) and a superuser act for every bassin. Apps
narrow their querysets with ``bassin_rights(user).filter(queryset, "bassin")`` and
check one object with ``allows`` / ``allows_any``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from .models import Bassin, BassinTeam


@dataclass(frozen=True)
class BassinRights:
    """``regional``: every bassin, and region-wide objects; else ``bassin_ids`` only."""

    regional: bool
    bassin_ids: frozenset[int]

    def allows(self, bassin: Bassin | int | None) -> bool:
        """May act on this bassin. ``None`` (a region-wide object) is the regional team's."""
        if self.regional:
            return True
        if bassin is None:
            return False
        return (bassin if isinstance(bassin, int) else bassin.pk) in self.bassin_ids

    def allows_any(self, bassins: Iterable[Bassin | int]) -> bool:
        """May act on an object shared by ``bassins`` (empty: region-wide)."""
        if self.regional:
            return True
        ids = {b if isinstance(b, int) else b.pk for b in bassins}
        return bool(ids & self.bassin_ids)

    def filter(self, queryset: QuerySet, lookup: str = "bassin") -> QuerySet:
        """``queryset`` narrowed to rows whose ``lookup`` is one of the user's bassins."""
        if self.regional:
            return queryset
        return queryset.filter(**{f"{lookup}__in": sorted(self.bassin_ids)})

    def bassins(self) -> QuerySet[Bassin]:
        return self.filter(Bassin.objects.all(), "pk")


NO_RIGHTS = BassinRights(regional=False, bassin_ids=frozenset())


def _rights_of_teams(user, teams: QuerySet[BassinTeam]) -> BassinRights:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_RIGHTS
    if user.is_superuser:
        return BassinRights(regional=True, bassin_ids=frozenset())
    bassin_ids = list(teams.filter(group__user=user).values_list("bassin_id", flat=True))
    return BassinRights(
        regional=None in bassin_ids,
        bassin_ids=frozenset(pk for pk in bassin_ids if pk is not None),
    )


def bassin_rights(user) -> BassinRights:
    """The bassins ``user`` may act on (anonymous and inactive users: none)."""
    return _rights_of_teams(user, BassinTeam.objects.all())


def helpdesk_rights(user) -> BassinRights:
    """The bassins whose helpdesk ``user`` holds: the ``BassinTeam`` rows of their
    groups marked ``is_helpdesk`` (a regional helpdesk team: every bassin)."""
    return _rights_of_teams(user, BassinTeam.objects.filter(is_helpdesk=True))


def team_groups(bassin: Bassin) -> QuerySet[Group]:
    """The groups acting for ``bassin`` (its own team(s), not the regional team)."""
    return Group.objects.filter(bassin_team__bassin=bassin)


def regional_groups() -> QuerySet[Group]:
    return Group.objects.filter(bassin_team__isnull=False, bassin_team__bassin__isnull=True)


def helpdesk_addresses(bassins: Iterable[Bassin]) -> list[str]:
    """Where to announce something the teams of ``bassins`` moderate (a proposal, a
    listing request): the bassins' helpdesk addresses."""
    return [b.helpdesk_email for b in bassins if b.helpdesk_email]


def regional_addresses() -> list[str]:
    """The addresses of the regional team's active members (for region-wide items)."""
    users = get_user_model().objects.filter(is_active=True, groups__in=regional_groups())
    return sorted({email for email in users.values_list("email", flat=True) if email})


@dataclass(frozen=True)
class BassinScope:
    """How an object belongs to bassins: one or more lookups to a ``Bassin`` foreign
    key or many-to-many (``"bassin"``, ``"week__bassin"``, ``"bassins"``). An object
    with no bassin on any lookup is region-wide: only the regional team acts on it,
    as on an object whose ``regional_flag`` lookup (a boolean) is true somewhere."""

    lookups: tuple[str, ...] = ("bassin",)
    regional_flag: str | None = None

    def is_regional(self, obj) -> bool:
        if not self.regional_flag:
            return False
        return any(_values_along(obj, self.regional_flag.split("__")))

    def bassin_ids_of(self, obj) -> set[int]:
        ids: set[int] = set()
        for lookup in self.lookups:
            ids |= _ids_along(obj, lookup.split("__"))
        return ids

    def allows(self, user, obj) -> bool:
        """May ``user`` act on ``obj``? An unsaved object is judged by its form."""
        if obj.pk is None:
            return True
        rights = bassin_rights(user)
        if rights.regional:
            return True
        return not self.is_regional(obj) and rights.allows_any(self.bassin_ids_of(obj))

    def filter(self, queryset: QuerySet, user) -> QuerySet:
        rights = bassin_rights(user)
        if rights.regional:
            return queryset
        ids = sorted(rights.bassin_ids)
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{f"{lookup}__in": ids})
        queryset = queryset.filter(condition)
        if self.regional_flag:
            queryset = queryset.exclude(**{self.regional_flag: True})
        return queryset.distinct()


def _values_along(obj, path: list[str]) -> list:
    """The values reached from ``obj`` along ``path`` (foreign keys and many-to-many)."""
    if obj is None:
        return []
    if not path:
        return [obj]
    value = getattr(obj, path[0], None)
    if hasattr(value, "all"):  # a related manager
        return [found for item in value.all() for found in _values_along(item, path[1:])]
    return _values_along(value, path[1:])


def _ids_along(obj, path: list[str]) -> set[int]:
    return {bassin.pk for bassin in _values_along(obj, path)}
