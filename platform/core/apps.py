from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Maillage core"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Registers the mail task, which core.mail queues by name.
        from . import tasks  # noqa: F401

        # Each app declares its retention rules and personal-data sources in privacy.py.
        autodiscover_modules("privacy")
        from . import outbox_privacy  # noqa: F401  (the outbox, core's own source)
