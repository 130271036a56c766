#!/usr/bin/env bash
# Installs (if missing) and starts Debian's PostgreSQL on localhost:5432, and creates the test role and database
# used by the store's suite. Idempotent: safe to run again. Prints the URL to export as INFERMARK_TEST_PG_URL.
set -euo pipefail

PG_USER=infermark
PG_PASSWORD=infermark
PG_DB=infermark_test
PG_PORT=5432

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "setup-postgres: installing postgresql" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

# The newest installed major version (Debian 12 gives 15).
PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)

if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep -q .; then
  echo "setup-postgres: creating cluster $PG_VERSION/main" >&2
  as_root pg_createcluster "$PG_VERSION" main --port "$PG_PORT" >&2
fi

if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  echo "setup-postgres: starting cluster $PG_VERSION/main" >&2
  as_root pg_ctlcluster "$PG_VERSION" main start >&2
fi

for _ in $(seq 1 30); do
  pg_isready -q -h localhost -p "$PG_PORT" && break
  sleep 1
done
pg_isready -h localhost -p "$PG_PORT" >&2

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
else
  psql_admin -c "ALTER ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER"
fi

URL="postgres://$PG_USER:$PG_PASSWORD@localhost:$PG_PORT/$PG_DB"
# Password authentication over TCP is Debian's default (scram-sha-256 for host 127.0.0.1/::1); check it works.
PGPASSWORD="$PG_PASSWORD" psql -X -q -h localhost -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -tAc "SELECT 1" >/dev/null
echo "$URL"
