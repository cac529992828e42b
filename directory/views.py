"""Directory pages: thin views that parse input, call a query or a service, render."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.abuse import rate_limited, too_many_requests
from core.embed import embeddable
from core.http import redirect_back
from core.i18n import current_content_language
from core.ids import parse_id
from core.links import resolve_signed_link
from core.params import BadParameter, page_param, request_language
from core.proposals import proposal_confirmation_page, proposal_form_page

from . import exports, maps, pictograms, services
from .filters import ServiceFilter
from .forms import AvailabilityForm, EntryEditForm, ErrorReportForm, ListingRequestForm
from .geo import format_km
from .models import DecisionAnswer, DecisionQuestion, GlossaryTerm, Organisation, Service
from .queries import (
    FACETS,
    brussels_now,
    distance_km,
    is_open,
    next_closure,
    organisation_detail,
    public_holiday,
    service_display_queryset,
    verification_cutoff,
)
from .search_index import kept_part
from .sections import organisation_sections

PAGE_SIZE = 20
API_PAGE_SIZE = 50
FACET_TITLES = {
    "bassin": gettext_lazy("Bassin"),
    "commune": gettext_lazy("Commune d'action"),
    "theme": gettext_lazy("Thématique"),
    "public": gettext_lazy("Public"),
    "language": gettext_lazy("Langue"),
    "modality": gettext_lazy("Modalité de contact"),
}


def _page(queryset, size, number: int, count: int | None = None):
    """Page ``number`` of the results, clamped to the last one. ``count``: the number of
    results when the search already counted them (no second COUNT query)."""
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not queried
    return paginator.page(min(number, paginator.num_pages or 1))


def _decorate(services_page, now, origin=None):
    today = brussels_now(now).date()
    for service in services_page:
        service.open_state = is_open(service, now)
        service.closure = next_closure(service, today)
        if origin is not None:
            service.distance_label = format_km(distance_km(service, origin))
    return services_page


# Filters that describe *what* is searched (kept in map, list and embed links), as
# opposed to the page and the sort.
SELECTION_PARAMS = (
    "q",
    "bassin",
    "commune",
    "theme",
    "public",
    "language",
    "modality",
    "professionals",
    "open_now",
    "help_lines",
    "near",
    "lat",
    "lon",
)


def selection_query(query) -> str:
    """The query string of the search's selection (no page, no sort)."""
    kept = query.copy()
    for key in list(kept):
        if key not in SELECTION_PARAMS:
            del kept[key]
    return kept.urlencode()


def embed_snippet(request, query: str) -> str:
    """The <iframe> a partner pastes to show this selection on its own site."""
    url = settings.SITE_URL + reverse("directory:embed") + (f"?{query}" if query else "")
    title = _("Répertoire Maillage : services social-santé")
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="600" '
        'style="border:0" loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )


@require_GET
def search(request):
    filterset = ServiceFilter(request.GET)
    language = current_content_language()
    if not filterset.is_valid():
        return render(
            request,
            "directory/search.html",
            {"filter": filterset, "invalid": True, "facet_titles": FACET_TITLES},
            status=400,
        )
    try:
        number = page_param(request.GET)
    except BadParameter:
        number = 1  # a person's mangled link still shows the results
    now = timezone.now()
    result = filterset.search(language, now=now)
    page = _page(result.rows(), PAGE_SIZE, number, result.counts.get("total"))
    criteria = filterset.criteria()
    _decorate(page.object_list, now, criteria.origin)
    selection = selection_query(request.GET)
    facets = [
        (name, FACET_TITLES[name], result.facets[name]) for name in FACETS if result.facets[name]
    ]
    return render(
        request,
        "directory/search.html",
        {
            "filter": filterset,
            "criteria": criteria,
            "result": result,
            "page_obj": page,
            "facets": facets,
            "counts": result.counts,
            "my_list": services.my_list_ids(request.session),
            "cutoff": verification_cutoff(),
            "holiday": public_holiday(brussels_now(now).date(), language),
            "origin": criteria.origin,
            "selection": selection,
            "embed_snippet": embed_snippet(request, selection),
        },
    )


EMBED_MAX = 50


@embeddable
@require_GET
def embed(request):
    """A bassin's or a commune's local list (any search) for a partner's <iframe>: no
    cookie, no form, links open Maillage in a new tab."""
    filterset = ServiceFilter(request.GET)
    if not filterset.is_valid():
        context = {"filter": filterset, "invalid": True, "site_url": settings.SITE_URL}
        return render(request, "directory/embed.html", context, status=400)
    criteria = filterset.criteria()
    now = timezone.now()
    result = filterset.search(current_content_language(), now=now, with_facets=False)
    page = _page(result.rows(), EMBED_MAX, 1)
    _decorate(page.object_list, now, criteria.origin)
    selection = selection_query(request.GET)
    return render(
        request,
        "directory/embed.html",
        {
            "entries": page.object_list,
            "count": page.paginator.count,
            "site_url": settings.SITE_URL,
            "full_url": settings.SITE_URL
            + reverse("directory:search")
            + (f"?{selection}" if selection else ""),
            "criteria": criteria,
        },
    )


@require_GET
def map_view(request):
    """The map of a search: markers from ``api_map`` (same filters), the list of every
    marker under it, "near a postal code / near me"."""
    filterset = ServiceFilter(request.GET)
    if not filterset.is_valid():
        return render(
            request,
            "directory/map.html",
            {"filter": filterset, "invalid": True, "selection": ""},
            status=400,
        )
    criteria = filterset.criteria()
    selection = selection_query(request.GET)
    return render(
        request,
        "directory/map.html",
        {
            "filter": filterset,
            "criteria": criteria,
            "origin": criteria.origin,
            "selection": selection,
            "geojson_url": reverse("directory_api_map")
            + f"?{selection}{'&' if selection else ''}lang={current_content_language()}",
            "map": maps.map_settings(),
        },
    )


EASY_PAGE_SIZE = 10


@require_GET
def easy(request):
    """The easy directory: big pictograms to choose a theme, then few words, phone first.

    Same filters (``ServiceFilter``) and the same search as the full directory; the home
    shows one tile per category that has services (from the theme facet counts)."""
    filterset = ServiceFilter(request.GET)
    if not filterset.is_valid():
        return render(request, "directory/easy.html", {"invalid": True}, status=400)
    try:
        number = page_param(request.GET)
    except BadParameter:
        number = 1
    criteria = filterset.criteria()
    now = timezone.now()
    result = filterset.search(current_content_language(), now=now)
    chosen = bool(criteria.theme or criteria.q or criteria.help_lines or criteria.open_now)
    context = {
        "criteria": criteria,
        "categories": pictograms.categories_of_themes(
            v.key for v in result.facets["theme"] if v.count
        ),
        "counts": result.counts,
        "chosen": chosen,
        "help_line_picto": pictograms.PICTOGRAMS["help-line"],
    }
    if chosen:
        page = _page(result.rows(), EASY_PAGE_SIZE, number)
        _decorate(page.object_list, now)
        context["page_obj"] = page
        context["picto"] = pictograms.for_themes(criteria.theme) if criteria.theme else None
    return render(request, "directory/easy.html", context)


def organisation(request, slug):
    try:
        org = organisation_detail(slug)
    except Organisation.DoesNotExist as missing:
        raise Http404 from missing
    now = timezone.now()
    service_list = list(org.services.all())
    _decorate(service_list, now)
    return render(
        request,
        "directory/organisation.html",
        {
            "organisation": org,
            "services": service_list,
            "needs_verification": org.last_verified < verification_cutoff(),
            "my_list": services.my_list_ids(request.session),
            "sections": organisation_sections(org, request),
        },
    )


def _service_from_post(request):
    try:
        public_id = uuid.UUID(request.POST.get("service", ""))
    except ValueError:
        return None
    return (
        Service.objects.listed().filter(public_id=public_id).select_related("organisation").first()
    )


@require_POST
def my_list_add(request):
    service = _service_from_post(request)
    if service is None:
        return HttpResponseBadRequest(_("Cette fiche n'existe pas."))
    if services.add_to_my_list(request.session, service):
        messages.success(request, _("« %(name)s » est ajouté à ma liste.") % {"name": service})
    elif len(services.my_list_ids(request.session)) >= services.MY_LIST_MAX:
        messages.warning(request, _("Ma liste est pleine (50 fiches au maximum)."))
    return redirect_back(request, "directory:my_list")


@require_POST
def my_list_remove(request):
    services.remove_from_my_list(request.session, request.POST.get("service", ""))
    return redirect_back(request, "directory:my_list")


def _my_list_services(request):
    ids = services.my_list_ids(request.session)
    found = {
        str(s.public_id): s
        for s in service_display_queryset(Service.objects.listed().filter(public_id__in=ids))
    }
    return [found[i] for i in ids if i in found]


@require_GET
def my_list(request):
    entries = _my_list_services(request)
    _decorate(entries, timezone.now())
    printed = bool(request.GET.get("print"))
    context = {"entries": entries, "today": timezone.localdate()}
    if printed:
        context["places"] = maps.my_list_places(entries)
        context["map"] = maps.map_settings()
    template = "directory/my_list_print.html" if printed else "directory/my_list.html"
    return render(request, template, context)


@require_GET
def my_list_csv(request):
    content = exports.services_csv(_my_list_services(request), current_content_language())
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ma-liste-maillage.csv"'
    return response


@require_GET
def decision_tree(request):
    """Walk the tree: ``?a=<answer id>&a=...`` is the path; the last answer decides what shows."""
    question = DecisionQuestion.objects.filter(is_root=True).prefetch_related("answers").first()
    if question is None:
        raise Http404
    raw = request.GET.getlist("a")[:20]
    try:
        answer_ids = [parse_id(x) for x in raw]
    except ValueError:
        return HttpResponseBadRequest(_("Chemin invalide."))
    answers = {
        a.pk: a
        for a in DecisionAnswer.objects.filter(pk__in=answer_ids).select_related(
            "question", "next_question"
        )
    }
    steps = []
    result = None
    for answer_id in answer_ids:
        answer = answers.get(answer_id)
        if question is None or answer is None or answer.question_id != question.pk:
            return HttpResponseBadRequest(_("Chemin invalide : recommencez depuis le début."))
        steps.append((question, answer))
        if answer.next_question_id:
            question = answer.next_question
        else:
            question, result = None, answer
    recommended = []
    if result is not None:
        recommended = list(
            service_display_queryset(
                Service.objects.listed().filter(pk__in=result.services.values("pk"))
            ).prefetch_related("faq")
        )
        _decorate(recommended, timezone.now())
    current_answers = list(question.answers.all()) if question is not None else []
    back_path = answer_ids[:-1]
    summary_lines = [f"{q.tr('text')} {a.tr('label')}" for q, a in steps]
    return render(
        request,
        "directory/decision_tree.html",
        {
            "question": question,
            "answers": current_answers,
            "steps": steps,
            "path": answer_ids,
            "back_query": "&".join(f"a={i}" for i in back_path),
            "result": result,
            "recommended": recommended,
            "summary": "\n".join(summary_lines),
        },
    )


@require_GET
def glossary(request):
    return render(request, "directory/glossary.html", {"terms": GlossaryTerm.objects.all()})


@require_http_methods(["GET", "POST"])
def report_error(request, slug):
    org = get_object_or_404(Organisation, slug=slug)
    if request.method == "POST":
        if rate_limited(request, "directory-report"):
            return too_many_requests(request)
        form = ErrorReportForm(request.POST)
        if form.is_valid():
            services.report_error(
                org,
                form.cleaned_data["message"],
                form.cleaned_data["email"],
                current_content_language(),
            )
            messages.success(
                request, _("Merci ! L'équipe du bassin vérifiera et corrigera la fiche.")
            )
            return redirect("directory:organisation", slug=org.slug)
        status = 400
    else:
        form, status = ErrorReportForm(), 200
    return render(
        request, "directory/report_error.html", {"organisation": org, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def edit_entry(request, token):
    payload, error = resolve_signed_link(request, services.EDIT_PURPOSE, token)
    if error:
        return error
    org = Organisation.objects.filter(public_id=payload.get("org")).first()
    if org is None:
        raise Http404
    org_services = list(org.services.prefetch_related(Prefetch("phones")))
    values = services.current_values(org)
    if request.method == "POST":
        if rate_limited(request, "directory-edit"):
            return too_many_requests(request)
        form = EntryEditForm(request.POST, organisation=org, values=values, services=org_services)
        if form.is_valid():
            if request.POST.get("confirm_unchanged"):
                services.confirm_still_correct(org, current_content_language())
            else:
                services.propose_changes(
                    org,
                    form.proposed(),
                    form.cleaned_data.get("message", ""),
                    current_content_language(),
                )
            return render(request, "directory/edit_done.html", {"organisation": org})
        status = 400
    else:
        form = EntryEditForm(organisation=org, values=values, services=org_services)
        status = 200
    return render(
        request,
        "directory/edit_entry.html",
        {"organisation": org, "form": form, "picker": maps.picker_settings()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def availability(request, token):
    """The monthly e-mail's link: one button per choice and service; a POST records it
    (dated today) and comes back here, so a reload or a double click records nothing new."""
    payload, error = resolve_signed_link(request, services.AVAILABILITY_PURPOSE, token)
    if error:
        return error
    org = Organisation.objects.filter(public_id=payload.get("org")).first()
    if org is None:
        raise Http404
    org_services = list(org.services.all())
    status = 200
    form = None
    if request.method == "POST":
        if rate_limited(request, "directory-availability"):
            return too_many_requests(request)
        form = AvailabilityForm(request.POST, services=org_services)
        if form.is_valid():
            service = services.set_availability(
                form.cleaned_data["service"],
                form.cleaned_data["availability"],
                form.cleaned_data.get("wait_weeks"),
            )
            messages.success(
                request,
                _("Merci ! « %(name)s » : %(state)s.")
                % {"name": service.tr("name"), "state": service.get_availability_display()},
            )
            return redirect("directory:availability", token=token)
        status = 400
    return render(
        request,
        "directory/availability.html",
        {"organisation": org, "services": org_services, "form": form},
        status=status,
    )


# --- Machine endpoints (no language prefix) --------------------------------------------


def _api_filter(request):
    filterset = ServiceFilter(request.GET)
    if not filterset.is_valid():
        return None, JsonResponse({"errors": filterset.form.errors.get_json_data()}, status=400)
    return filterset, None


def service_json(service: Service, language: str, now) -> dict:
    return {
        **_service_facts_json(service, language),
        "open_now": is_open(service, now),
        "availability": _availability_json(service, now),
        "last_verified": service.last_verified.isoformat(),
    }


def _service_facts_json(service: Service, language: str) -> dict:
    """What the API says of a service whatever the time: made once per directory version
    for a row the search index keeps (``search_index.kept_part``)."""
    return kept_part(service, ("json", language), lambda: _facts_json(service, language))


def _facts_json(service: Service, language: str) -> dict:
    return {
        "id": str(service.public_id),
        "name": service.tr("name", language),
        "name_fr": service.name_fr,
        "name_nl": service.name_nl,
        "description": service.tr("description", language),
        "organisation": {
            "id": str(service.organisation.public_id),
            "name": service.organisation.tr("name", language),
            "url": reverse_org(service.organisation, language),
        },
        "is_help_line": service.is_help_line,
        "for_whom": service.for_whom,
        "phones": [
            {
                "number": p.number,
                "kind": p.kind,
                "uri": p.uri,
                "languages": [x.code for x in p.languages.all()],
            }
            for p in service.phones.all()
        ],
        "email": service.email,
        "languages": [x.code for x in service.languages.all()],
        "modalities": [m.slug for m in service.modalities.all()],
        "area": {
            "whole_region": service.area_whole_region,
            "bassins": [b.slug for b in service.area_bassins.all()],
        },
        "schedule": [
            {
                "weekday": s.weekday,
                "opens_at": s.opens_at.strftime("%H:%M"),
                "closes_at": s.closes_at.strftime("%H:%M"),
            }
            for s in service.schedule.all()
        ],
    }


def _availability_json(service: Service, now) -> dict:
    state = service.current_availability(brussels_now(now).date())
    known = state != "unknown"
    return {
        "state": state,
        "wait_weeks": service.availability_wait_weeks if state == "waiting_list" else None,
        "date": service.availability_date.isoformat() if known else None,
    }


def reverse_org(organisation, language):
    with translation.override(language):
        return reverse("directory:organisation", args=[organisation.slug])


@require_GET
def api_search(request):
    filterset, error = _api_filter(request)
    if error:
        return error
    language = request_language(request)
    now = timezone.now()
    result = filterset.search(language, now=now)
    page = _page(
        result.rows(),
        API_PAGE_SIZE,
        page_param(request.GET),
        result.counts.get("total"),
    )
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [service_json(s, language, now) for s in page.object_list],
            "facets": {
                name: [{"key": v.key, "label": v.label, "count": v.count} for v in values]
                for name, values in result.facets.items()
            },
            "counts": result.counts,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def api_organisation(request, public_id):
    org_slug = (
        Organisation.objects.filter(public_id=public_id).values_list("slug", flat=True).first()
    )
    if org_slug is None:
        return JsonResponse({"error": "not found"}, status=404)
    org = organisation_detail(org_slug)
    language = request_language(request)
    now = timezone.now()
    return JsonResponse(
        {
            "id": str(org.public_id),
            "name": org.tr("name", language),
            "name_fr": org.name_fr,
            "name_nl": org.name_nl,
            "description": org.tr("description", language),
            "website": org.website,
            "email": org.email,
            "last_verified": org.last_verified.isoformat(),
            "url": reverse_org(org, language),
            "services": [service_json(s, language, now) for s in org.services.all()],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def api_map(request):
    """GeoJSON of the places of a search (same filters as the page; ``near``/``lat``+``lon``
    number them by distance)."""
    filterset, error = _api_filter(request)
    if error:
        return error
    language = request_language(request)
    result = filterset.search(language, with_facets=False)
    origin = filterset.criteria().origin
    key = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))
    return HttpResponse(
        maps.search_geojson(result, language, origin, key),
        content_type="application/geo+json",
    )


@require_GET
def export_csv(request):
    filterset, error = _api_filter(request)
    if error:
        return error
    language = request_language(request)
    result = filterset.search(language, with_facets=False)
    response = HttpResponse(
        exports.services_csv(result.rows(), language),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="repertoire-maillage.csv"'
    return response


@require_GET
def export_json(request):
    filterset, error = _api_filter(request)
    if error:
        return error
    language = request_language(request)
    result = filterset.search(language, with_facets=False)
    rows = exports.flat_rows(result.rows(), language)
    response = JsonResponse(
        {"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="repertoire-maillage.json"'
    return response


@require_GET
def export_hsds(request):
    filterset, error = _api_filter(request)
    if error:
        return error
    request_language(request)  # the archive holds both languages; an unknown one is still refused
    subset = None
    if any(request.GET.get(k) for k in request.GET if k not in ("lang", "page", "sort")):
        subset = filterset.search("fr", with_facets=False).matches()
    response = HttpResponse(exports.hsds_zip(subset), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="maillage-hsds.zip"'
    return response


# --- Self-listing --------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def listing_request(request):
    """Public form: an organisation asks to be listed (honeypot, rate limit, e-mail
    confirmation, then the team of its area moderates)."""
    return proposal_form_page(
        request,
        ListingRequestForm,
        "directory/listing_request.html",
        rate_scope="directory-listing",
        submit=services.request_listing,
        done_url="directory:listing_thanks",
    )


def listing_thanks(request):
    return render(request, "directory/listing_done.html", {"step": "sent"})


@require_http_methods(["GET", "HEAD", "POST"])
def listing_confirm(request, token: str):
    """The link of the confirmation e-mail (a button; only its POST confirms)."""
    return proposal_confirmation_page(
        request, services.LISTINGS, token, "directory/listing_done.html"
    )
