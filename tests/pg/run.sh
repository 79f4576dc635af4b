#!/bin/sh
# Checks pgsafe's effects model against a real PostgreSQL 15: starts a
# throwaway cluster on 127.0.0.1, runs every statement of testdata/effects/
# on tables holding rows, compares what PostgreSQL did (pg_locks,
# pg_class.relfilenode, pg_stat_xact_user_tables) with pgsafe's JSON, and
# stops the cluster, whatever happens.
#   run.sh PG_EFFECTS PGSAFE SRCDIR
set -eu
pg_effects=$1
pgsafe=$2
src=$3
if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
	echo "pg: PostgreSQL 15 is not installed (sh tools/setup.sh installs it)" >&2
	exit 1
fi
dir=$(mktemp -d /tmp/pgsafe-pg.XXXXXX)
cleanup() { "$src/tests/pg_cluster.sh" stop "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
conn=$("$src/tests/pg_cluster.sh" start "$dir")
"$pg_effects" compare "$conn" "$pgsafe" "$src"/testdata/effects/*.sql
