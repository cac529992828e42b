"""Wagtail admin screens: the moderation queue (reports, pre-moderated messages,
accounts to validate), the référent's queue and the moderation log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ids import parse_id

from . import queries, services
from .models import Member, ModerationAction


def _moderator(request) -> queries.Viewer:
    viewer = queries.viewer_for(request.user)
    if not viewer.is_moderator:
        raise PermissionDenied
    return viewer


def moderation_queue(request):
    viewer = _moderator(request)
    return TemplateResponse(
        request,
        "exchanges/admin/moderation.html",
        {
            "reports": queries.open_reports(viewer),
            "pending": queries.pending_messages(viewer),
            "members": queries.pending_members(viewer),
        },
    )


@require_POST
def moderation_act(request):
    viewer = _moderator(request)
    kind = request.POST.get("on")
    reason = request.POST.get("reason", "")[:2000]
    action = request.POST.get("action", "")
    try:
        pk = parse_id(request.POST.get("id", ""))
    except ValueError as error:
        raise Http404 from error
    try:
        if kind == "message":
            message = get_object_or_404(queries.pending_messages(viewer), pk=pk)
            services.moderate_message(viewer, message, action, reason, request.POST.get("body", ""))
        elif kind == "report":
            report = get_object_or_404(queries.open_reports(viewer), pk=pk)
            if action == "dismiss":
                services.dismiss_report(viewer, report, reason)
            else:
                services.moderate_message(viewer, report.message, action, reason)
        elif kind == "member":
            member = get_object_or_404(Member, pk=pk)
            if action == "validate":
                services.validate_member(request.user, member, viewer)
            else:
                services.moderate_member(viewer, member, action, reason)
        else:
            raise services.ExchangeError(_("Action inconnue."))
    except services.ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Décision enregistrée."))
    return redirect("exchanges_admin_moderation")


def referent_queue(request):
    viewer = queries.viewer_for(request.user)
    if not viewer.is_referent:
        raise PermissionDenied
    status = request.GET.get("status", "open")
    requests = queries.referent_requests(viewer)
    if status in ("open", "answered", "closed"):
        requests = requests.filter(status=status)
    return TemplateResponse(
        request,
        "exchanges/admin/referent_queue.html",
        {"requests": requests[:200], "status": status},
    )


def moderation_log(request):
    viewer = _moderator(request)
    actions = ModerationAction.objects.select_related("member", "channel")
    if viewer.moderated is not None:
        actions = actions.filter(channel__bassin__in=viewer.moderated) | actions.filter(
            member__bassins__in=viewer.moderated
        )
    return TemplateResponse(
        request, "exchanges/admin/log.html", {"actions": actions.distinct()[:300]}
    )
