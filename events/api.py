"""Machine endpoints (no language prefix): iCal feeds, JSON occurrences, RSS/Atom."""

from __future__ import annotations

import json

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from core.params import BadParameter, request_language
from core.text import printable, single_line

from . import serving
from .filters import parse_selection, window
from .models import Event, EventStatus
from .presentation import absolute_url, occurrence_json
from .queries import upcoming_occurrences


@require_GET
def ical_feed(request, bassin_slug: str | None = None):
    """``/feeds/agenda.ics`` and ``/feeds/<bassin>.ics`` (see ``events.serving``)."""
    return serving.serve_feed(request, bassin_slug)


@require_GET
def api_events(request):
    """``/api/events?start=YYYY-MM-DD&end=YYYY-MM-DD`` (+ filters): occurrences as JSON."""
    with translation.override("fr"):
        try:
            lang = request_language(request)
            selection, _filterset = parse_selection(request.GET, require_window=True)
        except BadParameter as error:
            return JsonResponse({"error": str(error)}, status=400)
    start, end = window(selection)
    with translation.override(lang):
        occurrences = upcoming_occurrences(start, end, **selection.query_kwargs())
    # The rows are kept encoded with their views (events.presentation.occurrence_json):
    # the body is assembled, not re-encoded.
    head = json.dumps({"start": start.isoformat(), "end": end.isoformat()})[:-1]
    rows = ", ".join(occurrence_json(o) for o in occurrences)
    body = f'{head}, "count": {len(occurrences)}, "occurrences": [{rows}]}}'
    return HttpResponse(body.encode(), content_type="application/json")


class NewEventsFeed(Feed):
    """RSS 2.0 of the 30 most recently published events (``?lang=nl`` for Dutch)."""

    link = "/fr/agenda/"

    def get_object(self, request, *args, **kwargs):
        lang = request_language(request)
        translation.activate(lang)
        return lang

    def title(self, lang):
        with translation.override(lang):
            return "Maillage – " + translation.gettext("Nouveaux événements")

    def description(self, lang):
        with translation.override(lang):
            return translation.gettext("Événements récemment publiés dans l'agenda des bassins")

    def items(self, lang):
        return (
            Event.objects.filter(status=EventStatus.PUBLISHED, published_at__isnull=False)
            .select_related("kind")
            .order_by("-published_at")[:30]
        )

    # Titles and descriptions as stored may hold control characters (admin, imports),
    # which XML 1.0 cannot carry: cleaned here so one row cannot break the feed.
    def item_title(self, item):
        return single_line(item.tr("title"))

    def item_description(self, item):
        return printable(item.tr("description"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return f"event-{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [single_line(item.kind.tr("name"))]


class NewEventsAtomFeed(NewEventsFeed):
    feed_type = Atom1Feed
    subtitle = NewEventsFeed.description
