"""Wagtail admin view: the regional team fills a year's theme calendar on one screen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .dashboard import ThemeYearForm

FIRST_YEAR, LAST_YEAR = 2020, 2100


def theme_calendar(request, year: int | None = None):
    if not request.user.has_perm("newsletters.change_thememonth"):
        raise PermissionDenied
    year = year or timezone.localdate().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    form = ThemeYearForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        changed = form.save()
        messages.success(
            request,
            _("Calendrier %(year)s enregistré (%(count)s mois modifiés).")
            % {
                "year": year,
                "count": changed,
            },
        )
        return redirect("newsletters_theme_calendar_year", year=year)
    return render(
        request,
        "newsletters/admin/theme_calendar.html",
        {
            "form": form,
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
            "header_title": _("Calendrier des thématiques %(year)s") % {"year": year},
        },
        status=400 if request.method == "POST" else 200,
    )
