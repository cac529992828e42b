#!/usr/bin/env bash
# The embedded default, from nothing to a served site on http://127.0.0.1:8000:
# SQLite in var/, Celery tasks run eagerly, e-mail printed to this console.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY="${VENV:-.venv}/bin/python"
export SITE_URL="${SITE_URL:-http://${HOST:-127.0.0.1}:${PORT:-8000}}"
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference_data
$PY manage.py load_demo_data
$PY manage.py ensure_admin
exec $PY manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
