"""Who moderates and who answers as référent, for which bassins.

The one place the exchange space asks about staff rights; the bassins always come
from the shared rights model (``bassins.rights``: the ``BassinTeam`` rows of the
user's groups; the regional team and superusers act everywhere).

- Moderators: the bassins of the user's teams, for a user holding the Django
  permission ``exchanges.moderate_message`` (given to every bassin team's group).
- Référents: the bassins whose **helpdesk team** the user belongs to
  (``BassinTeam.is_helpdesk``). The role is the team's, not a per-user flag: adding
  someone to the helpdesk group makes them a référent, removing them ends it.
"""

from __future__ import annotations

from bassins.rights import BassinRights, bassin_rights, helpdesk_rights

ALL = None  # every bassin (regional team, superusers)

MODERATE = "exchanges.moderate_message"


def _is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def _scope(rights: BassinRights) -> set[int] | None:
    return ALL if rights.regional else set(rights.bassin_ids)


def moderated_bassin_ids(user) -> set[int] | None:
    """Ids of the bassins ``user`` moderates; ``ALL`` for every one, empty for none."""
    if not (_is_staff(user) and user.has_perm(MODERATE)):
        return set()
    return _scope(bassin_rights(user))


def referent_bassin_ids(user) -> set[int] | None:
    """Ids of the bassins whose référent requests ``user`` answers (their helpdesk
    teams); ``ALL`` for every one, empty for none."""
    if not _is_staff(user):
        return set()
    return _scope(helpdesk_rights(user))


def covers(scope: set[int] | None, bassin_id: int | None) -> bool:
    """Whether a scope from the functions above includes ``bassin_id`` (``None`` = a
    regional channel, covered by regional scopes only)."""
    if scope is ALL:
        return True
    return bassin_id is not None and bassin_id in scope
