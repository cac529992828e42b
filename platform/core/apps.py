from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Maillage core"

    def ready(self):
        # Registers the mail task, which core.mail queues by name.
        from . import tasks  # noqa: F401
