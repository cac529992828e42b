"""Create the local administrator of the embedded site (once) and print its credentials."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the superuser 'admin' when missing and print how to log in."

    def handle(self, *args, **options):
        username = os.environ.get("MAILLAGE_ADMIN_USER", "admin")
        password = os.environ.get("MAILLAGE_ADMIN_PASSWORD", "maillage-admin")
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, f"{username}@example.org", password)
            self.stdout.write(f"Created superuser '{username}'.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: {settings.SITE_URL}/admin/  user: {username}  password: {password} "
                "(set MAILLAGE_ADMIN_PASSWORD to choose another one on first run)"
            )
        )
