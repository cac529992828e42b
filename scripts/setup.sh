#!/usr/bin/env bash
# Set up a working copy: virtual environment, dependencies, compiled translations.
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh --dev    plus the test tools and Debian's Chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
WITH_DEV=0
[[ "${1:-}" == "--dev" ]] && WITH_DEV=1

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [[ $apt_updated -eq 0 ]]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# System packages: msgfmt for the translation catalogues, Chromium for browser tests.
command -v msgfmt >/dev/null || apt_install gettext
if [[ $WITH_DEV -eq 1 && ! -x /usr/bin/chromium ]]; then apt_install chromium; fi
# Caddy validates the reverse proxy's Caddyfile in tests/platform/test_compose.py.
if [[ $WITH_DEV -eq 1 ]] && ! command -v caddy >/dev/null; then apt_install caddy; fi
if ! "$PYTHON" -c "import venv, ensurepip" 2>/dev/null; then apt_install python3-venv; fi

[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"

# Reinstall only when pyproject.toml changed since the last successful install.
stamp="$VENV/.maillage-deps-$WITH_DEV"
digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$digest" ]]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  requirements=$(mktemp)
  "$VENV/bin/python" - "$WITH_DEV" > "$requirements" <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))
print("\n".join(project["project"]["dependencies"]))
if sys.argv[1] == "1":
    print("\n".join(project["dependency-groups"]["dev"]))
PY
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
  rm -f "$requirements"
  echo "$digest" > "$stamp"
fi

"$VENV/bin/python" manage.py compilemessages --ignore="$VENV" --use-fuzzy -v 0
echo "setup: done ($VENV)"
