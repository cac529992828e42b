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

    def ready(self):
        from django.db.models.signals import m2m_changed, post_save

        from . import models
        from .search import reindex_services

        def services_terms_changed(sender, instance, action, **kwargs):
            if action in ("post_add", "post_remove", "post_clear") and isinstance(
                instance, models.Service
            ):
                reindex_services([instance])

        for through in (
            models.Service.themes.through,
            models.Service.publics.through,
            models.Service.languages.through,
            models.Service.modalities.through,
            models.Service.area_bassins.through,
            models.Service.area_communes.through,
        ):
            m2m_changed.connect(services_terms_changed, sender=through, weak=False)

        def organisation_saved(sender, instance, created, raw=False, **kwargs):
            if not created and not raw:
                reindex_services(instance.services.select_related("organisation"))

        post_save.connect(organisation_saved, sender=models.Organisation, weak=False)
