"""RSS 2.0 feeds of published issues: regional and per bassin, one per language."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from bassins.models import Bassin

from .queries import published_issues

FEED_LENGTH = 24


class IssueFeed(Feed):
    def get_object(self, request, language: str, bassin: str | None = None):
        if language not in ("fr", "nl"):
            raise Http404("unknown language")
        translation.activate(language)
        found = Bassin.objects.filter(slug=bassin).first() if bassin else None
        if bassin and found is None:
            raise Http404("unknown bassin")
        self.request = request
        return {"language": language, "bassin": found}

    def title(self, obj):
        if obj["bassin"]:
            return _("Info Prévention Santé — bassin %(name)s") % {
                "name": obj["bassin"].tr("name", obj["language"])
            }
        return _("Info Prévention Santé — tous les bassins")

    def link(self, obj):
        with translation.override(obj["language"]):
            return reverse("newsletters:archive")

    def description(self, obj):
        return _("La publication mensuelle des chargé·es de prévention des bassins.")

    def items(self, obj):
        return list(published_issues(obj["language"], bassin=obj["bassin"])[:FEED_LENGTH])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro or (item.theme.tr("name", item.language) if item.theme else "")

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_guid(self, item):
        return f"info-prevention-{item.translation_key}-{item.language}"

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [item.bassin.tr("name", item.language)]
