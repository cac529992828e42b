from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Répertoire")
    # Bassin teams review the change requests and keep entries current.
    team_permissions = [
        ("directory", "add_organisation"),
        ("directory", "change_organisation"),
        ("directory", "view_organisation"),
        ("directory", "add_service"),
        ("directory", "change_service"),
        ("directory", "view_service"),
        ("directory", "view_changerequest"),
        ("directory", "review_changerequest"),
    ]

    # The search's synonyms are regional: the regional team only.
    regional_permissions = [
        ("directory", f"{action}_synonymgroup") for action in ("add", "change", "delete", "view")
    ]

    def ready(self):
        from . import hub, signals

        signals.connect()
        hub.register()
