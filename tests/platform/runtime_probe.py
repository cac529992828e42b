"""A task that exists only for the deployment tests: which ``platform`` module a Celery
worker imported. The test worker loads it with ``--include`` (tests.conftest)."""

import platform
import sys

from celery import shared_task


@shared_task(name="tests.platform.runtime_probe.describe_runtime")
def describe_runtime() -> dict:
    return {
        "platform_file": getattr(platform, "__file__", None),
        "python_version": platform.python_version(),
        "system": platform.system(),
        "executable": sys.executable,
    }
