"""platform/ must not shadow the standard library's ``platform`` module."""

import platform
import sysconfig
from pathlib import Path

import pytest

STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def test_platform_is_the_standard_library_inside_the_configured_app():
    import django

    django.setup()
    assert Path(platform.__file__).resolve().parent == STDLIB
    assert platform.python_version()  # what kombu and Celery call


def test_platform_folder_is_not_a_package():
    root = Path(__file__).resolve().parents[2]
    assert (root / "platform").is_dir()
    assert not (root / "platform" / "__init__.py").exists()


def test_describe_runtime_task_reports_stdlib_platform_when_run_eagerly():
    from maillage.tasks import describe_runtime

    result = describe_runtime.apply().get()
    assert Path(result["platform_file"]).resolve().parent == STDLIB


@pytest.mark.integration
def test_platform_is_the_standard_library_inside_a_celery_worker(celery_worker):
    from maillage.tasks import describe_runtime

    result = describe_runtime.delay().get(timeout=30)
    assert Path(result["platform_file"]).resolve().parent == STDLIB
    assert result["python_version"] == platform.python_version()
