from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDoorsConfig(AppConfig):
    name = "events.opendoors"
    label = "opendoors"
    verbose_name = _("Semaines Portes Ouvertes")
