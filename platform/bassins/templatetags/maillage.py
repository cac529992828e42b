"""Template helpers shared by every app's templates."""

import functools

from django import template
from django.urls import translate_url
from django.utils.html import format_html_join
from django.utils.http import urlencode
from wagtail.models import Locale

from core.i18n import current_content_language, localized
from core.links import site_url

from .. import hub
from ..lookup import finder_options
from ..pages import bassin_page_path, content_page_slug

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switch_url(context, language_code: str) -> str:
    """The URL of the current page in another language.

    A Wagtail page goes to its translation (slugs may differ); when that translation
    is not published (an issue still in draft in Dutch), to the nearest ancestor's
    translation (the bassin's archive in that language) rather than a 404. Any other
    view keeps its path and query string and only swaps the language prefix (and the
    translated app prefix: /fr/repertoire/ <-> /nl/sociale-kaart/).
    """
    request = context.get("request")
    page = context.get("page")
    if page is not None and hasattr(page, "get_translation_or_none"):
        locale = Locale.objects.filter(language_code=language_code).first()
        node = page if locale else None
        while node is not None and node.depth > 1:
            translation = node.get_translation_or_none(locale)
            if translation is not None and translation.live:
                return translation.get_url(request) or "/"
            node = node.get_parent()
    if request is None:
        return f"/{language_code}/"
    return translate_url(request.get_full_path(), language_code)


@register.filter
def tr(obj, field: str) -> str:
    """``{{ obj|tr:"name" }}``: the bilingual field in the active language."""
    return localized(obj, field)


@register.simple_tag(takes_context=True)
def query_transform(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


@register.inclusion_tag("components/bassin_finder.html", takes_context=True)
def bassin_finder(context, target: str = "", heading: bool = False, value: str = "") -> dict:
    """The "find your bassin" form: a postal code or commune field with suggestions
    (FR and NL names) that leads to the bassin, or to ``target`` (a key registered
    with ``bassins.hub.register_finder_target``: "agenda", "newsletter", ...)."""
    known = hub.finder_target(target)
    return {
        "target": known.key if known else "",
        "target_label": known.label if known else "",
        "options": datalist_options(tuple(finder_options(current_content_language()))),
        "heading": heading,
        "value": value,
        "uid": known.key if known else "hub",
    }


@functools.lru_cache(maxsize=8)
def datalist_options(options: tuple[str, ...]) -> str:
    """The finder's ``<option>`` list, written once per list: about a hundred options on
    every page that shows the finder, the same until the reference data change."""
    return format_html_join("", '<option value="{}"></option>', ((o,) for o in options))


@register.filter
def bassin_url(bassin, language: str = "") -> str:
    """``{{ bassin|bassin_url:LANGUAGE_CODE }}``: the bassin's hub page."""
    slug = getattr(bassin, "slug", bassin)
    return bassin_page_path(slug, language or current_content_language())


@register.simple_tag(takes_context=True)
def hub_section(context, section) -> str:
    """Render a ``bassins.hub.RenderedSection`` with its own context on top of the page's."""
    template = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return template.render(context)


@register.simple_tag
def colon() -> str:
    """A label's colon as each language writes it: "Horaires :" but "Openingsuren:"."""
    return " :" if current_content_language() == "fr" else ":"


@register.simple_tag
def content_page_url(slug: str) -> str:
    """``{% content_page_url "a-propos" %}``: a standard page in the active language."""
    language = current_content_language()
    return f"/{language}/{content_page_slug(slug, language)}/"


@register.filter
def absolute_url(page_or_path) -> str:
    """``{{ page|absolute_url }}``: on the configured SITE_URL, never Wagtail's
    ``full_url`` (the Site record's hostname, http://localhost on a fresh install)."""
    return site_url(page_or_path)
