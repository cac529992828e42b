"""The Celery application.

Worker: ``celery -A maillage worker``; beat: ``celery -A maillage beat``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")

app = Celery("maillage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
