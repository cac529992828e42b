"""Template helpers of the directory: glossary links, phone links, pictograms."""

from __future__ import annotations

import re

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.i18n import current_content_language
from directory import pictograms
from directory.models import GlossaryTerm
from directory.search_index import kept_part

register = template.Library()
GLOSSARY_CACHE_SECONDS = 300


def glossary_patterns(language: str) -> list[tuple[re.Pattern, str, str]]:
    """(pattern, slug, term) for every glossary term, longest forms first; cached."""
    key = f"directory:glossary-patterns:{language}"
    cached = cache.get(key)
    if cached is None:
        cached = []
        for term in GlossaryTerm.objects.all():
            variants = getattr(term, f"variants_{language}") or term.variants_fr
            forms = [v.strip() for v in variants.split("|") if v.strip()] or [term.tr("term")]
            cached.append(
                (sorted(forms, key=len, reverse=True), term.slug, term.tr("term", language))
            )
        cache.set(key, cached, GLOSSARY_CACHE_SECONDS)
    return [
        (
            re.compile(
                r"(?<![\w-])(" + "|".join(re.escape(escape(f)) for f in forms) + r")(?![\w-])",
                re.IGNORECASE,
            ),
            slug,
            term,
        )
        for forms, slug, term in cached
    ]


@register.filter
def glossary_links(text: str) -> str:
    """Escape ``text`` and link the first occurrence of each glossary term to its definition."""
    language = current_content_language()
    html = str(escape(text or ""))
    base = reverse("directory:glossary")
    placeholders = []
    for pattern, slug, term in glossary_patterns(language):
        match = pattern.search(html)
        if not match:
            continue
        link = (
            f'<a class="glossary-link" href="{base}#{slug}" title="{escape(term)}">'
            f"{match.group(0)}</a>"
        )
        placeholders.append(link)
        html = html[: match.start()] + f"\x00{len(placeholders) - 1}\x00" + html[match.end() :]
    for index, link in enumerate(placeholders):
        html = html.replace(f"\x00{index}\x00", link)
    return mark_safe(html.replace("\n", "<br>"))


@register.simple_tag
def kept_card_part(service, template_name: str, show_org_link=False) -> str:
    """A part of a service card that depends on the service and the language only:
    rendered once per language and directory version for a row the search index keeps
    (``search_index.kept_part``), every time otherwise."""
    key = (template_name, translation.get_language(), bool(show_org_link))
    context = {"service": service, "show_org_link": show_org_link}
    return kept_part(service, key, lambda: render_to_string(template_name, context))


@register.simple_tag
def service_pictogram(service) -> pictograms.Pictogram:
    """``{% service_pictogram service as picto %}``: the service's category pictogram
    (from its stored facet keys, no query); render it with ``components/pictogram.html``."""
    return pictograms.for_service(service)


@register.simple_tag
def theme_pictogram(theme) -> pictograms.Pictogram:
    """``{% theme_pictogram theme_or_slug as picto %}``: a theme's pictogram."""
    return pictograms.for_theme(getattr(theme, "slug", theme) or "")


@register.simple_tag
def pictogram_url(picto: pictograms.Pictogram) -> str:
    """The SVG file's static URL (for a map marker or an ``<img>``)."""
    return static(picto.static_path)
