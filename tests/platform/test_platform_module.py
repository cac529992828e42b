"""platform/ must not shadow the standard library's ``platform`` module."""

import platform
import sysconfig
from pathlib import Path

import pytest

from tests.platform.runtime_probe import describe_runtime

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
    result = describe_runtime.apply().get()
    assert Path(result["platform_file"]).resolve().parent == STDLIB


@pytest.mark.integration
def test_platform_is_the_standard_library_inside_a_celery_worker(celery_worker):
    result = describe_runtime.delay().get(timeout=30)
    assert Path(result["platform_file"]).resolve().parent == STDLIB
    assert result["python_version"] == platform.python_version()


def test_repo_root_first_on_sys_path_still_gives_the_standard_library():
    """platform/ (no __init__.py) is at most a namespace-package candidate, which loses
    to any regular module of the same name: the stdlib wins whatever the path order."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    script = (
        f"import sys; sys.path[:0] = [{str(root)!r}, {str(root / 'platform')!r}]; "
        "import platform, celery, kombu; print(platform.__file__); platform.python_version()"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve().parent == STDLIB
