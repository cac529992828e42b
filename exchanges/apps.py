from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Espace d'échange")
    # Bassin teams create their channels and moderate them (bassin-scoped in
    # wagtail_hooks); the référent role is the bassin's helpdesk team's (rights.py).
    team_permissions = [
        ("exchanges", "add_channel"),
        ("exchanges", "change_channel"),
        ("exchanges", "view_channel"),
        ("exchanges", "moderate_message"),
        ("exchanges", "view_member"),
    ]
