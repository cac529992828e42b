"""Load (or update) Maillage's reference data. Idempotent: a second run changes nothing."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from bassins.page_log import summarised_page_log

PROJECT_APPS = (
    "core",
    "bassins",
    "events",
    "opendoors",
    "calendars",
    "directory",
    "newsletters",
    "exchanges",
)


def loaders(module_name: str):
    """Yield ``<app>.<module_name>.load`` for every project app that has one, in app order."""
    for label in PROJECT_APPS:
        config = apps.get_app_config(label)
        try:
            module = importlib.import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{module_name}":
                raise
            continue
        yield label, module.load


class Command(BaseCommand):
    help = "Load the bassins, communes, help lines, theme calendar and glossary (idempotent)."

    def handle(self, *args, **options):
        total = 0
        with summarised_page_log(self.stdout.write):
            for _label, load in loaders("reference"):
                total += load(log=lambda message: self.stdout.write(message)) or 0
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {total} change(s)."))
