"""Reference data of the Info Prévention Santé, loaded by ``manage.py load_reference_data``.

- The 2025 theme calendar: seed 003 (Panorama 1, Vivalis 2025), §3.4.1.4, "l'agenda des
  thématiques choisies pour 2025". The regional team fills the next years in Wagtail
  (Snippets > Calendrier des thématiques); a month left empty is drafted without a
  theme and with a note (see ``drafting``).
- The "Info Prévention Santé" archive page under each bassin page, both locales.
- The review workflow (CPPS edit → coordination approves) on those pages.
- The Celery beat entries (django-celery-beat, editable in the Django admin tables).

Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from bassins.models import Theme
from bassins.rights import regional_groups
from core.beat import BeatEntry, ensure_beat_entries

from .drafting import ensure_index_pages
from .models import NewsletterIndexPage, ThemeMonth

# (month, theme slug from bassins.reference.THEMES, occasion FR, occasion NL) — seed 003.
CALENDAR_2025: list[tuple[int, str, str, str]] = [
    (1, "cancer-col-uterus", "Thématique annuelle", "Jaarthema"),
    (2, "alcool", "Tournée minérale", "Tournée Minérale"),
    (3, "cancer-colorectal", "Journée mondiale (Mars bleu)", "Werelddag (Maart blauw)"),
    (4, "tuberculose", "", ""),
    (5, "tabac", "Journée mondiale sans tabac", "Werelddag zonder tabak"),
    (6, "assuetudes", "Réduction des risques", "Schadebeperking"),
    (7, "hydratation", "Coup de chaleur", "Hitteslag"),
    (8, "cancer-peau", "", ""),
    (9, "vaccination", "", ""),
    (10, "cancer-sein", "Octobre rose", "Roze oktober"),
    (11, "diabete", "Journée mondiale du diabète", "Werelddiabetesdag"),
    (12, "vih-ist", "Journée mondiale de lutte contre le sida", "Wereldaidsdag"),
]

COORDINATION_GROUP = "Coordination Info Prévention Santé"
WORKFLOW_NAME = "Info Prévention Santé : relecture par la coordination"
TASK_NAME = "Validation par la coordination"

PERIODIC_TASKS = [
    BeatEntry(
        "Info Prévention Santé : brouillons du mois suivant (le 15)",
        "newsletters.tasks.draft_newsletters",
        minute="0",
        hour="6",
        day_of_month="15",
    ),
    BeatEntry(
        "Info Prévention Santé : envois programmés",
        "newsletters.tasks.send_due_issues",
        minute="*/5",
        hour="*",
    ),
    BeatEntry(
        "Info Prévention Santé : reprise des envois interrompus",
        "newsletters.tasks.recover_mailings",
        minute="*/5",
        hour="*",
    ),
    BeatEntry(
        "Agenda de la semaine : envoi du lundi",
        "newsletters.tasks.send_weekly_digest",
        minute="0",
        hour="7",
        day_of_week="1",
    ),
]


def load_calendar(log=print) -> int:
    changes = 0
    themes = {t.slug: t for t in Theme.objects.filter(slug__in=[c[1] for c in CALENDAR_2025])}
    for month, slug, occasion_fr, occasion_nl in CALENDAR_2025:
        entry = ThemeMonth.objects.filter(year=2025, month=month).first()
        if entry is None:
            ThemeMonth.objects.create(
                year=2025,
                month=month,
                theme=themes[slug],
                occasion_fr=occasion_fr,
                occasion_nl=occasion_nl,
            )
            changes += 1
        # An existing month is the regional team's to edit: never overwritten.
    return changes


def load_workflow() -> int:
    changes = 0
    coordination, created = Group.objects.get_or_create(name=COORDINATION_GROUP)
    changes += created
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    if not coordination.permissions.filter(pk=access_admin.pk).exists():
        coordination.permissions.add(access_admin)
        changes += 1

    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    changes += created
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        changes += 1
    wanted_groups = [coordination, *regional_groups()]
    if set(task.groups.values_list("pk", flat=True)) != {g.pk for g in wanted_groups}:
        task.groups.set(wanted_groups)
        changes += 1
    _, created = WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    changes += created
    page_permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=("add_page", "change_page", "publish_page"),
        )
    )
    for index in NewsletterIndexPage.objects.all():
        _, created = WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
        changes += created
        # Approving the last task publishes: the coordination needs that right here.
        for permission in page_permissions:
            _, created = GroupPagePermission.objects.get_or_create(
                group=coordination, page=index, permission=permission
            )
            changes += created
    return changes


@transaction.atomic
def load(log=print) -> int:
    changes = load_calendar(log)
    changes += ensure_index_pages(log)
    changes += load_workflow()
    changes += ensure_beat_entries(PERIODIC_TASKS)
    log(f"newsletters: {changes} change(s)")
    return changes
