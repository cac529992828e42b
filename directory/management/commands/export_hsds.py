"""Write the directory as an Open Referral HSDS 3.0 tabular data package."""

from pathlib import Path

from django.core.management.base import BaseCommand

from directory.exports import write_hsds


class Command(BaseCommand):
    help = (
        "Export the directory as an HSDS 3.0 tabular data package (CSV files + datapackage.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write the package into")

    def handle(self, *args, directory: Path, **options):
        written = write_hsds(directory)
        self.stdout.write(self.style.SUCCESS(f"{len(written)} files written to {directory}"))
