"""Draft the Info Prévention Santé issues of a month (default: next month). Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsletters.drafting import draft_newsletters, next_month, parse_month


class Command(BaseCommand):
    help = "Create the month's Info Prévention Santé drafts (one per bassin and language)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: next month)")

    def handle(self, *args, month=None, **options):
        try:
            target = parse_month(month) if month else next_month(timezone.localdate())
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = draft_newsletters(target, log=lambda message: self.stdout.write(message))
        if report.missing_theme:
            self.stderr.write(
                self.style.WARNING(
                    f"No theme in the calendar for {target:%Y-%m}: drafts have no theme; "
                    "fill the calendar (Snippets > Calendrier des thématiques)."
                )
            )
