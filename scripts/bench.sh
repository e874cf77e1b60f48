#!/usr/bin/env bash
# Benchmarks (not part of make test): figures are printed as ratios to a bare Streamlit page
# measured in the same run, since the machine may be shared and noisy.
#   1. bench/pages.py: content load time, then each main page against the bare page (SQLite)
#   2. bench/dashboard.py: the class dashboard and the admin's school-wide views for schools of
#      30 to 30,000 pupils, on SQLite and on a throwaway PostgreSQL
#   3. bench/load.py: 30 and 100 pupils at once against a real server, as Streamlit clients
#   4. bench/browser.py: the class dashboard, staff sign-in and pupils' clicks in Chromium, beside
#      a one-button Streamlit page served in the same run
#   5. bench/slow_link.py: the bytes of a pupil's first load and of the dashboard, and the time of
#      a pupil's first load at 2 and 8 Mbit/s, with and without nginx, beside the bare page
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "== content and pages"
$PY -m bench.pages

echo
echo "== growth: SQLite and PostgreSQL"
pgdir=$(mktemp -d /tmp/amane-bench-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if url=$(bash scripts/postgres.sh start "$pgdir" "$port"); then
  $PY -m bench.dashboard --database-url "$url"
else
  echo "(no PostgreSQL: SQLite only)"
  $PY -m bench.dashboard
fi
bash scripts/postgres.sh stop "$pgdir"

echo
echo "== load: 30 and 100 pupils, every pupil clicking again the moment a page answers (worst case)"
$PY -m bench.load
echo
echo "== load: 30 and 100 pupils reading each screen for 2.5 to 7.5 s before clicking (a class at work)"
$PY -m bench.load --think 5

echo
echo "== browser: Chromium, beside a bare Streamlit page"
$PY -m bench.browser

echo
echo "== a slow school link: bytes and a pupil's first load, make run and behind nginx"
$PY -m bench.slow_link
