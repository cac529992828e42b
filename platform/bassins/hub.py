"""The bassin page as a hub: sections and finder targets that higher apps register.

``bassins`` sits at the bottom of the import graph and must not import the agenda,
the directory or the newsletter. Those apps register what they add to a bassin page
(next events, newsletter issues, open-door week, local services) and where the
"find your bassin" form may lead (the bassin's agenda, its subscription form, ...)
from their ``AppConfig.ready()``:

    hub.register_section("events", order=10, template="events/hub_section.html",
                         context=events_hub_context)
    hub.register_finder_target("agenda", label=_("l'agenda"), url=agenda_url)

A section's ``context(bassin, request)`` must run a fixed number of SQL queries
whatever the data size: the bassin page's query count is tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise

from .models import Bassin


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    context: Callable[[Bassin, HttpRequest], dict | None]


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template: str
    context: dict


@dataclass(frozen=True)
class FinderTarget:
    key: str
    label: str | Promise
    url: Callable[[str, str], str]  # (bassin slug, language) -> path


_sections: dict[str, Section] = {}
_targets: dict[str, FinderTarget] = {}


def register_section(
    key: str, *, order: int, template: str, context: Callable[[Bassin, HttpRequest], dict | None]
) -> None:
    """Add (or replace, for reloads) a section of every bassin page."""
    _sections[key] = Section(key, order, template, context)


def register_finder_target(
    key: str, *, label: str | Promise, url: Callable[[str, str], str]
) -> None:
    """Let the bassin finder lead to ``url(bassin_slug, language)`` when asked for ``key``."""
    _targets[key] = FinderTarget(key, label, url)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def render_sections(bassin: Bassin, request: HttpRequest) -> list[RenderedSection]:
    """Each registered section with its context, in order; a section whose context is
    None (nothing to show for this bassin) is left out."""
    rendered = []
    for section in sections():
        context = section.context(bassin, request)
        if context is not None:
            rendered.append(RenderedSection(section.key, section.template, context))
    return rendered


def finder_target(key: str | None) -> FinderTarget | None:
    return _targets.get(key or "")


def finder_targets() -> dict[str, FinderTarget]:
    return dict(_targets)
