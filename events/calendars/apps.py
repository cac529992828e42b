from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "events.calendars"
    label = "calendars"
    verbose_name = _("Calendriers partenaires")
    default_auto_field = "django.db.models.BigAutoField"
    # Granted to every bassin team group by bassins.permissions.ensure_team_groups();
    # the admin then scopes each team to the sources of its own bassin(s).
    team_permissions = [
        ("calendars", "add_calendarsource"),
        ("calendars", "change_calendarsource"),
        ("calendars", "delete_calendarsource"),
        ("calendars", "view_calendarsource"),
    ]
