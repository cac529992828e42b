import pytest


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Open-door tests check e-mails in ``mail.outbox``: run tasks in-process."""
    from maillage.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    app.conf.task_always_eager = previous
