"""Which events a Wagtail user may edit and moderate.

An event belongs to one or more bassins (none: region-wide). A bassin team edits
the events of its bassin(s), the regional team and superusers edit every event, and
only they edit region-wide events. The bassins come from ``bassins.rights``.
"""

from __future__ import annotations

from bassins.rights import BassinScope, helpdesk_addresses

# ``EVENT_SCOPE.allows(user, event)``, ``EVENT_SCOPE.filter(queryset, user)``.
EVENT_SCOPE = BassinScope(("bassins",))


def team_emails(event) -> list[str]:
    """Where to announce a new proposal: the bassins' helpdesk addresses."""
    return helpdesk_addresses(event.bassins.all())
