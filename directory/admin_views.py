"""Wagtail admin screens of the teams: change review (diffs), the to-do list of entries to
follow up, the spreadsheet import."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bassins.rights import bassin_rights
from core.params import BadParameter, page_param

from . import services, spreadsheet
from .models import ChangeRequest, ListingRequest, Organisation
from .queries import organisations_to_follow_up
from .scopes import CHANGE_REQUEST_SCOPE, LISTING_SCOPE, ORGANISATION_SCOPE

REVIEW_PERMISSION = "directory.review_changerequest"
TODO_PER_PAGE = 50


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


def follow_up_list(request):
    """The bassin team's to-do list: its organisations without maintainer or overdue for
    verification (``?bassin=<slug>`` narrows it to one of the user's bassins)."""
    user = request.user
    if not (user.is_superuser or user.has_perm("directory.change_organisation")):
        raise PermissionDenied
    try:
        page_number = page_param(request.GET)
    except BadParameter as error:
        return TemplateResponse(
            request, "directory/admin/follow_up.html", {"error": str(error)}, status=400
        )
    bassins = list(bassin_rights(user).bassins().order_by("name_fr"))
    chosen = next((b for b in bassins if b.slug == request.GET.get("bassin")), None)
    organisations = ORGANISATION_SCOPE.filter(Organisation.objects.all(), user)
    if chosen is not None:
        organisations = organisations.filter(services__area_bassins=chosen).distinct()
    page = Paginator(organisations_to_follow_up(organisations), TODO_PER_PAGE).get_page(page_number)
    return TemplateResponse(
        request,
        "directory/admin/follow_up.html",
        {"page_obj": page, "bassins": bassins, "chosen": chosen},
    )


# --- Spreadsheet import (CSV / XLSX) ---------------------------------------------------

IMPORT_PERMISSION = "directory.change_service"
PENDING_IMPORT_SECONDS = 3600


def _may_import(user) -> None:
    if not (user.is_superuser or user.has_perm(IMPORT_PERMISSION)):
        raise PermissionDenied


def _sheet(name: str) -> str:
    if name not in spreadsheet.SHEETS:
        raise Http404
    return name


def _import_page(request, sheet: str, context: dict, status: int = 200) -> TemplateResponse:
    context = {
        "max_mb": spreadsheet.max_upload_bytes() // 1_000_000,
        "sheet": sheet,
        "sheets": list(spreadsheet.SHEETS),
        **context,
    }
    return TemplateResponse(request, "directory/admin/import.html", context, status=status)


def import_template(request, file_format: str, sheet: str = "services"):
    """The spreadsheet to fill in: the user's records of ``sheet``, headers in their
    language."""
    _may_import(request.user)
    sheet = _sheet(sheet)
    if file_format not in spreadsheet.FORMATS:
        raise Http404
    content = spreadsheet.template_file(
        request.user, file_format, get_language() or "fr", sheet=sheet
    )
    response = HttpResponse(content, content_type=spreadsheet.FORMATS[file_format])
    filename = spreadsheet.SHEETS[sheet].FILENAME
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


@require_http_methods(["GET", "POST"])
def import_upload(request, sheet: str = "services"):
    """Upload, then the preview: new / updated / unchanged / refused, row by row."""
    _may_import(request.user)
    sheet = _sheet(sheet)
    if request.method != "POST":
        return _import_page(request, sheet, {})
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, sheet, {"error": _("Choisissez un fichier CSV ou XLSX.")}, 400)
    if upload.size > spreadsheet.max_upload_bytes():
        error = _("Fichier trop volumineux : %(max)s Mo au plus.") % {
            "max": spreadsheet.max_upload_bytes() // 1_000_000
        }
        return _import_page(request, sheet, {"error": error}, 413)
    file_format = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    content = upload.read()
    try:
        dataset = spreadsheet.read_dataset(content, file_format, sheet=sheet)
    except spreadsheet.SpreadsheetError as error:
        return _import_page(request, sheet, {"error": str(error)}, 400)
    outcome = spreadsheet.preview(dataset, request.user, sheet=sheet)
    key = ""
    if outcome.ok:
        key = uuid.uuid4().hex
        cache.set(
            f"directory-import:{key}",
            {"user": request.user.pk, "format": file_format, "content": content, "sheet": sheet},
            PENDING_IMPORT_SECONDS,
        )
    return _import_page(
        request,
        sheet,
        {"outcome": outcome, "key": key, "filename": upload.name[:200]},
        200 if outcome.ok else 400,
    )


@require_POST
def import_confirm(request):
    """Apply the previewed file: all rows or none. A second click finds nothing to do."""
    _may_import(request.user)
    key = request.POST.get("key", "")
    pending = cache.get(f"directory-import:{key}") if key.isalnum() and len(key) == 32 else None
    if pending is None or pending["user"] != request.user.pk:
        return _import_page(
            request,
            "services",
            {"error": _("Cet import est déjà fait ou a expiré : envoyez le fichier à nouveau.")},
            400,
        )
    sheet = pending.get("sheet", "services")
    if not cache.delete(f"directory-import:{key}"):
        return _import_page(request, sheet, {"error": _("Cet import est déjà fait.")}, 400)
    dataset = spreadsheet.read_dataset(pending["content"], pending["format"], sheet=sheet)
    outcome = spreadsheet.apply(dataset, request.user, sheet=sheet)
    if not outcome.ok:
        return _import_page(request, sheet, {"outcome": outcome, "applied": False}, 400)
    messages.success(
        request,
        _("Import fait : %(new)s créé(s), %(update)s modifié(s), %(skip)s inchangé(s).")
        % outcome.totals,
    )
    return redirect("directory_import_sheet", sheet)


# --- Self-listing requests -----------------------------------------------------------

LISTING_PERMISSION = "directory.add_organisation"


def moderatable_listings(user):
    """Listing requests this user moderates: their bassins', all for the regional team."""
    if not (user.is_superuser or user.has_perm(LISTING_PERMISSION)):
        raise PermissionDenied
    return LISTING_SCOPE.filter(ListingRequest.objects.prefetch_related("bassins"), user)


def listing_list(request):
    status = request.GET.get("status", ListingRequest.Status.PENDING)
    if status not in ListingRequest.Status.values:
        status = ListingRequest.Status.PENDING
    try:
        page_number = page_param(request.GET)
    except BadParameter as error:
        raise BadRequest(str(error)) from error
    listings = moderatable_listings(request.user).filter(status=status)
    return TemplateResponse(
        request,
        "directory/admin/listing_list.html",
        {
            "page_obj": Paginator(listings, TODO_PER_PAGE).get_page(page_number),
            "status": status,
            "statuses": ListingRequest.Status.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def listing_detail(request, pk):
    listing = get_object_or_404(moderatable_listings(request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve" and listing.status == ListingRequest.Status.PENDING:
            organisation = services.approve_listing(listing, request.user)
            messages.success(
                request,
                _("Organisation « %(name)s » créée et publiée.") % {"name": organisation},
            )
            return redirect("wagtailsnippets_directory_organisation:edit", organisation.pk)
        if action == "reject":
            reason = request.POST.get("reason", "").strip()[:2000]
            if not reason:
                messages.error(request, _("Indiquez la raison du refus : elle est envoyée."))
                return redirect("directory_admin_listing", pk=listing.pk)
            services.reject_listing(listing, reason, request.user)
            messages.success(request, _("Demande refusée."))
        return redirect("directory_admin_listings")
    return TemplateResponse(request, "directory/admin/listing_detail.html", {"listing": listing})
