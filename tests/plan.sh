#!/bin/sh
# tests/plan.sh - golden plans and verifier cases (suite "plan").
#
#   plan.sh PGSAFE SRCDIR [--bless]
#
# testdata/plan/NAME.sql is planned in its directory, with the options on
# its first line (-- pgsafe-test: --context context/shop.sql ...):
#   NAME.plan.json  the exact `pgsafe plan` output
#   NAME.plan.sql   the exact `pgsafe plan --format sql` output
#   NAME.exit       pgsafe plan's exit status
# and the plan must pass `pgsafe verify` with the same options: every plan
# pgsafe makes verifies.
#
# Every plan written must match schemas/plan.schema.json (tests/plan_schema.py,
# which also makes sure mutated plans do not).
#
# testdata/plan/verify/NAME.plan.json is a plan written by hand, checked
# with `pgsafe verify` (extra options in NAME.args when present):
#   NAME.verify.txt   the text report
#   NAME.verify.json  the JSON report
#   NAME.verify.exit  the exit status
# --bless rewrites every expected file; read the diff before committing.
# Ends with "N passed, M failed".
set -u

pgsafe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
bless=${3:-}
cd "$src/testdata/plan" || exit 1
tmp=$(mktemp -d /tmp/pgsafe-plan.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

# check WHAT EXPECTED ACTUAL: compares (or, with --bless, rewrites) one file
check() {
	if [ "$bless" = --bless ]; then
		cp "$3" "$2"
		passed=$((passed + 1))
	elif [ ! -f "$2" ]; then
		echo "FAIL $1: no $2 (run with --bless)"
		failed=$((failed + 1))
	elif ! cmp -s "$2" "$3"; then
		echo "FAIL $1: differs from $2"
		diff -u "$2" "$3" | head -40
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

for f in *.sql; do
	case $f in *.plan.sql) continue ;; esac
	name=${f%.sql}
	opts=$(head -n 1 "$f" | sed -n 's/^-- pgsafe-test: //p')
	code=0
	# shellcheck disable=SC2086  # the options are meant to split
	"$pgsafe" plan $opts "$f" >"$tmp/$name.plan.json" 2>"$tmp/$name.err" || code=$?
	echo "$code" >"$tmp/$name.exit"
	if [ "$code" -ge 2 ]; then
		echo "FAIL $name: pgsafe plan exited $code: $(cat "$tmp/$name.err")"
		failed=$((failed + 1))
		continue
	fi
	if grep -q "fails verification" "$tmp/$name.err"; then
		echo "FAIL $name: the plan fails its own verification:"
		cat "$tmp/$name.err"
		failed=$((failed + 1))
	fi
	check "$name" "$name.plan.json" "$tmp/$name.plan.json"
	check "$name (exit status)" "$name.exit" "$tmp/$name.exit"
	# shellcheck disable=SC2086
	"$pgsafe" plan --format sql $opts "$f" >"$tmp/$name.plan.sql" 2>/dev/null
	check "$name (psql)" "$name.plan.sql" "$tmp/$name.plan.sql"
	# shellcheck disable=SC2086
	if "$pgsafe" verify $opts "$tmp/$name.plan.json" >"$tmp/$name.verify" 2>&1; then
		passed=$((passed + 1))
	else
		echo "FAIL $name: pgsafe verify rejects pgsafe's own plan:"
		cat "$tmp/$name.verify"
		failed=$((failed + 1))
	fi
done

for f in verify/*.plan.json; do
	name=${f%.plan.json}
	args=
	[ -f "$name.args" ] && args=$(cat "$name.args")
	code=0
	# shellcheck disable=SC2086
	"$pgsafe" verify $args "$f" >"$tmp/verify.txt" 2>&1 || code=$?
	echo "$code" >"$tmp/verify.exit"
	# shellcheck disable=SC2086
	"$pgsafe" verify --format json $args "$f" >"$tmp/verify.json" 2>/dev/null
	check "$name (text)" "$name.verify.txt" "$tmp/verify.txt"
	check "$name (json)" "$name.verify.json" "$tmp/verify.json"
	check "$name (exit status)" "$name.verify.exit" "$tmp/verify.exit"
done

# the command line: exit statuses of usage and input errors, help, stdin
# expect_exit WHAT CODE COMMAND...: the command exits with CODE
expect_exit() {
	what=$1
	want=$2
	shift 2
	got=0
	"$@" >"$tmp/cli.out" 2>&1 </dev/null || got=$?
	if [ "$got" -eq "$want" ]; then
		passed=$((passed + 1))
	else
		echo "FAIL $what: exit $got, expected $want: $(head -n 3 "$tmp/cli.out")"
		failed=$((failed + 1))
	fi
}
if [ "$bless" != --bless ]; then
	expect_exit "plan --help" 0 "$pgsafe" plan --help
	expect_exit "verify --help" 0 "$pgsafe" verify --help
	expect_exit "plan without input" 2 "$pgsafe" plan
	expect_exit "plan --format text" 2 "$pgsafe" plan --format text pass_through.sql
	expect_exit "plan --lock-timeout 0" 2 "$pgsafe" plan --lock-timeout 0 pass_through.sql
	expect_exit "plan --batch-size x" 2 "$pgsafe" plan --batch-size x pass_through.sql
	expect_exit "plan --bogus" 2 "$pgsafe" plan --bogus pass_through.sql
	expect_exit "plan of a missing file" 3 "$pgsafe" plan no-such-file.sql
	expect_exit "plan --schema of a missing file" 2 "$pgsafe" plan --schema no-such-dump.sql pass_through.sql
	expect_exit "verify without a plan" 2 "$pgsafe" verify
	expect_exit "verify of two plans" 2 "$pgsafe" verify verify/good.plan.json verify/good.plan.json
	expect_exit "verify of a missing plan" 3 "$pgsafe" verify no-such-plan.json
	expect_exit "verify --fail-on warning" 1 "$pgsafe" verify --context context/shop.sql --fail-on warning \
		verify/not_online_only.plan.json
	# standard input, shown under --stdin-filename
	code=0
	printf 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;\n' |
		"$pgsafe" plan --stdin-filename db/0042.sql - >"$tmp/stdin.json" 2>/dev/null || code=$?
	if [ "$code" -eq 0 ] && grep -q '"file": "db/0042.sql"' "$tmp/stdin.json"; then
		passed=$((passed + 1))
	else
		echo "FAIL plan of standard input: exit $code"
		failed=$((failed + 1))
	fi
fi

# every plan pgsafe wrote here matches schemas/plan.schema.json, which is closed
if [ "$bless" != --bless ]; then
	if python3 -c 'import jsonschema' 2>/dev/null; then
		if python3 "$src/tests/plan_schema.py" "$src/schemas/plan.schema.json" "$tmp"/*.plan.json \
			>"$tmp/schema.out" 2>&1; then
			passed=$((passed + 1))
		else
			echo "FAIL plans against schemas/plan.schema.json:"
			cat "$tmp/schema.out"
			failed=$((failed + 1))
		fi
	else
		echo "FAIL python3-jsonschema is missing (sh tools/setup.sh installs it)"
		failed=$((failed + 1))
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
