from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = _("Info Prévention Santé")
    # Bassin teams edit the theme calendar's dossiers and see the send reports.
    team_permissions = [
        ("newsletters", "view_themedossier"),
        ("newsletters", "change_themedossier"),
        ("newsletters", "view_thememonth"),
        ("newsletters", "view_mailing"),
    ]

    def ready(self):
        from anymail.signals import tracking
        from wagtail.signals import page_published

        from .bounces import on_tracking_event
        from .tasks import on_page_published

        page_published.connect(on_page_published, dispatch_uid="newsletters-send-on-publish")
        tracking.connect(on_tracking_event, dispatch_uid="newsletters-bounces")

        from .hub import register as register_hub_sections

        register_hub_sections()
