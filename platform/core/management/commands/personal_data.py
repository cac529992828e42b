"""Right of access and erasure: ``personal_data --email X`` lists what Maillage holds
about an address; ``--erase`` erases it (see core.privacy)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from core.privacy import erase_personal_data, personal_data_about


class Command(BaseCommand):
    help = "List (or, with --erase, erase) the personal data held about an e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="the person's e-mail address")
        parser.add_argument(
            "--erase", action="store_true", help="erase everything listed (cannot be undone)"
        )

    def handle(self, *args, email: str, erase: bool, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an e-mail address: {email!r}") from error
        found = personal_data_about(email)
        if not found:
            self.stdout.write(f"Nothing is held about {email}.")
            return
        for source, lines in found.items():
            self.stdout.write(f"[{source}]")
            for line in lines:
                self.stdout.write(f"  {line}")
        if not erase:
            self.stdout.write("Run again with --erase to erase it.")
            return
        with transaction.atomic():
            erased = erase_personal_data(email)
        for source, count in erased.items():
            self.stdout.write(f"[{source}] {count} record(s) erased")
        remaining = personal_data_about(email)
        if remaining:
            raise CommandError(f"Still held after erasure: {remaining}")
        self.stdout.write(self.style.SUCCESS(f"Everything held about {email} was erased."))
