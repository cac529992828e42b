#!/usr/bin/env bash
# Set up and run the whole suite, twice:
#   1. the embedded default (SQLite, eager Celery), with the browser tests;
#   2. PostgreSQL + Redis on 127.0.0.1 with a real Celery worker for the integration tests.
# Extra arguments go to pytest (both passes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
PY="${VENV:-.venv}/bin/python"
export PYTHONPATH="$PWD/platform:$PWD"

$PY -m ruff check .
$PY -m ruff format --check .

echo "== pass 1: embedded default (SQLite)"
env -u DATABASE_URL -u REDIS_URL MAILLAGE_VAR_DIR="$(mktemp -d)" \
  $PY -m pytest -m "not integration" -p no:cacheprovider "$@"

echo "== pass 2: PostgreSQL + Redis"
bash scripts/services.sh
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillage}"
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/3}"
export MAILLAGE_REQUIRE_SERVICES=1
$PY -m pytest -m "not browser" -p no:cacheprovider "$@"
