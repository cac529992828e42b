#!/usr/bin/env bash
# Set up and run the whole suite, in two passes:
#   1. the embedded default (SQLite, eager Celery): the unit tests spread over
#      TEST_WORKERS processes (pytest-xdist), then the browser tests;
#   2. PostgreSQL + Redis on 127.0.0.1: the unit tests (spread likewise: each worker has
#      its own test database and Redis database), then the integration tests (real Celery
#      worker, one at a time: they share the broker).
# Each run prints its 25 slowest tests. Extra arguments go to pytest (every run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
PY="${VENV:-.venv}/bin/python"
export PYTHONPATH="$PWD/platform:$PWD"
WORKERS="${TEST_WORKERS:-2}"

$PY -m ruff check .
$PY -m ruff format --check .
# The layering (.importlinter): apps depend one way, layers inside each app, no cycle.
"$(dirname "$PY")/lint-imports"

PYTEST=("$PY" -m pytest -p no:cacheprovider --durations=25)
parallel=()
[[ "$WORKERS" -gt 1 ]] && parallel=(-n "$WORKERS")

# pytest exits with 5 when a selection holds no test (a mark or -k that matches nothing
# in one of the runs below): that run is empty, not failed.
run() {
  local status=0
  "$@" || status=$?
  if [[ $status -eq 5 ]]; then
    echo "(this run selected no test)"
    return 0
  fi
  return $status
}

echo "== pass 1: embedded default (SQLite)"
embedded=(env -u DATABASE_URL -u REDIS_URL MAILLAGE_VAR_DIR="$(mktemp -d)")
# The unit tests include the fuzz of every endpoint and form (-m fuzz, fixed examples).
run "${embedded[@]}" "${PYTEST[@]}" -m "not integration and not browser" \
  "${parallel[@]}" "$@"
run "${embedded[@]}" "${PYTEST[@]}" -m "browser and not integration" "$@"

echo "== pass 2: PostgreSQL + Redis"
bash scripts/services.sh
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillage}"
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/3}"
export MAILLAGE_REQUIRE_SERVICES=1
run "${PYTEST[@]}" -m "not browser and not integration" "${parallel[@]}" "$@"
run "${PYTEST[@]}" -m "integration and not browser" "$@"
