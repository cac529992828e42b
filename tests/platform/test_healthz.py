"""/healthz: 200 JSON when the database (and Redis, when configured) answer; 503 otherwise.

The failures are real: a connection to a closed port, never a mocked view."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local TCP port nobody listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthz_is_200_json_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_configured_but_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "checks": {"database": "ok", "redis": "down"},
    }


@pytest.mark.django_db
def test_healthz_uses_one_query(client, settings, django_assert_num_queries):
    settings.REDIS_URL = ""
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


@pytest.mark.integration
@pytest.mark.django_db
def test_healthz_reports_redis_ok_when_it_answers(client, require_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


HEALTHZ_IN_A_FRESH_PROCESS = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status_code": response.status_code, "body": response.json()}))
"""


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    """A whole process whose DATABASE_URL points at a closed PostgreSQL port."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="maillage.settings.test",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/maillage_down",
        REDIS_URL="",
        MAILLAGE_VAR_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
    )
    result = subprocess.run(
        [sys.executable, "-c", HEALTHZ_IN_A_FRESH_PROCESS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {
        "status_code": 503,
        "body": {"status": "down", "checks": {"database": "down"}},
    }
