"""Demo Info Prévention Santé, so a new install shows what teams will edit.

``load_demo_data`` drafts the current month's issues (every bassin, FR and NL) and
publishes one issue of the previous month (the first bassin, in both languages) so
the archive, the bassin hub and the subscriber journey can be seen. The published
issue is marked as demo (title, editor's note), holds no invented figure (only the
theme dossier of the reference data) and is never sent to subscribers.
"""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from bassins.models import Bassin

from .drafting import draft_newsletters
from .models import NewsletterIssue

DEMO_MARK = {"fr": " (démo)", "nl": " (demo)"}


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _publish_demo(issue: NewsletterIssue) -> None:
    language = issue.language
    with translation.override(language):
        mark = DEMO_MARK.get(language, DEMO_MARK["fr"])
        if not issue.title.endswith(mark):
            issue.title += mark
        issue.editor_note = _("Donnée de démonstration créée par load_demo_data.")
        body = [(block.block_type, block.value) for block in issue.body]
        issue.body = [
            (
                kind,
                "<p>"
                + _("(Démo) Ici, l'équipe du bassin présente ses initiatives du mois.")
                + "</p>",
            )
            if kind == "local_initiatives" and not str(value).strip()
            else (kind, value)
            for kind, value in body
        ]
    issue.send_to_subscribers = False
    issue.save_revision().publish()


def load(today: datetime.date, log=print) -> int:
    """Idempotent: drafts exist once (draft keys) and the demo issue is published once."""
    if not Bassin.objects.exists():
        log("newsletters demo: load the reference data first")
        return 0
    changes = len(draft_newsletters(today.replace(day=1), log=log).created)
    last_month = previous_month(today)
    first = Bassin.objects.order_by("sort_order", "slug").first()
    for issue in draft_newsletters(last_month, log=log).created:
        if issue.bassin_id != first.pk:  # only the demo issue, not a month of drafts
            issue.delete()
    for issue in NewsletterIssue.objects.filter(bassin=first, month=last_month, live=False):
        _publish_demo(issue)
        changes += 1
    log(f"newsletters demo: {changes} change(s)")
    return changes
