#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: `postgres.sh start DIR PORT` / `postgres.sh stop DIR`.
# initdb refuses to run as root, so as root it runs as the postgres user.
set -euo pipefail
cmd=$1; dir=$2; port=${3:-55432}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing PostgreSQL (apt-get)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    echo "PostgreSQL is not installed: run 'sudo apt-get install postgresql' (or set AMANE_TEST_PG_URL)." >&2
    exit 1
  fi
fi
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
case $cmd in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    "${as[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U postgres --encoding UTF8 --locale C >"$dir/initdb.log"
    "${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    "${as[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres amane_test
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/amane_test"
    ;;
  stop)
    "${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
