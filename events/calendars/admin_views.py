"""Wagtail admin view: fetch one source now (the same task beat runs)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import CalendarSource
from .permissions import source_permission_policy
from .tasks import sync_calendar_source


@require_POST
def sync_now(request, pk: int):
    source = get_object_or_404(CalendarSource, pk=pk)
    if not source_permission_policy.user_has_permission_for_instance(
        request.user, "change", source
    ):
        raise PermissionDenied
    transaction.on_commit(lambda: sync_calendar_source.delay(source.pk))
    messages.success(
        request,
        _("Import de « %(name)s » demandé : rechargez la page dans un instant.")
        % {"name": source.name},
    )
    return redirect("wagtailsnippets_calendars_calendarsource:edit", source.pk)
