"""Wagtail admin screens where bassin teams review change sets as diffs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bassins.rights import BassinScope

from . import services
from .models import ChangeRequest

REVIEW_PERMISSION = "directory.review_changerequest"
# The teams that edit the organisation review its change requests (wagtail_hooks).
CHANGE_REQUEST_SCOPE = BassinScope(
    ("organisation__services__area_bassins",),
    regional_flag="organisation__services__area_whole_region",
)


def reviewable(user):
    """Change requests this user may review: all for the regional team, else their bassin's."""
    if not (user.is_superuser or user.has_perm(REVIEW_PERMISSION)):
        raise PermissionDenied
    queryset = ChangeRequest.objects.select_related("organisation", "reviewed_by")
    return CHANGE_REQUEST_SCOPE.filter(queryset, user)


def change_list(request):
    status = request.GET.get("status", ChangeRequest.Status.PENDING)
    if status not in ChangeRequest.Status.values:
        status = ChangeRequest.Status.PENDING
    changes = reviewable(request.user).filter(status=status)[:200]
    return TemplateResponse(
        request,
        "directory/admin/change_list.html",
        {"changes": changes, "status": status, "statuses": ChangeRequest.Status.choices},
    )


@require_http_methods(["GET", "POST"])
def change_detail(request, pk):
    change = get_object_or_404(reviewable(request.user), pk=pk)
    if request.method == "POST" and change.status == ChangeRequest.Status.PENDING:
        note = request.POST.get("note", "")[:2000]
        if request.POST.get("action") == "approve":
            try:
                services.approve_change_request(change, request.user, note)
            except services.InvalidChange as invalid:
                for key, problems in invalid.errors.items():
                    messages.error(request, f"{key} : {' '.join(problems)}")
                return redirect("directory_admin_change", pk=change.pk)
            messages.success(
                request, _("Modifications appliquées et fiche marquée comme vérifiée.")
            )
        elif request.POST.get("action") == "reject":
            services.reject_change_request(change, request.user, note)
            messages.success(request, _("Demande refusée."))
        return redirect("directory_admin_changes")
    return TemplateResponse(
        request,
        "directory/admin/change_detail.html",
        {
            "change": change,
            "rows": services.change_rows(change) if change.status == "pending" else [],
        },
    )
