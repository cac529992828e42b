from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")
    default_auto_field = "django.db.models.BigAutoField"
    # Added to every bassin team group by bassins.permissions.ensure_team_groups();
    # rows are further restricted to the team's bassin in events.viewsets.
    team_permissions = [
        ("events", "add_event"),
        ("events", "change_event"),
        ("events", "delete_event"),
        ("events", "view_event"),
        ("events", "moderate_event"),
        ("events", "view_eventkind"),
    ]

    def ready(self):
        from . import directory_page, hub, signals, warmup

        signals.connect()
        directory_page.register()
        hub.register()
        warmup.connect()
