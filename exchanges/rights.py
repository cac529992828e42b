"""Who moderates and who answers as référent, for which bassins.

The one place the exchange space asks about staff rights. The bassins come from the
shared rights model (``bassins.rights.bassin_rights``: the ``BassinTeam`` of the
user's groups; the regional team and superusers act everywhere) and the act itself is
a Django permission (``exchanges.moderate_message``,
``exchanges.answer_referentrequest``).
"""

from __future__ import annotations

from bassins.rights import bassin_rights

ALL = None  # every bassin (regional team, superusers)

MODERATE = "exchanges.moderate_message"
ANSWER = "exchanges.answer_referentrequest"


def _team_bassin_ids(user) -> set[int] | None:
    rights = bassin_rights(user)
    return ALL if rights.regional else set(rights.bassin_ids)


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
