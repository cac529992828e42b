from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BassinsConfig(AppConfig):
    name = "bassins"
    verbose_name = _("Bassins d'aide et de soins")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from django.urls import register_converter

        from core.batched_reads import forget

        from . import queries
        from .context_processors import NAV_BASSINS_KEY
        from .converters import BassinSlugConverter
        from .models import Bassin, BassinPage, HomePage

        register_converter(BassinSlugConverter, "bassin")
        HomePage.context_provider = staticmethod(lambda page, request: queries.home_context(page))
        BassinPage.context_provider = staticmethod(queries.bassin_page_context)

        def forget_navigation(**kwargs):
            forget(NAV_BASSINS_KEY)

        post_save.connect(forget_navigation, sender=Bassin, weak=False)
        post_delete.connect(forget_navigation, sender=Bassin, weak=False)
