#!/bin/sh
# tests/plan_proof/run.sh - proves the planner on a real PostgreSQL 15.
#
#   run.sh PGSAFE SRCDIR [CASE...]
#
# Starts one private cluster (tests/pg_cluster.sh) and builds a template
# database from setup.sql. For every cases/NAME.sql (or the CASEs named),
# two copies of the template are made; cases/NAME.setup.sql, when present,
# runs in both. The migration runs in the first as psql would run it; in
# the second runs the plan pgsafe makes of it, rendered for psql with
# every checkpoint told to continue. The plan must also pass
# `pgsafe verify`. Then the two databases must agree on catalog.sql's
# listing: tables, columns by name with type, NOT NULL and default,
# constraints, indexes, views, triggers, functions, and each table's row
# count and row checksum.
#
# A case's first line may carry options for `pgsafe plan`
# (-- pgsafe-test: --pg-version=14), and its first three lines "-- proof:
# not-online" when some step is expected to be not online (plan exits 1),
# "-- proof: schema-dump" to plan against pg_dump's output of the schema
# (--schema) rather than setup.sql (--context).
#
# After the cases, rules.sh checks the PostgreSQL behaviours the psql
# rendering relies on; checkpoints.sh, retry.sh and resume.sh the script's
# own stops at checkpoints, retries on lock timeouts, and resumption after a
# failed step. Ends with "N passed, M failed".
set -eu

pgsafe=$1
src=$2
shift 2
here=$src/tests/plan_proof

if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
	echo "planproof: PostgreSQL 15 is not installed (sh tools/setup.sh installs it)" >&2
	exit 1
fi
command -v psql >/dev/null 2>&1 || { echo "planproof: psql not found" >&2; exit 1; }

dir=$(mktemp -d /tmp/pgsafe-proof.XXXXXX)
cluster=$(mktemp -d /tmp/pgsafe-proof-pg.XXXXXX)
cleanup() {
	"$src/tests/pg_cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
	rmdir "$cluster" 2>/dev/null || true   # when the cluster never started
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
conn=$("$src/tests/pg_cluster.sh" start "$cluster")
base=${conn% dbname=postgres}
export PROOF_BASE="$base" PROOF_DIR="$dir" PGSAFE="$pgsafe" PROOF_HERE="$here"

# sql DB [psql options...]: psql on database DB, stopping at the first error
sql() {
	db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 "$base dbname=$db" "$@"
}

sql postgres -c "CREATE DATABASE proof_template" >/dev/null
sql proof_template -f "$here/setup.sql" >"$dir/setup.log" 2>&1 || {
	cat "$dir/setup.log" >&2
	echo "planproof: setup.sql failed" >&2
	exit 1
}
# the same schema as pg_dump writes it, for the cases planned with --schema
pg_dump --schema-only "$base dbname=proof_template" >"$dir/schema.dump.sql" || {
	echo "planproof: pg_dump failed" >&2
	exit 1
}

# the cases, four at a time (CREATE DATABASE takes about a second each)
if [ $# -gt 0 ]; then
	for c in "$@"; do
		echo "$here/cases/$c.sql"
	done
else
	ls "$here"/cases/*.sql
fi | xargs -P 4 -n 1 sh "$here/case.sh"

passed=0
failed=0
for r in "$dir"/*/result; do
	[ -f "$r" ] || continue
	cat "$r"
	case $(head -n 1 "$r") in
	ok*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
done
if [ $# -eq 0 ]; then
	for t in rules checkpoints retry resume; do
		[ -f "$here/$t.sh" ] || continue
		if sh "$here/$t.sh" >"$dir/$t.log" 2>&1; then
			echo "ok $t.sh"
			passed=$((passed + 1))
		else
			echo "FAIL $t.sh:"
			tail -n 20 "$dir/$t.log"
			failed=$((failed + 1))
		fi
	done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
