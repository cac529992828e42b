"""Public agenda views (thin: parse the query string, call queries, render)."""

from __future__ import annotations

import calendar
import datetime
import itertools
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bassins.models import Bassin
from core.embed import embeddable
from core.i18n import current_content_language
from core.params import BadParameter, parse_month
from core.proposals import proposal_confirmation_page, proposal_form_page

from . import feeds
from .filters import (
    AgendaFilter,
    AgendaSelection,
    BadFilter,
    parse_selection,
    selection_of,
    window,
)
from .forms import ProposalForm
from .models import Event, EventStatus, Occurrence
from .presentation import occurrence_view
from .queries import OccurrencePages, facet_counts, occurrences_by_day, upcoming_occurrences
from .services import PROPOSALS, create_proposal
from .serving import cached_agenda_page

PAGE_SIZE = 40
# Dates a month-grid day shows; the others are one link away, on the day's list.
MONTH_ROWS_PER_DAY = 3


PERIODS = ("week", "month")


def feed_urls(selection: AgendaSelection, bassin: Bassin | None, lang: str) -> dict:
    """https and webcal:// URLs of the feed matching this selection."""
    params = [p for p in selection.feed_params() if not (bassin and p[0] == "bassin")]
    params.append(("lang", lang))
    path = f"/feeds/{bassin.slug}.ics" if bassin else "/feeds/agenda.ics"
    https = f"{settings.SITE_URL}{path}?{urlencode(params)}"
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"https": https, "webcal": webcal}


def day_list_urls(
    selection: AgendaSelection, bassin: Bassin | None, days: Iterable[datetime.date]
) -> dict[datetime.date, str]:
    """For each day, the agenda list of that day with this selection's filters."""
    params = [p for p in selection.feed_params() if not (bassin and p[0] == "bassin")]
    path = (
        reverse("events:bassin_agenda", args=[bassin.slug]) if bassin else reverse("events:agenda")
    )
    return {day: f"{path}?{urlencode([*params, ('start', day), ('end', day)])}" for day in days}


def _period_window(period: str):
    today = timezone.localdate()
    if period == "week":
        return today, today + datetime.timedelta(days=6 - today.weekday())
    last = calendar.monthrange(today.year, today.month)[1]
    return today, today.replace(day=last)


def _count_facets(filterset: AgendaFilter, start, end, selection: AgendaSelection) -> None:
    filterset.show_counts(
        facet_counts(start, end, filterset.facet_values(), **selection.query_kwargs())
    )


def _bad_request(request, template, context, error):
    context = {**context, "error": error, "occurrences": [], "days": []}
    return render(request, template, context, status=400)


EMBED_MAX = 30


def agenda_embed_snippet(bassin: Bassin, lang: str) -> str:
    """The <iframe> a partner pastes to show this bassin's agenda on its own site."""
    with translation.override(lang):
        url = settings.SITE_URL + reverse("events:embed", args=[bassin.slug])
    title = _("Agenda du bassin %(name)s (Maillage)") % {"name": bassin.tr("name", lang)}
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="600" '
        'style="border:0" loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )


@embeddable
def agenda_embed(request, bassin_slug: str):
    """The bassin's agenda (the query of its agenda page, next 60 days) for a partner's
    <iframe>: no cookie, no form; links open Maillage in a new tab."""
    bassin = get_object_or_404(Bassin, slug=bassin_slug)
    selection, _filterset = parse_selection({}, bassin=bassin)
    start, end = window(selection, default_days=60)
    occurrences = upcoming_occurrences(
        start, end, include_cancelled=False, limit=EMBED_MAX, **selection.query_kwargs()
    )
    with translation.override(current_content_language()):
        agenda_url = settings.SITE_URL + reverse("events:bassin_agenda", args=[bassin.slug])
    return render(
        request,
        "events/embed.html",
        {"bassin": bassin, "occurrences": occurrences, "agenda_url": agenda_url},
    )


@cached_agenda_page
def agenda(request, bassin_slug: str | None = None):
    """List view grouped by day (regional, or one bassin's)."""
    bassin = get_object_or_404(Bassin, slug=bassin_slug) if bassin_slug else None
    lang = current_content_language()
    filterset = AgendaFilter(request.GET, hide_bassin=bassin is not None)
    context = {"bassin": bassin, "filter": filterset, "view": "list"}
    try:
        selection = selection_of(filterset, bassin=bassin)
        period = request.GET.get("period", "")
        if period and period not in PERIODS:
            raise BadFilter(
                _("Période inconnue « %(period)s » : week ou month.") % {"period": period[:20]}
            )
    except BadParameter as error:
        return _bad_request(request, "events/agenda.html", context, str(error))
    if period:
        selection.start, selection.end = _period_window(period)
    start, end = window(selection, default_days=60)
    _count_facets(context["filter"], start, end, selection)
    page = Paginator(OccurrencePages(start, end, **selection.query_kwargs()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    zone = timezone.get_current_timezone()
    days = [
        (day, list(items))
        for day, items in itertools.groupby(
            page.object_list, key=lambda o: max(o.start, start).astimezone(zone).date()
        )
    ]
    context.update(
        {
            "page_obj": page,
            "days": days,
            "window_start": start.date(),
            "window_end": (end - datetime.timedelta(days=1)).date(),
            "period": period,
            "feed": feed_urls(selection, bassin, lang),
            "selection": selection,
            "embed_snippet": agenda_embed_snippet(bassin, lang) if bassin else "",
        }
    )
    return render(request, "events/agenda.html", context)


@cached_agenda_page
def agenda_month(request, bassin_slug: str | None = None):
    """Month grid; filters as for the list."""
    bassin = get_object_or_404(Bassin, slug=bassin_slug) if bassin_slug else None
    lang = current_content_language()
    filterset = AgendaFilter(request.GET, hide_bassin=bassin is not None)
    context = {"bassin": bassin, "filter": filterset, "view": "month"}
    try:
        selection = selection_of(filterset, bassin=bassin)
        month = parse_month(request.GET.get("month", ""))
    except BadParameter as error:
        return _bad_request(request, "events/month.html", context, str(error))
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    selection.start, selection.end = month, last
    start, end = window(selection)
    _count_facets(context["filter"], start, end, selection)
    by_day = occurrences_by_day(
        start, end, shown_per_day=MONTH_ROWS_PER_DAY, **selection.query_kwargs()
    )
    day_list = day_list_urls(selection, bassin, by_day)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([(d, d.month == month.month, by_day.get(d), day_list.get(d)) for d in week])
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = last + datetime.timedelta(days=1)
    context.update(
        {
            "month": month,
            "weeks": weeks,
            "any_occurrence": bool(by_day),
            "previous_month": previous_month.strftime("%Y-%m"),
            "next_month": next_month.strftime("%Y-%m"),
            "feed": feed_urls(selection, bassin, lang),
            "selection": selection,
            "weekday_names": [WEEKDAYS_ABBR[i] for i in range(7)],
        }
    )
    return render(request, "events/month.html", context)


def _visible_event(request, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("kind", "commune", "image"), pk=pk)
    if event.status != EventStatus.PUBLISHED and not (
        request.user.is_authenticated and request.user.has_perm("events.change_event")
    ):
        raise Http404
    return event


def event_detail(request, pk: int):
    event = _visible_event(request, pk)
    lang = current_content_language()
    now = timezone.now()
    upcoming = (
        Occurrence.objects.filter(event=event, end__gte=now)
        .select_related("event", "event__kind")
        .prefetch_related("event__bassins")
        .order_by("start")[:12]
    )
    views = [occurrence_view(o, lang) for o in upcoming]
    previous = (
        Occurrence.objects.filter(event=event, end__lt=now).order_by("-start").first()
        if not views
        else None
    )
    context = {
        "event": event,
        "occurrences": views,
        "last_occurrence": occurrence_view(previous, lang) if previous else None,
        "bassins": list(event.bassins.all()),
        "themes": list(event.themes.all()),
        "languages": list(event.languages.all()),
        "is_preview": event.status != EventStatus.PUBLISHED,
    }
    return render(request, "events/event_detail.html", context)


def event_ics(request, pk: int):
    """.ics of the whole series, or of one occurrence with ``?occurrence=<recurrence id>``."""
    event = _visible_event(request, pk)
    lang = current_content_language()
    rid = request.GET.get("occurrence", "")
    occurrence = None
    filename = f"maillage-{event.pk}.ics"
    if rid:
        try:
            when = datetime.datetime.strptime(rid, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
        except ValueError:
            return HttpResponse(
                _("Paramètre occurrence invalide : utilisez AAAAMMJJTHHMMSSZ."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        occurrence = event.occurrences.filter(recurrence_id=when).first()
        if occurrence is None:
            raise Http404
        filename = f"maillage-{event.pk}-{when:%Y%m%d}.ics"
    body = feeds.event_calendar(event, lang, occurrence)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def propose(request):
    """Public proposal form: no account, honeypot + rate limit, e-mail confirmation."""
    chosen = Bassin.objects.filter(slug=request.GET.get("bassin", ""))  # from the bassin finder
    return proposal_form_page(
        request,
        ProposalForm,
        "events/propose.html",
        rate_scope="events-proposal",
        submit=create_proposal,
        done_url="events:propose_thanks",
        initial={"bassins": chosen},
    )


def propose_thanks(request):
    return render(request, "events/propose_done.html", {"step": "sent"})


@require_http_methods(["GET", "HEAD", "POST"])
def propose_confirm(request, token: str):
    """The link of the confirmation e-mail (a button; only its POST confirms)."""
    return proposal_confirmation_page(request, PROPOSALS, token, "events/propose_done.html")
