"""Which calendar sources a Wagtail user manages: those of their bassin(s), or all for
the regional team and superusers (``bassins.rights``, the same rule as events)."""

from __future__ import annotations

from bassins.rights import BassinScope

SOURCE_SCOPE = BassinScope(("bassins",))


def can_manage_source(user, source) -> bool:
    return SOURCE_SCOPE.allows(user, source)
