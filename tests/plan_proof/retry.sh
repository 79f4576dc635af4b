#!/bin/sh
# tests/plan_proof/retry.sh - a plan's psql script retries on lock timeouts:
# run.sh's environment (PROOF_BASE, PROOF_DIR, PROOF_HERE, PGSAFE). Another
# session holds a lock for three seconds; the plan, with a 300 ms
# lock_timeout, must time out, retry with backoff, and finish once the lock
# is gone: inside a DO block for a step that can run in a function, and by
# psql itself for a step that must run outside any transaction block.
set -eu
base=$PROOF_BASE
w=$PROOF_DIR/retry
mkdir -p "$w"
psql -X -q "$base dbname=postgres" -c "CREATE DATABASE retry TEMPLATE proof_template" >/dev/null

# hold: WHAT: a transaction taking WHAT's lock for three seconds, in the background
hold() {
	psql -X -q "$base dbname=retry" -c "BEGIN; $1; SELECT pg_sleep(3); COMMIT;" >/dev/null 2>&1 &
	sleep 0.5
}
plan() {
	"$PGSAFE" plan --context "$PROOF_HERE/setup.sql" --lock-timeout 300 --format sql "$1" \
		>"$2" 2>/dev/null || true
}

echo "ALTER TABLE orders ADD COLUMN retried int DEFAULT 0;" >"$w/one.sql"
plan "$w/one.sql" "$w/one.plan.sql"
hold "SELECT count(*) FROM orders"
psql -X -q -v ON_ERROR_STOP=1 "$base dbname=retry" -f "$w/one.plan.sql" >"$w/one.log" 2>&1 ||
	{ echo "FAIL: the plan failed under a held lock"; cat "$w/one.log"; exit 1; }
wait
grep -q "lock not available (attempt 1 of 5), retrying" "$w/one.log" ||
	{ echo "FAIL: no retry inside the DO block"; cat "$w/one.log"; exit 1; }
echo "ok: a step in a DO block retries on lock_not_available and succeeds"

echo "DROP INDEX orders_created_idx;" >"$w/two.sql"
plan "$w/two.sql" "$w/two.plan.sql"
grep -q "DROP INDEX CONCURRENTLY" "$w/two.plan.sql" || { echo "FAIL: not CONCURRENTLY"; exit 1; }
hold "UPDATE orders SET amount = amount WHERE id = 1"
psql -X -q -v ON_ERROR_STOP=1 "$base dbname=retry" -f "$w/two.plan.sql" >"$w/two.log" 2>&1 ||
	{ echo "FAIL: the plan failed under a held lock"; cat "$w/two.log"; exit 1; }
wait
grep -q "lock not available (attempt 1 of 5), retrying" "$w/two.log" ||
	{ echo "FAIL: no retry by psql"; cat "$w/two.log"; exit 1; }
gone=$(psql -X -At "$base dbname=retry" -c "SELECT count(*) FROM pg_class WHERE relname = 'orders_created_idx'")
[ "$gone" = 0 ] || { echo "FAIL: the index is still there"; exit 1; }
echo "ok: a CONCURRENTLY step is retried by psql and succeeds"

# a DETACH ... CONCURRENTLY that times out in its second transaction leaves
# the partition pending: the script goes on, and the FINALIZE step (retried
# in its DO block while the old snapshot lasts) completes the detach
echo "ALTER TABLE regions DETACH PARTITION regions_us;" >"$w/three.sql"
plan "$w/three.sql" "$w/three.plan.sql"
psql -X -q "$base dbname=retry" -c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM regions; SELECT pg_sleep(3); COMMIT;" >/dev/null 2>&1 &
sleep 0.5
psql -X -q -v ON_ERROR_STOP=1 "$base dbname=retry" -f "$w/three.plan.sql" >"$w/three.log" 2>&1 ||
	{ echo "FAIL: the plan failed"; cat "$w/three.log"; exit 1; }
wait
grep -q "stopped half way" "$w/three.log" ||
	{ echo "FAIL: the detach did not stop half way"; cat "$w/three.log"; exit 1; }
left=$(psql -X -At "$base dbname=retry" -c "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'regions_us'::regclass")
checks=$(psql -X -At "$base dbname=retry" -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'regions_us'::regclass AND contype = 'c'")
[ "$left" = 0 ] && [ "$checks" = 0 ] ||
	{ echo "FAIL: regions_us is still attached ($left) or keeps its CHECK ($checks)"; cat "$w/three.log"; exit 1; }
echo "ok: a DETACH CONCURRENTLY stopped half way is finished by the FINALIZE step"
