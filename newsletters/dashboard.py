"""The Info Prévention Santé dashboard: this month's issues per bassin and language
with their state, the missing translations, and a warning a month ahead when the
theme calendar has no theme for next month; the year's calendar on one screen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bassins.models import Bassin, Theme
from core.text import NoControlCharactersFormMixin

from .drafting import LANGUAGES, next_month
from .models import NewsletterIssue, ThemeMonth


@dataclass
class IssueCell:
    language: str
    issue: NewsletterIssue | None

    @property
    def state(self) -> str:
        """ "missing", "draft", "changes" (published with unpublished changes), "live"."""
        if self.issue is None:
            return "missing"
        if not self.issue.live:
            return "draft"
        return "changes" if self.issue.has_unpublished_changes else "live"


@dataclass
class BassinRow:
    bassin: Bassin
    cells: list[IssueCell]

    @property
    def missing_languages(self) -> list[str]:
        return [cell.language for cell in self.cells if cell.issue is None]


def month_overview(today: datetime.date) -> dict:
    """This month's issues of every bassin (two queries) and next month's theme."""
    month = today.replace(day=1)
    issues = {
        (issue.bassin_id, issue.language): issue
        for issue in NewsletterIssue.objects.filter(month=month).select_related("locale")
    }
    rows = [
        BassinRow(bassin, [IssueCell(lang, issues.get((bassin.pk, lang))) for lang in LANGUAGES])
        for bassin in Bassin.objects.all()
    ]
    coming = next_month(today)
    return {
        "month": month,
        "rows": rows,
        "next_month": coming,
        "next_month_without_theme": not ThemeMonth.objects.filter(
            year=coming.year, month=coming.month
        ).exists(),
    }


class ThemeYearForm(NoControlCharactersFormMixin, forms.Form):
    """Twelve rows: the theme (and occasion) of every month of one year."""

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        themes = Theme.objects.filter(is_prevention_theme=True).order_by("name_fr")
        existing = {row.month: row for row in ThemeMonth.objects.filter(year=year)}
        self.months = []
        for number in range(1, 13):
            row = existing.get(number)
            self.fields[f"theme_{number}"] = forms.ModelChoiceField(
                queryset=themes,
                required=False,
                label=_("Thématique"),
                initial=row.theme_id if row else None,
            )
            self.fields[f"occasion_fr_{number}"] = forms.CharField(
                max_length=120,
                required=False,
                label=_("Occasion (FR)"),
                initial=row.occasion_fr if row else "",
            )
            self.fields[f"occasion_nl_{number}"] = forms.CharField(
                max_length=120,
                required=False,
                label=_("Occasion (NL)"),
                initial=row.occasion_nl if row else "",
            )
            self.months.append(
                (
                    datetime.date(year, number, 1),
                    self[f"theme_{number}"],
                    self[f"occasion_fr_{number}"],
                    self[f"occasion_nl_{number}"],
                )
            )

    @transaction.atomic
    def save(self) -> int:
        """Create, update or clear each month; returns the number of months changed."""
        changed = 0
        for number in range(1, 13):
            theme = self.cleaned_data.get(f"theme_{number}")
            values = {
                "occasion_fr": self.cleaned_data.get(f"occasion_fr_{number}", ""),
                "occasion_nl": self.cleaned_data.get(f"occasion_nl_{number}", ""),
            }
            row = ThemeMonth.objects.filter(year=self.year, month=number).first()
            if theme is None:
                if (
                    row is not None
                    and not NewsletterIssue.objects.filter(
                        month=datetime.date(self.year, number, 1)
                    ).exists()
                ):
                    row.delete()
                    changed += 1
                continue
            if row is None:
                ThemeMonth.objects.create(year=self.year, month=number, theme=theme, **values)
                changed += 1
            elif (row.theme_id, row.occasion_fr, row.occasion_nl) != (
                theme.pk,
                values["occasion_fr"],
                values["occasion_nl"],
            ):
                row.theme, row.occasion_fr, row.occasion_nl = (
                    theme,
                    values["occasion_fr"],
                    values["occasion_nl"],
                )
                row.save()
                changed += 1
        return changed
