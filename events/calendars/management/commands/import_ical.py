"""``manage.py import_ical FILE_OR_URL --bassin SLUG [--kind SLUG] [--dry-run] [--moderate]``

Imports an iCalendar file or URL into the agenda, like the polled sources do. The
events are published at once (the operator is trusted) unless ``--moderate``. The
import is recorded as an inactive calendar source named after the file (or reuses the
source of that URL), so a second run updates instead of duplicating; the team can
switch polling on for it in the admin.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bassins.models import Bassin
from events.models import EventKind

from ...fetching import FetchError, fetch_calendar
from ...mapping import CalendarError
from ...models import CalendarSource, ErrorCode
from ...services import import_calendar

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Importe un fichier ou une adresse iCal dans l'agenda d'un bassin."

    def add_arguments(self, parser):
        parser.add_argument("location", metavar="FILE_OR_URL")
        parser.add_argument("--bassin", required=True, help="slug du bassin (p. ex. nord)")
        parser.add_argument(
            "--kind", help="slug du type d'événement (défaut : celui de la source, sinon autre)"
        )
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien écrire")
        parser.add_argument(
            "--moderate", action="store_true", help="nouveaux événements en modération"
        )

    def handle(self, *args, location, bassin, kind, dry_run, moderate, **options):
        bassin_obj = Bassin.objects.filter(slug=bassin).first()
        if bassin_obj is None:
            slugs = ", ".join(Bassin.objects.values_list("slug", flat=True))
            raise CommandError(f"Bassin inconnu « {bassin} ». Bassins : {slugs}.")
        kind_obj = EventKind.objects.filter(slug=kind or "autre").first()
        if kind_obj is None:
            slugs = ", ".join(EventKind.objects.values_list("slug", flat=True))
            raise CommandError(f"Type inconnu « {kind} ». Types : {slugs}.")
        body, url = self._read(location)
        self.stdout.write(f"{len(body):,} octets lus, analyse…")
        with transaction.atomic():
            source = self._source(url, location, bassin_obj, kind_obj, moderate)
            try:
                report = import_calendar(
                    source,
                    body,
                    moderate=moderate,
                    kind_slug=kind,
                    dry_run=dry_run,
                    progress=Bar(self.stdout),
                )
            except CalendarError as error:
                raise CommandError(f"{ErrorCode.NOT_ICAL.label} {error}") from error
            if dry_run:
                transaction.set_rollback(True)
        for line in report.skipped:
            self.stderr.write(f"illisible : {line}")
        prefix = "[essai à blanc, rien n'est écrit] " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))

    def _read(self, location: str) -> tuple[bytes, str]:
        if "://" in location:
            try:
                return fetch_calendar(location).body, location
            except FetchError as error:
                label = ErrorCode(error.code).label
                raise CommandError(f"{label} ({error.detail})") from error
        path = Path(location)
        if location == "-":
            return sys.stdin.buffer.read(), "stdin:"
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {location}")
        return path.read_bytes(), path.resolve().as_uri()

    def _source(self, url, location, bassin, kind, moderate) -> CalendarSource:
        source = CalendarSource.objects.filter(url=url).order_by("pk").first()
        if source is not None:
            slugs = sorted(source.bassins.values_list("slug", flat=True))
            if bassin.slug not in slugs:
                # The source's bassins decide where its events show: say so rather than
                # import into other bassins than the ones asked for.
                where = ", ".join(slugs) or "toute la Région"
                raise CommandError(
                    f"Ce calendrier est déjà la source « {source.name} » (n° {source.pk}), "
                    f"pour : {where}. Changez ses bassins dans l'admin (menu « Calendriers "
                    f"partenaires »), ou relancez avec --bassin {slugs[0] if slugs else '…'}."
                )
            self.stdout.write(f"Source existante « {source.name} » (n° {source.pk}).")
            return source
        source = CalendarSource.objects.create(
            name=Path(location).name or location,
            url=url,
            kind=kind,
            is_trusted=not moderate,
            is_active=False,  # the team switches polling on in the admin if wanted
        )
        source.bassins.set([bassin])
        return source


class Bar:
    """A one-line progress bar (``\\r``) for the write phase."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        ending = "\n" if done >= total else ""
        self.stream.write(f"\r[{bar}] {done:,}/{total:,}", ending=ending)
        self.stream.flush()
