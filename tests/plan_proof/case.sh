#!/bin/sh
# tests/plan_proof/case.sh - one proof case (run.sh describes them).
#
#   case.sh CASE.sql
#
# Reads PROOF_BASE (libpq connection string without dbname), PROOF_DIR (a
# work directory), PROOF_HERE (tests/plan_proof) and PGSAFE from run.sh.
# Writes "ok NAME" or "FAIL NAME: why" to $PROOF_DIR/NAME/result.
set -u
f=$1
name=$(basename "$f" .sql)
w=$PROOF_DIR/$name
here=$PROOF_HERE
base=$PROOF_BASE
mkdir -p "$w"

sql() {
	db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 "$base dbname=$db" "$@"
}
result() {
	echo "$1" >"$w/result"
	exit 0
}

opts=$(head -n 1 "$f" | sed -n 's/^-- pgsafe-test: //p')
expect_exit=0
if head -n 3 "$f" | grep -q '^-- proof: not-online'; then
	expect_exit=1
fi
ctx="--context $here/setup.sql"
if head -n 3 "$f" | grep -q '^-- proof: schema-dump'; then
	ctx="--schema $PROOF_DIR/schema.dump.sql"
fi
for db in "o_$name" "p_$name"; do
	sql postgres -c "CREATE DATABASE \"$db\" TEMPLATE proof_template" >/dev/null 2>&1 ||
		result "FAIL $name: cannot create database $db"
done
if [ -f "$here/cases/$name.setup" ]; then
	for db in "o_$name" "p_$name"; do
		sql "$db" -f "$here/cases/$name.setup" >>"$w/setup.log" 2>&1 ||
			result "FAIL $name: its setup failed: $(tail -n 3 "$w/setup.log")"
	done
	ctx="$ctx --context $here/cases/$name.setup"
fi
# the migration as written
sql "o_$name" -f "$f" >"$w/original.log" 2>&1 ||
	result "FAIL $name: the migration itself fails: $(tail -n 3 "$w/original.log")"
# the plan as JSON, checked by its own verifier and by pgsafe verify
code=0
# shellcheck disable=SC2086  # option lists are meant to split
"$PGSAFE" plan $ctx --batch-size 700 --batch-pause 0 $opts "$f" >"$w/plan.json" 2>"$w/plan.err" || code=$?
[ "$code" -eq "$expect_exit" ] ||
	result "FAIL $name: pgsafe plan exited $code, expected $expect_exit: $(cat "$w/plan.err")"
if grep -q "fails verification" "$w/plan.err"; then
	result "FAIL $name: the plan fails its own verification: $(cat "$w/plan.err")"
fi
# shellcheck disable=SC2086
"$PGSAFE" verify $ctx "$w/plan.json" >"$w/verify.out" 2>&1 ||
	result "FAIL $name: pgsafe verify rejects the plan: $(cat "$w/verify.out")"
# the plan as a psql script, every checkpoint told to continue
# shellcheck disable=SC2086
"$PGSAFE" plan $ctx --batch-size 700 --batch-pause 0 --format sql $opts "$f" >"$w/plan.sql" 2>/dev/null
sql "p_$name" -v pgsafe_continue=1 -f "$w/plan.sql" >"$w/plan.log" 2>&1 ||
	result "FAIL $name: the plan fails on PostgreSQL: $(tail -n 5 "$w/plan.log")"
for side in o p; do
	psql -X -At -v ON_ERROR_STOP=1 "$base dbname=${side}_$name" -f "$here/catalog.sql" \
		>"$w/$side.catalog" 2>&1 || result "FAIL $name: catalog.sql failed: $(tail -n 3 "$w/$side.catalog")"
done
if ! diff -u "$w/o.catalog" "$w/p.catalog" >"$w/catalog.diff"; then
	result "FAIL $name: the databases differ (- migration, + plan):
$(head -n 40 "$w/catalog.diff")"
fi
for db in "o_$name" "p_$name"; do
	sql postgres -c "DROP DATABASE \"$db\"" >/dev/null 2>&1
done
result "ok $name"
