"""Import an Open Referral HSDS 3.0 tabular data package into the directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.hsds_import import HsdsImportError, import_hsds


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 tabular data package (a folder or a .zip of CSV files, the shape "
        "of export_hsds): records are matched by HSDS id, nothing is written if any row is "
        "invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Folder or .zip holding the package")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and say what would be created, updated or unchanged; write nothing",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete the records of the directory whose id the package no longer holds "
            "(the package is taken as the whole directory; try it with --dry-run first)",
        )

    def handle(self, *args, path: Path, dry_run: bool, prune: bool, **options):
        try:
            report = import_hsds(path, dry_run=dry_run, prune=prune, progress=self.progress)
        except HsdsImportError as error:
            raise CommandError(f"Nothing imported.\n{error}") from error
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{path} imported."))

    def progress(self, label: str, done: int, total: int) -> None:
        self.stderr.write(f"{label}: {done}/{total}", ending="\n" if done == total else "\r")
        self.stderr.flush()
