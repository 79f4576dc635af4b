#!/bin/sh
# tests/plan_proof/checkpoints.sh - a plan's psql script really stops at its
# deploy checkpoints, and resumes after one: run.sh's environment (PROOF_BASE,
# PROOF_DIR, PROOF_HERE, PGSAFE). The migration has two checkpoints; the
# script is run three times, as an operator would, and the result must equal
# the migration's.
set -eu
base=$PROOF_BASE
w=$PROOF_DIR/checkpoints
mkdir -p "$w"
cat >"$w/migration.sql" <<'SQL'
ALTER TABLE orders ADD COLUMN score int DEFAULT (length(clock_timestamp()::text) * 0 + 7);
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE events DROP COLUMN kind;
SQL
sql() {
	db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 "$base dbname=$db" "$@"
}
for db in o_checkpoints p_checkpoints; do
	sql postgres -c "CREATE DATABASE $db TEMPLATE proof_template" >/dev/null
done
sql o_checkpoints -f "$w/migration.sql" >/dev/null
"$PGSAFE" plan --context "$PROOF_HERE/setup.sql" --batch-pause 0 --format sql "$w/migration.sql" \
	>"$w/plan.sql" 2>/dev/null || true
set -- $(grep -o 'checkpoint_[0-9]*' "$w/plan.sql" | sort -u -t_ -k2,2n | sed 's/checkpoint_//')
[ $# -eq 2 ] || { echo "FAIL: expected two checkpoints, found: $*"; exit 1; }
first=$1
second=$2
column() {
	psql -X -At "$base dbname=p_checkpoints" -c \
		"SELECT count(*) FROM pg_attribute WHERE attrelid = '$1'::regclass AND attname = '$2' AND NOT attisdropped"
}

# run 1: stops at the first checkpoint, with the column added and filled
sql p_checkpoints -f "$w/plan.sql" >"$w/run1.log" 2>&1 || { cat "$w/run1.log"; exit 1; }
grep -q "checkpoint $first: deploy" "$w/run1.log" || { echo "FAIL: run 1 did not stop"; cat "$w/run1.log"; exit 1; }
[ "$(column orders score)" = 1 ] && [ "$(column orders note)" = 1 ] ||
	{ echo "FAIL: run 1 did the wrong steps"; exit 1; }
echo "ok: run 1 stops at checkpoint $first"

# run 2: told the first checkpoint passed, skips what is done, stops at the second
sql p_checkpoints -v "checkpoint_$first=done" -f "$w/plan.sql" >"$w/run2.log" 2>&1 ||
	{ echo "FAIL: run 2"; cat "$w/run2.log"; exit 1; }
grep -q "skipped" "$w/run2.log" && grep -q "checkpoint $second: deploy" "$w/run2.log" ||
	{ echo "FAIL: run 2 did not skip and stop"; cat "$w/run2.log"; exit 1; }
[ "$(column orders note)" = 0 ] && [ "$(column events kind)" = 1 ] ||
	{ echo "FAIL: run 2 did the wrong steps"; exit 1; }
echo "ok: run 2 resumes after checkpoint $first and stops at checkpoint $second"

# run 3: past the second checkpoint, to the end
sql p_checkpoints -v "checkpoint_$second=done" -f "$w/plan.sql" >"$w/run3.log" 2>&1 ||
	{ echo "FAIL: run 3"; cat "$w/run3.log"; exit 1; }
grep -q "plan complete" "$w/run3.log" || { echo "FAIL: run 3 did not finish"; cat "$w/run3.log"; exit 1; }
for side in o p; do
	psql -X -At -v ON_ERROR_STOP=1 "$base dbname=${side}_checkpoints" -f "$PROOF_HERE/catalog.sql" >"$w/$side.catalog"
done
diff -u "$w/o.catalog" "$w/p.catalog" || { echo "FAIL: the databases differ"; exit 1; }
echo "ok: run 3 finishes, and the database equals the migration's"
