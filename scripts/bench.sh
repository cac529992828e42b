#!/usr/bin/env bash
# Run every bench/*.py in turn and print its figures. Each script is standalone
# (python bench/<area>.py from the repo root) and uses PostgreSQL when DATABASE_URL
# is set. A failing benchmark is reported and the others still run; the exit status
# says whether all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
[[ -x "$PY" ]] || PY="$(command -v python3)"
export PYTHONPATH="$PWD/platform:$PWD${PYTHONPATH:+:$PYTHONPATH}"

shopt -s nullglob
benches=(bench/*.py)
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "bench: no bench/*.py yet"
  exit 0
fi

failed=()
for bench in "${benches[@]}"; do
  echo "== $bench"
  start=$(date +%s)
  if "$PY" "$bench"; then
    echo "-- $bench: ok in $(( $(date +%s) - start ))s"
  else
    echo "-- $bench: FAILED (exit $?) after $(( $(date +%s) - start ))s"
    failed+=("$bench")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench: ${#failed[@]} failed: ${failed[*]}"
  exit 1
fi
echo "bench: all ${#benches[@]} ran"
