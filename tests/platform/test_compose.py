"""docker-compose.yml stays consistent with the settings and the code it runs."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import missing_service

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = {name: s for name, s in SERVICES.items() if "build" in s}
# Variables the runtime itself reads, not the settings.
RUNTIME_VARIABLES = {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTHONUNBUFFERED"}


def variables_read_by_the_code() -> set[str]:
    """Every environment variable name the project's Python code reads."""
    pattern = re.compile(
        r"""(?:env|Env\(\))\.(?:str|int|bool|list|db|json|float|email_url|url|cache)\(\s*"([A-Z0-9_]+)"
        |os\.environ(?:\.get)?[\[(]\s*"([A-Z0-9_]+)"
        |os\.environ\.setdefault\(\s*"([A-Z0-9_]+)"
        """,
        re.VERBOSE,
    )
    names: set[str] = set()
    for folder in ("platform", "events", "directory", "newsletters"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in pattern.finditer(path.read_text()):
                names.update(group for group in match.groups() if group)
    return names


def production_required_variables() -> tuple[str, ...]:
    tree = ast.parse((ROOT / "platform/maillage/settings/production.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "REQUIRED_ENV":
            return ast.literal_eval(node.value)
    raise AssertionError("production.py lost REQUIRED_ENV")


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error} substitution."""

    def substitute(match):
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        if environ.get(name):
            return environ[name]
        if operator == ":-":
            return argument
        if operator == ":?":
            raise KeyError(f"{name}: {argument}")
        return ""

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", substitute, str(value))


def service_environment(name: str, environ: dict[str, str]) -> dict[str, str]:
    return {k: interpolate(v, environ) for k, v in APP_SERVICES[name]["environment"].items()}


def command_words(service) -> list[str]:
    command = service.get("command")
    if command is None:
        return []
    return command if isinstance(command, list) else shlex.split(command)


def test_compose_has_the_deployment_services():
    assert {"web", "worker", "beat", "postgres", "redis", "mailpit"} <= set(SERVICES)
    assert {"web", "worker", "beat", "migrate"} <= set(APP_SERVICES)
    assert (ROOT / "Dockerfile").exists()


@pytest.mark.parametrize("service", sorted(APP_SERVICES))
def test_every_variable_given_to_the_app_is_read_by_the_settings(service):
    read = variables_read_by_the_code() | RUNTIME_VARIABLES
    unknown = set(APP_SERVICES[service]["environment"]) - read
    assert not unknown, f"{service} sets variables nothing reads: {sorted(unknown)}"


@pytest.mark.parametrize("service", sorted(APP_SERVICES))
def test_every_variable_production_requires_is_provided(service):
    environment = APP_SERVICES[service]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "maillage.settings.production"
    missing = set(production_required_variables()) - set(environment)
    assert not missing, f"{service} lacks {sorted(missing)}"


@pytest.mark.parametrize("service", sorted(APP_SERVICES))
def test_app_services_wait_for_postgres_and_redis(service):
    depends = APP_SERVICES[service]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    if service != "migrate":
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_service_urls_point_at_the_compose_services():
    env = service_environment("web", {"SECRET_KEY": "x"})
    postgres = SERVICES["postgres"]["environment"]
    password = interpolate(postgres["POSTGRES_PASSWORD"], {})
    assert env["DATABASE_URL"] == (
        f"postgres://{postgres['POSTGRES_USER']}:{password}@postgres:5432/{postgres['POSTGRES_DB']}"
    )
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["EMAIL_URL"] == "smtp://mailpit:1025"


def test_compose_refuses_to_start_without_a_secret_key():
    with pytest.raises(KeyError, match="SECRET_KEY"):
        service_environment("web", {})


def test_web_runs_gunicorn_on_the_real_wsgi_application():
    words = command_words(SERVICES["web"])
    assert words[0] == "gunicorn"
    module_name, attribute = words[1].split(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute))
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "maillage.wsgi:application" in dockerfile
    assert "collectstatic" in dockerfile and "PYTHONPATH=/app/platform:/app" in dockerfile


def test_worker_and_beat_run_the_real_celery_app():
    from celery import Celery
    from django.conf import settings

    for name in ("worker", "beat"):
        words = command_words(SERVICES[name])
        assert words[:3] == ["celery", "-A", "maillage"]
        assert isinstance(importlib.import_module("maillage.celery").app, Celery)
    assert command_words(SERVICES["beat"])[3] == "beat"
    assert settings.CELERY_BEAT_SCHEDULER.startswith("django_celery_beat.")
    # the worker consumes every queue a task is routed to
    words = command_words(SERVICES["worker"])
    consumed = set(words[words.index("-Q") + 1].split(","))
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= consumed


def test_management_commands_used_by_compose_exist():
    from django.core.management import get_commands

    commands = get_commands()
    text = " ".join(" ".join(command_words(s)) for s in APP_SERVICES.values())
    used = re.findall(r"manage\.py (\w+)", text)
    assert {"migrate", "load_reference_data"} <= set(used)
    for command in used:
        assert command in commands, command
    header = (ROOT / "docker-compose.yml").read_text()
    for command in re.findall(r"manage\.py (\w+)", header):
        assert command in commands, command


def test_production_settings_load_and_pass_check_deploy_with_the_compose_environment(tmp_path):
    environment = service_environment("web", {"SECRET_KEY": secrets.token_urlsafe(64)})
    environment["MAILLAGE_VAR_DIR"] = str(tmp_path / "var")
    environment["MEDIA_ROOT"] = str(tmp_path / "media")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- the reverse proxy (Caddy) in front of web

PROXY = SERVICES["proxy"]
CADDYFILE = (ROOT / "Caddyfile").read_text()


def volume_mounts(service) -> dict[str, str]:
    """``{volume or host path: path in the container}`` of a service."""
    return dict(entry.split(":")[:2] for entry in service.get("volumes", []))


def test_the_proxy_is_a_maintained_image_and_the_only_published_service():
    assert PROXY["image"].split(":")[0] == "caddy"
    published = {str(port).split(":")[0] for port in PROXY["ports"]}
    assert {"80", "443"} <= published
    for name, service in APP_SERVICES.items():
        # a published web port would let anyone bypass the proxy and forge X-Forwarded-For
        assert "ports" not in service, f"{name} is reachable without the proxy"
    assert PROXY["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_proxy_forwards_to_the_port_gunicorn_binds():
    words = command_words(SERVICES["web"])
    port = words[words.index("--bind") + 1].rsplit(":", 1)[1]
    assert re.search(rf"reverse_proxy\s+web:{port}\b", CADDYFILE)
    assert port in [str(p) for p in SERVICES["web"]["expose"]]


def test_the_app_trusts_exactly_the_proxy_compose_puts_in_front_of_it():
    env = service_environment("web", {"SECRET_KEY": "x"})
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    # Caddy trusts no upstream proxy, so X-Forwarded-For holds one address it wrote itself
    assert "trusted_proxies" not in re.sub(r"#.*", "", CADDYFILE)


def test_the_proxy_serves_the_static_files_and_images_the_app_writes():
    env = service_environment("web", {"SECRET_KEY": "x"})
    app_mounts = {path: volume for volume, path in volume_mounts(SERVICES["web"]).items()}
    proxy_mounts = volume_mounts(PROXY)
    static_volume = app_mounts[env["STATIC_ROOT"]]
    media_volume = app_mounts[env["MEDIA_ROOT"]]
    assert re.search(rf"root \* {proxy_mounts[static_volume]}\n", CADDYFILE)
    assert re.search(rf"root \* {proxy_mounts[media_volume]}/images\n", CADDYFILE)
    assert proxy_mounts["./Caddyfile"] == "/etc/caddy/Caddyfile"
    # the shared static volume is filled before web starts
    assert "collectstatic" in command_words(SERVICES["migrate"])[-1]


def test_the_caddyfile_is_valid_for_caddy():
    if not shutil.which("caddy"):
        missing_service("caddy is not installed (scripts/setup.sh --dev installs it)")
    result = subprocess.run(
        ["caddy", "adapt", "--config", str(ROOT / "Caddyfile")],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SITE_HOST": "maillage.example.org"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    server = next(iter(config["apps"]["http"]["servers"].values()))
    assert server["listen"] == [":443"]  # automatic HTTPS for SITE_HOST
    assert "maillage.example.org" in result.stdout
    assert '"dial":"web:8000"' in result.stdout.replace(" ", "")


def test_the_image_defaults_to_the_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    defaults = re.findall(r"^ENV DJANGO_SETTINGS_MODULE=(\S+)", dockerfile, re.MULTILINE)
    assert defaults == ["maillage.settings.production"]


# --- WebSockets of the exchange space (daphne behind the same proxy)


def test_the_ws_service_runs_daphne_on_the_real_asgi_application():
    words = command_words(SERVICES["ws"])
    assert words[0] == "daphne"
    module_name, attribute = words[-1].split(":")
    application = getattr(importlib.import_module(module_name), attribute)
    assert callable(application)
    assert "--proxy-headers" in words
    port = words[words.index("-p") + 1]
    assert port in [str(p) for p in SERVICES["ws"]["expose"]]


def test_the_proxy_sends_websocket_upgrades_under_ws_to_daphne_and_the_rest_to_gunicorn():
    words = command_words(SERVICES["ws"])
    port = words[words.index("-p") + 1]
    block = re.search(r"handle /ws/\* \{\s*reverse_proxy\s+ws:(\d+)\s*\}", CADDYFILE)
    assert block and block.group(1) == port
    # the /ws/ route comes before the catch-all handle that goes to gunicorn
    assert CADDYFILE.index("handle /ws/*") < CADDYFILE.index("reverse_proxy web:")
    from exchanges.routing import websocket_urlpatterns

    assert all(str(p.pattern).startswith("ws/") for p in websocket_urlpatterns)


def test_several_ws_processes_share_messages_through_redis():
    env = service_environment("ws", {"SECRET_KEY": "x"})
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    source = (ROOT / "platform/maillage/settings/base.py").read_text()
    assert "channels_redis.core.RedisChannelLayer" in source
