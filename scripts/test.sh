#!/usr/bin/env bash
# The whole suite: lint, content checks, every test on SQLite, then again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# Browser tests use Debian's Chromium (never a downloaded browser build); the scale-out test
# (tests/e2e/test_scale_out.py) runs Debian's nginx in front of two app replicas.
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium fonts-noto-core fonts-noto-color-emoji)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || packages+=(nginx)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${packages[*]} (apt-get)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}") >/dev/null
  else
    echo "Browser tests need: run 'sudo apt-get install ${packages[*]}'" >&2
    exit 1
  fi
fi

echo "== ruff"
.venv/bin/ruff check .
echo "== content"
.venv/bin/amane check-content

echo "== tests on SQLite"
$PY -m pytest -q -p no:cacheprovider "$@"

pgdir=$(mktemp -d /tmp/amane-pg.XXXXXX)
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
url=$(bash scripts/postgres.sh start "$pgdir" "$port")
echo "== tests on PostgreSQL ($url)"
AMANE_TEST_DATABASE_URL=$url $PY -m pytest -q -p no:cacheprovider "$@"
