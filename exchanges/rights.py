"""Who moderates and who answers as référent, for which bassins.

The one place the exchange space asks about staff rights. Today a bassin's team is
its Wagtail group (``bassins.permissions``) and the act itself is a Django
permission (``exchanges.moderate_message``, ``exchanges.answer_referentrequest``):
a user moderates the bassins whose team they belong to, the regional team and
superusers moderate everywhere. When the shared bassin-rights model lands in
``core``, only ``_team_bassin_ids`` changes.
"""

from __future__ import annotations

from bassins.models import Bassin
from bassins.permissions import REGIONAL_GROUP, bassin_group_name

ALL = None  # every bassin (regional team, superusers)

MODERATE = "exchanges.moderate_message"
ANSWER = "exchanges.answer_referentrequest"


def _team_bassin_ids(user) -> set[int] | None:
    if user.is_superuser:
        return ALL
    names = set(user.groups.values_list("name", flat=True))
    if REGIONAL_GROUP in names:
        return ALL
    return {b.pk for b in Bassin.objects.all() if bassin_group_name(b) in names}


def bassins_where(user, permission: str) -> set[int] | None:
    """Ids of the bassins where ``user`` holds ``permission``; ``ALL`` for every one,
    an empty set for none."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return set()
    if not user.has_perm(permission):
        return set()
    return _team_bassin_ids(user)


def moderated_bassin_ids(user) -> set[int] | None:
    return bassins_where(user, MODERATE)


def referent_bassin_ids(user) -> set[int] | None:
    return bassins_where(user, ANSWER)


def covers(scope: set[int] | None, bassin_id: int | None) -> bool:
    """Whether a scope from ``bassins_where`` includes ``bassin_id`` (``None`` = a
    regional channel, covered by regional scopes only)."""
    if scope is ALL:
        return True
    return bassin_id is not None and bassin_id in scope
