"""Create demo content relative to today, clearly marked as demo data."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from bassins.page_log import summarised_page_log

from .load_reference_data import loaders


class Command(BaseCommand):
    help = "Create demo events, registrations and issues relative to today (marked as demo)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD).",
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        total = 0
        with summarised_page_log(self.stdout.write):
            for _label, load in loaders("demo"):
                total += load(today=today, log=lambda message: self.stdout.write(message)) or 0
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {total} change(s)."))
