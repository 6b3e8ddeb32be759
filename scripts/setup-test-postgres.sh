#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster if it is stopped, makes sure a test role and
# database exist, and prints the URL the tests should use. Needs root (or the postgres user).
set -euo pipefail
version=${PG_VERSION:-15}
cluster=${PG_CLUSTER:-main}
db=${CLASP_TEST_DB:-clasp_test}
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed (no pg_ctlcluster): install postgresql or set TEST_DATABASE_URL" >&2
  exit 1
fi
if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c && $4=="online" {found=1} END {exit !found}'; then
  pg_ctlcluster "$version" "$cluster" start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi; }
as_postgres psql -p "$port" -qtAc "select 1 from pg_roles where rolname='clasp'" | grep -q 1 \
  || as_postgres psql -p "$port" -qc "create role clasp login superuser password 'clasp'" >&2
as_postgres psql -p "$port" -qtAc "select 1 from pg_database where datname='$db'" | grep -q 1 \
  || as_postgres createdb -p "$port" -O clasp "$db" >&2
echo "postgres://clasp:clasp@127.0.0.1:$port/$db"
