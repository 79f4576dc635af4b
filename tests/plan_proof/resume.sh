#!/bin/sh
# tests/plan_proof/resume.sh - a plan's psql script resumes after a failure:
# run.sh's environment (PROOF_BASE, PROOF_DIR, PROOF_HERE, PGSAFE). A unique
# index fails to build on duplicate rows, CREATE INDEX CONCURRENTLY leaves it
# INVALID; once the data is fixed, the script run again with -v
# pgsafe_from=N skips the steps already done, the guard drops the INVALID
# index, and the build succeeds.
set -eu
base=$PROOF_BASE
w=$PROOF_DIR/resume
mkdir -p "$w"
sql() {
	psql -X -q -v ON_ERROR_STOP=1 "$base dbname=resume" "$@"
}
psql -X -q "$base dbname=postgres" -c "CREATE DATABASE resume TEMPLATE proof_template" >/dev/null
sql -c "UPDATE orders SET email = 'twice@example.com' WHERE id IN (1, 2)"
cat >"$w/migration.sql" <<'SQL'
ALTER TABLE orders ADD COLUMN flag int DEFAULT (length(clock_timestamp()::text) * 0 + 1);
CREATE UNIQUE INDEX orders_email_key ON orders (email);
SQL
"$PGSAFE" plan --context "$PROOF_HERE/setup.sql" --batch-pause 0 --format sql "$w/migration.sql" \
	>"$w/plan.sql" 2>/dev/null || true
guard=$(grep -o '^-- step [0-9]* ([a-z]*, [a-z]*): drop index "public.orders_email_key"' "$w/plan.sql" |
	sed 's/^-- step \([0-9]*\).*/\1/')
[ -n "$guard" ] || { echo "FAIL: no guard step in the plan"; exit 1; }

if sql -f "$w/plan.sql" >"$w/run1.log" 2>&1; then
	echo "FAIL: run 1 should fail on the duplicate emails"
	exit 1
fi
invalid=$(psql -X -At "$base dbname=resume" -c \
	"SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('orders_email_key') AND NOT indisvalid")
[ "$invalid" = 1 ] || { echo "FAIL: no INVALID index left behind"; cat "$w/run1.log"; exit 1; }
echo "ok: run 1 fails and leaves an INVALID index"

sql -c "UPDATE orders SET email = 'once@example.com' WHERE id = 2"
sql -v "pgsafe_from=$guard" -f "$w/plan.sql" >"$w/run2.log" 2>&1 ||
	{ echo "FAIL: run 2"; cat "$w/run2.log"; exit 1; }
valid=$(psql -X -At "$base dbname=resume" -c \
	"SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('orders_email_key') AND indisvalid")
flags=$(psql -X -At "$base dbname=resume" -c "SELECT count(*) FROM orders WHERE flag = 1")
[ "$valid" = 1 ] && [ "$flags" = 4000 ] ||
	{ echo "FAIL: after run 2: valid index $valid, rows filled $flags"; cat "$w/run2.log"; exit 1; }
echo "ok: run 2 from step $guard drops the INVALID index and builds it"
