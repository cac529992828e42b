"""Diagnostics the worker can be asked about (used by the deployment tests)."""

import platform
import sys

from celery import shared_task


@shared_task(name="maillage.tasks.describe_runtime")
def describe_runtime() -> dict:
    """Say which ``platform`` module this process imported, and from where."""
    return {
        "platform_file": getattr(platform, "__file__", None),
        "python_version": platform.python_version(),
        "system": platform.system(),
        "executable": sys.executable,
    }
