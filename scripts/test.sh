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

# Parallel workers (pytest-xdist; on PostgreSQL each worker has a database of its own). Unit and
# AppTest tests keep both cores busy with 2 workers; browser tests mostly wait on the browser and
# the server, so they take 3, and an idle one takes tests queued for another (worksteal) so that a
# long test does not hold the end of the run. The two run one after the other: side by side, a starved server
# could start a run after the browser test had seen the page settle. Arguments (e.g. -k quiz,
# a test file) run one pytest instead.
WORKERS=${AMANE_TEST_WORKERS:-2}
BROWSER_WORKERS=${AMANE_TEST_BROWSER_WORKERS:-3}

suite() {
  if [ $# -gt 0 ]; then
    $PY -m pytest -q -p no:cacheprovider -n "$WORKERS" "$@"
  else
    $PY -m pytest -q -p no:cacheprovider -n "$WORKERS" tests/unit tests/ui
    $PY -m pytest -q -p no:cacheprovider -n "$BROWSER_WORKERS" --dist worksteal tests/e2e
  fi
}

echo "== tests on SQLite"
suite "$@"

pgdir=$(mktemp -d /tmp/amane-pg.XXXXXX)
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
url=$(bash scripts/postgres.sh start "$pgdir" "$port")
echo "== tests on PostgreSQL ($url)"
AMANE_TEST_DATABASE_URL=$url suite "$@"
