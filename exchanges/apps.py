from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Espace d'échange")
    # Bassin teams create their channels and moderate them; the référent right
    # (answer_referentrequest) is granted to the helpdesk people individually.
    team_permissions = [
        ("exchanges", "add_channel"),
        ("exchanges", "change_channel"),
        ("exchanges", "view_channel"),
        ("exchanges", "moderate_message"),
        ("exchanges", "view_member"),
    ]
