"""Sections that other apps add to an organisation's page.

The directory does not know the agenda or the open-door weeks: an app that has
something to show on an organisation's page (its coming events, its open-door
slots) registers a section from its ``AppConfig.ready()``::

    register_organisation_section(
        "opendoors", "opendoors/_directory_open_doors.html", open_door_context, order=10
    )

``context(organisation)`` returns the template's context, or ``None`` when the
section has nothing to show for that organisation. The organisation view renders
the sections in ``order`` (then name) with ``organisation_sections``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Organisation

SectionContext = Callable[[Organisation], dict | None]


@dataclass(frozen=True)
class OrganisationSection:
    name: str
    template: str
    context: SectionContext
    order: int = 100


_SECTIONS: dict[str, OrganisationSection] = {}


def register_organisation_section(
    name: str, template: str, context: SectionContext, order: int = 100
) -> None:
    """Add (or replace, by ``name``) a section of the organisation page."""
    _SECTIONS[name] = OrganisationSection(name, template, context, order)


def registered_sections() -> list[OrganisationSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name))


def organisation_sections(organisation: Organisation, request=None) -> list[SafeString]:
    """The rendered HTML of every section that has something for ``organisation``."""
    rendered = []
    for section in registered_sections():
        context = section.context(organisation)
        if context is None:
            continue
        rendered.append(render_to_string(section.template, context, request))
    return rendered
