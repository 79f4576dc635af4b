#!/bin/sh
# tests/plan_proof/rules.sh - the PostgreSQL 15 behaviours the psql form of
# a plan relies on (plan_sql.c), each checked on the server run.sh started
# (PROOF_BASE). Prints what it checks; exits non-zero on the first surprise.
set -eu
base=$PROOF_BASE

sql() {
	psql -X -q -v ON_ERROR_STOP=1 "$base dbname=rules" "$@"
}
# expect_error WHAT PATTERN SQL: SQL (statements sent one by one, as psql -f
# does) must fail with a message matching PATTERN
expect_error() {
	if out=$(printf '%s\n' "$3" | psql -X -q -v ON_ERROR_STOP=1 "$base dbname=rules" 2>&1); then
		echo "FAIL: $1: succeeded: $out"
		exit 1
	fi
	echo "$out" | grep -q "$2" || { echo "FAIL: $1: $out"; exit 1; }
	echo "ok: $1"
}
# expect_output WHAT PATTERN SQL...: the output of the script must match PATTERN
expect_output() {
	what=$1
	pattern=$2
	shift 2
	out=$(printf '%s\n' "$@" | psql -X -q -v ON_ERROR_STOP=1 "$base dbname=rules" 2>&1) ||
		{ echo "FAIL: $what: $out"; exit 1; }
	echo "$out" | grep -q "$pattern" || { echo "FAIL: $what: $out"; exit 1; }
	echo "ok: $what"
}

psql -X -q "$base dbname=postgres" -c "CREATE DATABASE rules" >/dev/null
sql -c "CREATE TABLE t (k int NOT NULL, v int) PARTITION BY RANGE (k);
        CREATE TABLE t_low PARTITION OF t FOR VALUES FROM (0) TO (100);
        CREATE TABLE t_other PARTITION OF t DEFAULT;
        INSERT INTO t SELECT g, g FROM generate_series(0, 99) g;
        INSERT INTO t SELECT g, g FROM generate_series(500, 599) g;
        CREATE TABLE t_next (k int NOT NULL, v int);
        INSERT INTO t_next SELECT g, g FROM generate_series(100, 199) g;"

# 1. statement_timeout covers a whole DO block, across its COMMITs: a
#    backfill DO runs with statement_timeout 0
expect_error "statement_timeout spans a DO block across its COMMITs" "statement timeout" \
	"SET statement_timeout = 400;
	 DO \$\$ BEGIN FOR i IN 1..4 LOOP PERFORM pg_sleep(0.15); COMMIT; END LOOP; END \$\$;"

# 2. COMMIT inside a DO block ends what SET LOCAL set; a session SET stays
expect_output "COMMIT inside a DO block discards SET LOCAL" "after commit: 0" \
	"DO \$\$ BEGIN SET LOCAL lock_timeout = 1234; COMMIT;
	   RAISE NOTICE 'after commit: %', current_setting('lock_timeout'); END \$\$;"
expect_output "a session-level SET survives COMMIT inside a DO block" "after commit: 777ms" \
	"SET lock_timeout = 777;
	 DO \$\$ BEGIN COMMIT; RAISE NOTICE 'after commit: %', current_setting('lock_timeout'); END \$\$;"

# 3. a DO block that COMMITs cannot run inside a transaction block
expect_error "a DO block that COMMITs refuses a transaction block" "invalid transaction termination" \
	"BEGIN; DO \$\$ BEGIN COMMIT; END \$\$; COMMIT;"

# 4. CONCURRENTLY refuses a function as it refuses a transaction block, so
#    such steps are retried by psql, never inside a DO block
expect_error "CREATE INDEX CONCURRENTLY refuses a DO block" "cannot" \
	"DO \$\$ BEGIN EXECUTE 'CREATE INDEX CONCURRENTLY t_low_v ON t_low (v)'; END \$\$;"

# 5. a DO block can EXECUTE another DO block (the retry around a guard step)
expect_output "a DO block runs another through EXECUTE" "inner ran" \
	"DO \$outer\$ BEGIN EXECUTE \$q\$DO \$\$ BEGIN RAISE NOTICE 'inner ran'; END \$\$\$q\$; END \$outer\$;"

# 6. a lock timeout caught in a sub-block rolls the attempt back and frees
#    its locks before the retry's pause
expect_output "a caught lock timeout releases the attempt's locks" "held after retry: 0" \
	"SET lock_timeout = 100;
	 DO \$\$ BEGIN
	   BEGIN
	     LOCK TABLE t_next IN ACCESS EXCLUSIVE MODE;
	     PERFORM 1 FROM pg_locks WHERE false;
	     RAISE lock_not_available;
	   EXCEPTION WHEN lock_not_available THEN
	     RAISE NOTICE 'held after retry: %', (SELECT count(*) FROM pg_locks
	       WHERE relation = 't_next'::regclass AND pid = pg_backend_pid());
	   END;
	 END \$\$;"

# 7. ATTACH PARTITION reads neither the new partition nor the default one
#    when validated CHECKs match the bound and exclude it
sql -c "ALTER TABLE t_next ADD CONSTRAINT t_next_bound CHECK (k IS NOT NULL AND k >= 100 AND k < 200) NOT VALID;
        ALTER TABLE t_next VALIDATE CONSTRAINT t_next_bound;
        ALTER TABLE t_other ADD CONSTRAINT t_other_excluded CHECK (k IS NULL OR k < 100 OR k >= 200) NOT VALID;
        ALTER TABLE t_other VALIDATE CONSTRAINT t_other_excluded;"
expect_output "ATTACH skips the partition's scan when a validated CHECK matches the bound" \
	"partition constraint for table \"t_next\" is implied by existing constraints" \
	"SET client_min_messages = debug1;" \
	"BEGIN;" "ALTER TABLE t ATTACH PARTITION t_next FOR VALUES FROM (100) TO (200);" "ROLLBACK;"
expect_output "ATTACH skips the default partition's scan when a validated CHECK excludes the bound" \
	"default partition \"t_other\" is implied by existing constraints" \
	"SET client_min_messages = debug1;" \
	"BEGIN;" "ALTER TABLE t ATTACH PARTITION t_next FOR VALUES FROM (100) TO (200);" "ROLLBACK;"

# 8. SET NOT NULL trusts a validated IS NOT NULL check (PostgreSQL 12+)
sql -c "CREATE TABLE nn (c int); INSERT INTO nn SELECT g FROM generate_series(1, 100) g;
        ALTER TABLE nn ADD CONSTRAINT nn_c CHECK (c IS NOT NULL) NOT VALID;
        ALTER TABLE nn VALIDATE CONSTRAINT nn_c;"
expect_output "SET NOT NULL reads nothing after a validated IS NOT NULL check" \
	"existing constraints on column \"nn.c\" are sufficient to prove that it does not contain nulls" \
	"SET client_min_messages = debug1;" "ALTER TABLE nn ALTER COLUMN c SET NOT NULL;"

# 9. an interrupted DETACH ... CONCURRENTLY is completed by the plan's
#    FINALIZE step (a DO block), inside a transaction
sql -c "CREATE TABLE d (k int NOT NULL) PARTITION BY RANGE (k);
        CREATE TABLE d1 PARTITION OF d FOR VALUES FROM (0) TO (10);
        CREATE TABLE d2 PARTITION OF d FOR VALUES FROM (10) TO (20);"
# an old snapshot holding d makes the detach wait in its second
# transaction; cancelling it there leaves the partition pending
psql -X -q "$base dbname=rules" -c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM d; SELECT pg_sleep(4); COMMIT;" >/dev/null 2>&1 &
holder=$!
sleep 0.5
psql -X -q "$base dbname=rules application_name=detacher" -c "ALTER TABLE d DETACH PARTITION d2 CONCURRENTLY" >/dev/null 2>&1 &
detacher=$!
sleep 1
sql -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'detacher'" >/dev/null
wait "$detacher" || true
wait "$holder" || true
pending=$(psql -X -At "$base dbname=rules" -c "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'd2'::regclass AND inhdetachpending")
[ "$pending" = 1 ] || { echo "FAIL: could not leave d2 pending detach ($pending)"; exit 1; }
expect_output "the FINALIZE step completes an interrupted DETACH CONCURRENTLY" "^0$" \
	"DO \$\$ BEGIN
	   IF EXISTS (SELECT 1 FROM pg_catalog.pg_inherits
	              WHERE inhrelid = pg_catalog.to_regclass('d2') AND inhdetachpending) THEN
	     ALTER TABLE d DETACH PARTITION d2 FINALIZE;
	   END IF;
	 END \$\$;" \
	"\\pset tuples_only on" "\\pset format unaligned" "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'd2'::regclass;"
echo "all rules hold"
