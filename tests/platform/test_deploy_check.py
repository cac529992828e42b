"""``manage.py check --deploy`` with the production settings prints no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "maillage.settings.production",
    "DATABASE_URL": "postgres://maillage:secret@postgres:5432/maillage",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_URL": "smtp://mailpit:1025",
    "ALLOWED_HOSTS": "maillage.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://maillage.example.org",
    "SITE_URL": "https://maillage.example.org",
}


def run_manage(args, env_overrides, tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "MAILLAGE_VAR_DIR": str(tmp_path / "var"),
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_prints_no_warning(tmp_path):
    env = PRODUCTION_ENV | {"SECRET_KEY": secrets.token_urlsafe(64)}
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output and "?:" not in output


def test_production_settings_refuse_to_start_without_their_variables(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "maillage.settings.production"}
    result = run_manage(["check"], env, tmp_path)
    assert result.returncode != 0
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
        assert name in result.stderr
    # and the embedded default's generated key is never used in production
    assert not (tmp_path / "var" / "secret_key").exists()
