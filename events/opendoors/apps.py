from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDoorsConfig(AppConfig):
    name = "events.opendoors"
    label = "opendoors"
    verbose_name = _("Semaines Portes Ouvertes")
    # Granted to every bassin team group by bassins.permissions.ensure_team_groups();
    # the admin views then scope each team to its own bassin's weeks.
    team_permissions = [
        ("opendoors", "view_opendoorweek"),
        ("opendoors", "change_opendoorweek"),
        ("opendoors", "add_opendoorweek"),
        ("opendoors", "view_registration"),
        ("opendoors", "change_registration"),
        ("opendoors", "view_booking"),
    ]

    def ready(self):
        from . import directory_page, hub, signals  # noqa: F401

        directory_page.register()
        hub.register()
