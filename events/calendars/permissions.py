"""Which calendar sources a Wagtail user manages: those of their bassin(s), or all for
the regional team and superusers (``bassins.rights``, the same rule as events)."""

from __future__ import annotations

from bassins.rights import BassinScope
from bassins.viewsets import BassinScopedPermissionPolicy

from .models import CalendarSource

SOURCE_SCOPE = BassinScope(("bassins",))
source_permission_policy = BassinScopedPermissionPolicy(CalendarSource, SOURCE_SCOPE)
