"""Query parameters every app reads the same way: the language, the month, the page.

A value we cannot use raises ``BadParameter``. Views that render a page catch it to
show the message on the page; anywhere else ``core.middleware.BadParameterMiddleware``
turns it into a 400 carrying the message (JSON under ``/api/``, plain text elsewhere),
so a bad parameter is never a 500.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .i18n import CONTENT_LANGUAGES
from .ids import parse_id

# Months outside these years are refused: nothing is planned there, and the window
# arithmetic downstream stays far from the calendar's edges.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class BadParameter(BadRequest, ValueError):
    """A query parameter with a value we cannot use; ``str(error)`` tells the user why."""


def language_param(query, param: str = "lang", default: str = "fr") -> str:
    """The content language asked for by ``query[param]`` (a QueryDict or a dict): fr or
    nl; absent or empty → ``default``; anything else raises ``BadParameter``."""
    value = query.get(param, "") or default
    if value not in CONTENT_LANGUAGES:
        raise BadParameter(
            _("Langue inconnue « %(value)s » : utilisez fr ou nl.") % {"value": str(value)[:10]}
        )
    return value


def request_language(request, param: str = "lang", default: str = "fr") -> str:
    """``language_param`` of the request's query string."""
    return language_param(request.GET, param, default)


def parse_month(value: str, default: datetime.date | None = None) -> datetime.date:
    """The first day of the month written ``YYYY-MM``; empty → the current month."""
    if not value:
        return (default or timezone.localdate()).replace(day=1)
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise BadParameter(
            _("Mois invalide « %(value)s » : utilisez AAAA-MM.") % {"value": value[:20]}
        ) from error
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise BadParameter(_("Mois hors limites."))
    return month


def page_param(query, param: str = "page") -> int:
    """The page number asked for by ``query[param]``: absent or empty → 1; anything but
    a whole number from 1 raises ``BadParameter``. (A number past the last page is the
    caller's to clamp.)"""
    value = query.get(param, "")
    if not value:
        return 1
    try:
        return parse_id(value)
    except ValueError as error:
        raise BadParameter(
            _("Page invalide « %(value)s » : utilisez un nombre entier à partir de 1.")
            % {"value": str(value)[:20]}
        ) from error
