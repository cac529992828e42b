"""Monthly drafts: one NewsletterIssue per bassin and language, pre-filled.

``draft_newsletters(month)`` is what the Celery beat entry (the 15th, for next month)
and ``manage.py draft_newsletters --month YYYY-MM`` run. It is idempotent: each draft
has a unique ``draft_key`` (bassin, language, month), so a second run, or two runs at
once, create nothing new.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Locale

from bassins.models import Bassin, BassinPage

from .models import NewsletterIndexPage, NewsletterIssue, ThemeDossier, ThemeMonth
from .notifications import notify_editors

logger = logging.getLogger(__name__)
LANGUAGES = ("fr", "nl")
INDEX_TITLES = {"fr": "Info Prévention Santé", "nl": "Info Preventie Gezondheid"}
INDEX_SLUGS = {"fr": "info-prevention-sante", "nl": "info-preventie-gezondheid"}


@dataclass
class DraftReport:
    month: datetime.date
    created: list[NewsletterIssue] = field(default_factory=list)
    existing: int = 0
    missing_theme: bool = False

    def __str__(self) -> str:
        note = " (no theme in the calendar for this month)" if self.missing_theme else ""
        return (
            f"{self.month:%Y-%m}: {len(self.created)} draft(s) created, "
            f"{self.existing} already there{note}"
        )


def next_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def parse_month(value: str) -> datetime.date:
    """'2025-10' -> date(2025, 10, 1); ValueError with a clear message otherwise."""
    try:
        year, month = value.strip().split("-")
        return datetime.date(int(year), int(month), 1)
    except (ValueError, AttributeError) as error:
        raise ValueError(f"month must look like YYYY-MM, got {value!r}") from error


def draft_key(bassin: Bassin, language: str, month: datetime.date) -> str:
    return f"{bassin.slug}:{language}:{month:%Y-%m}"


def ensure_index_pages(log=print) -> int:
    """An "Info Prévention Santé" page under each bassin page, in both locales."""
    changes = 0
    for bassin_page in BassinPage.objects.select_related("locale", "bassin"):
        if NewsletterIndexPage.objects.child_of(bassin_page).exists():
            continue
        language = bassin_page.locale.language_code
        fr_twin = None
        if language != "fr":
            fr_twin = NewsletterIndexPage.objects.filter(
                bassin=bassin_page.bassin, locale__language_code="fr"
            ).first()
        index = NewsletterIndexPage(
            title=INDEX_TITLES.get(language, INDEX_TITLES["fr"]),
            slug=INDEX_SLUGS.get(language, INDEX_SLUGS["fr"]),
            bassin=bassin_page.bassin,
            locale=bassin_page.locale,
            **({"translation_key": fr_twin.translation_key} if fr_twin else {}),
        )
        bassin_page.add_child(instance=index)
        index.save_revision().publish()
        changes += 1
    if changes:
        log(f"newsletters: {changes} archive page(s) created")
    return changes


def _body(theme, language: str) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = []
    dossier = ThemeDossier.objects.filter(theme=theme).first() if theme else None
    if dossier is not None:
        for block in dossier.content(language):
            blocks.append((block.block_type, block.value))
    with translation.override(language):
        blocks.append(("heading", _("Initiatives locales")))
        # Left empty (a required block: it cannot be published blank); the guidance is
        # in the editor's note, never in text that would be published if not deleted.
        blocks.append(("local_initiatives", ""))
        blocks.append(("heading", _("Agenda du bassin")))
        blocks.append(("agenda", None))
    return blocks


def _title(bassin: Bassin, language: str, month: datetime.date, entry) -> str:
    with translation.override(language):
        label = date_format(month, "F Y")
        if entry is None:
            return _("Info Prévention Santé %(month)s — bassin %(bassin)s") % {
                "month": label,
                "bassin": bassin.tr("name", language),
            }
        return _("Info Prévention Santé %(month)s — %(theme)s — bassin %(bassin)s") % {
            "month": label,
            "theme": entry.theme.tr("name", language),
            "bassin": bassin.tr("name", language),
        }


def draft_newsletters(month: datetime.date, log=print) -> DraftReport:
    """Create the month's missing drafts for every bassin and language."""
    month = month.replace(day=1)
    report = DraftReport(month=month)
    ensure_index_pages(log)
    entry = (
        ThemeMonth.objects.select_related("theme")
        .filter(year=month.year, month=month.month)
        .first()
    )
    if entry is None:
        report.missing_theme = True
        logger.warning(
            "No theme in the Info Prévention Santé calendar for %s: drafts created "
            "without a theme; the regional team should fill the calendar.",
            f"{month:%Y-%m}",
        )
    locales = {loc.language_code: loc for loc in Locale.objects.all()}
    for bassin in Bassin.objects.all():
        fr_issue = None
        for language in LANGUAGES:
            key = draft_key(bassin, language, month)
            existing = NewsletterIssue.objects.filter(draft_key=key).first()
            if existing:
                report.existing += 1
                fr_issue = fr_issue or existing
                continue
            index = NewsletterIndexPage.objects.filter(
                bassin=bassin, locale=locales.get(language)
            ).first()
            if index is None:
                logger.warning("No Info Prévention Santé page for %s (%s)", bassin, language)
                continue
            issue = _new_issue(bassin, language, month, entry, index, fr_issue)
            if issue is None:
                report.existing += 1
                continue
            fr_issue = fr_issue or issue
            report.created.append(issue)
    if report.created:
        transaction.on_commit(lambda: notify_editors(report))
    log(f"newsletters: {report}")
    return report


def _new_issue(bassin, language, month, entry, index, fr_issue) -> NewsletterIssue | None:
    with translation.override(language):
        note = _(
            "Présentez les initiatives du bassin sur la thématique dans le bloc "
            "« Initiatives locales » (ou supprimez ce bloc)."
        )
        if entry is None:
            note += "\n" + _(
                "Aucune thématique n'est fixée pour ce mois dans le calendrier de "
                "l'Info Prévention Santé : choisissez-la ou demandez à l'équipe régionale "
                "de compléter le calendrier."
            )
        issue = NewsletterIssue(
            title=_title(bassin, language, month, entry),
            slug=f"{month:%Y-%m}",
            bassin=bassin,
            month=month,
            theme=entry.theme if entry else None,
            occasion=entry.tr("occasion", language) if entry else "",
            body=_body(entry.theme if entry else None, language),
            editor_note=note,
            draft_key=draft_key(bassin, language, month),
            live=False,
            locale=index.locale,
            **({"translation_key": fr_issue.translation_key} if fr_issue else {}),
        )
    try:
        with transaction.atomic():
            index.add_child(instance=issue)
            issue.save_revision()
    except IntegrityError:
        # Another run drafted it between our check and our insert.
        return None
    except ValidationError as error:
        # An editor already made a page with that slug by hand: leave it alone.
        logger.warning("Draft %s not created: %s", issue.draft_key, error)
        return None
    return issue
