#!/bin/sh
# tests/config.sh - .pgsafe.yaml from the command line (suite "config"):
# where the configuration is found, --config and --no-config, the error
# format and exit status 2 for bad configurations, precedence of flags,
# per-file fail_on, exclusion, standard input, and the documented example.
# The golden cases in testdata/config/ and testdata/suppress/ cover what a
# configuration does to the findings.
#
#   tests/config.sh PGSAFE SRCDIR
#
# Prints "ok NAME" or "FAIL NAME: why" per check, then "N passed, M failed";
# exits non-zero when a check failed.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 PGSAFE SRCDIR" >&2
    exit 2
fi
pgsafe=$1
src=$2
case $pgsafe in /*) ;; *) pgsafe=$(pwd)/$pgsafe ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac

passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-config.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/out err=$tmp/err
export NO_COLOR=1

pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    for f in "$out" "$err"; do
        [ -s "$f" ] && head -n 10 "$f" | sed "s/^/    $(basename "$f"): /"
    done
    return 0
}

# run DIR ARGS...: runs pgsafe in DIR; sets $rc, stdout in $out, stderr in $err
run() {
    dir=$1
    shift
    rc=0
    (cd "$dir" && "$pgsafe" "$@") >"$out" 2>"$err" </dev/null || rc=$?
}

# check NAME WANT_RC [PATTERN]...: exit code, and each grep -E PATTERN in stdout
check() {
    name=$1 want=$2
    shift 2
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit code $rc, expected $want"
        return 0
    fi
    for pat in "$@"; do
        if ! grep -Eq -- "$pat" "$out"; then
            fail "$name" "stdout does not match /$pat/"
            return 0
        fi
    done
    pass "$name"
}

# check_config_error NAME MESSAGE: exit 2, stderr is exactly MESSAGE, stdout empty
check_config_error() {
    name=$1 want=$2
    if [ "$rc" -ne 2 ]; then
        fail "$name" "exit code $rc, expected 2"
    elif [ -s "$out" ]; then
        fail "$name" "wrote to stdout"
    elif [ "$(cat "$err")" != "$want" ]; then
        fail "$name" "stderr is not: $want"
    else
        pass "$name"
    fi
}

# config DIR TEXT: writes DIR/.pgsafe.yaml
config() {
    mkdir -p "$1"
    printf '%s' "$2" >"$1/.pgsafe.yaml"
}

# fixtures: one finding at error (add-column-volatile-default); one
# warning (missing-lock-timeout); one finding on PostgreSQL 10 only.
# statement_timeout is set so that only those findings appear.
volatile='SET lock_timeout = '"'"'1s'"'"'; SET statement_timeout = '"'"'1min'"'"';
ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();
'
warning_only='SET statement_timeout = '"'"'1min'"'"';
CREATE INDEX CONCURRENTLY i ON t (a);
ALTER TABLE t ALTER COLUMN a SET DEFAULT 0;
'
pg10_only='SET lock_timeout = '"'"'1s'"'"'; SET statement_timeout = '"'"'1min'"'"';
ALTER TABLE t ADD COLUMN c int DEFAULT 1;
'

echo "config.sh: $pgsafe"

# ---------------------------------------------------------------- errors
bad=$tmp/bad
config "$bad" 'pg_version: 15
rules:
  missing-lock-timeout: off
rulez:
  x: 1
'
printf '%s' "$volatile" >"$bad/a.sql"
run "$bad" a.sql
check_config_error "unknown key: file, line and column" \
    'pgsafe: .pgsafe.yaml:4:1: unknown key "rulez"'

config "$bad" 'rules:
  missing-lock-timout: off
'
run "$bad" a.sql
check_config_error "unknown rule id" \
    "pgsafe: .pgsafe.yaml:2:3: unknown rule \"missing-lock-timout\" (see 'pgsafe rules')"

config "$bad" 'pg_version: fifteen
'
run "$bad" a.sql
check_config_error "wrong type" \
    'pgsafe: .pgsafe.yaml:1:13: "pg_version" must be a major version from 10 to 17, not "fifteen"'

config "$bad" 'fail_on: warning
rules: {missing-lock-timeout: off
'
run "$bad" a.sql
check_config_error "YAML syntax error" \
    "pgsafe: .pgsafe.yaml:3:1: invalid YAML: did not find expected ',' or '}'"

config "$bad" 'exclude: &globs ["*.down.sql"]
overrides:
  - paths: *globs
'
run "$bad" a.sql
check_config_error "aliases are refused" \
    'pgsafe: .pgsafe.yaml:3:12: aliases (*globs) are not allowed'

printf 'pg_version: 15\n' >"$tmp/big.yaml"
head -c 1100000 /dev/zero | tr '\0' '#' >>"$tmp/big.yaml"
run "$bad" --config "$tmp/big.yaml" a.sql
check_config_error "larger than the cap" \
    "pgsafe: $tmp/big.yaml: configuration is larger than 1048576 bytes"

rm -f "$bad/.pgsafe.yaml"
mkdir "$bad/.pgsafe.yaml"
run "$bad" a.sql
check_config_error "a directory named .pgsafe.yaml" \
    'pgsafe: .pgsafe.yaml: the configuration is a directory'
rmdir "$bad/.pgsafe.yaml"

run "$bad" --config missing.yaml a.sql
check_config_error "--config naming no file" \
    'pgsafe: missing.yaml: cannot read the configuration: No such file or directory'

run "$bad" --config x.yaml --no-config a.sql
if [ "$rc" -eq 2 ] && grep -q -- "--config and --no-config" "$err" && [ ! -s "$out" ]; then
    pass "--config with --no-config is a usage error"
else
    fail "--config with --no-config is a usage error" "exit code $rc"
fi

# a bad configuration for a later input stops the run before any report
good=$tmp/mixed/good
config "$tmp/mixed/broken" 'pg_versio: 12
'
mkdir -p "$good"
printf '%s' "$volatile" >"$good/1.sql"
printf '%s' "$volatile" >"$tmp/mixed/broken/2.sql"
run "$tmp/mixed" good/1.sql broken/2.sql
check_config_error "a later input's bad configuration: nothing reported" \
    'pgsafe: broken/.pgsafe.yaml:1:1: unknown key "pg_versio"'

run "$tmp/mixed" --no-config good/1.sql broken/2.sql
check "--no-config reads no configuration" 1 "2 files"

# ---------------------------------------------------------------- discovery
proj=$tmp/proj
config "$proj" 'pg_version: 10
exclude: [legacy/]
'
mkdir -p "$proj/db/migrations" "$proj/legacy"
printf '%s' "$pg10_only" >"$proj/db/migrations/001.sql"
printf '%s' "$volatile" >"$proj/legacy/000.sql"

run "$proj/db/migrations" 001.sql
check "found in a parent directory" 1 "add-column-default-before-pg11"

run / "$proj/db/migrations/001.sql"
check "found from the input's directory, not the current one" 1 "add-column-default-before-pg11"

run "$proj" --pg-version 11 db/migrations/001.sql
check "--pg-version wins over the configuration" 0 "0 errors"

run "$proj" --no-config db/migrations/001.sql
check "--no-config: the defaults (PostgreSQL 15)" 0 "0 errors"

run "$proj" .
check "excluded directory: not linted, not counted" 1 "^pgsafe: 1 file,"
if grep -q "legacy" "$out"; then
    fail "excluded file is not mentioned" "legacy/000.sql appears"
else
    pass "excluded file is not mentioned"
fi

# the nearest configuration applies to its inputs alone
config "$proj/db" 'fail_on: never
'
printf '%s' "$warning_only" >"$proj/db/002.sql"
run "$proj" db/002.sql
check "the nearest configuration applies (fail_on never)" 0 "1 warning"
run "$proj" --fail-on warning db/002.sql
check "--fail-on wins over fail_on" 1 "1 warning"
rm "$proj/db/.pgsafe.yaml"

# each file is held to its own configuration's fail_on
config "$tmp/strict" 'fail_on: warning
'
config "$tmp/lax" 'fail_on: error
'
printf '%s' "$warning_only" >"$tmp/strict/w.sql"
printf '%s' "$warning_only" >"$tmp/lax/w.sql"
run "$tmp" lax/w.sql
check "fail_on error: a warning passes" 0 "1 warning"
run "$tmp" lax/w.sql strict/w.sql
check "fail_on per file: the strict file's warning fails the run" 1 "2 warnings"

# --config for every input, relative globs from its own directory
printf 'pg_version: 10\nexclude: ["mixed/good"]\n' >"$tmp/shared.yaml"
run "$tmp" --config shared.yaml mixed/good/1.sql mixed/broken/2.sql proj/db/migrations/001.sql
check "--config applies to every input, other configurations unread" 1 "^pgsafe: 2 files," \
    "add-column-default-before-pg11"

# standard input: the configuration of --stdin-filename's directory, else the current one
rc=0
(cd "$tmp" && "$pgsafe" --stdin-filename proj/db/migrations/new.sql - \
    <"$proj/db/migrations/001.sql") >"$out" 2>"$err" || rc=$?
check "stdin: configuration found from --stdin-filename" 1 "add-column-default-before-pg11"
rc=0
(cd "$proj" && "$pgsafe" - <"$proj/db/migrations/001.sql") >"$out" 2>"$err" || rc=$?
check "stdin without a name: configuration of the current directory" 1 \
    "add-column-default-before-pg11"
rc=0
(cd "$proj" && "$pgsafe" --stdin-filename legacy/x.sql - <"$proj/legacy/000.sql") \
    >"$out" 2>"$err" || rc=$?
check "stdin named into an excluded directory: not linted" 0 "^pgsafe: 0 files,"

# explain --sql: the configuration of the current directory
run "$proj" explain --sql "ALTER TABLE t ADD COLUMN c int DEFAULT 1"
check "explain --sql reads the current directory's configuration" 0 \
    "add-column-default-before-pg11"

# ---------------------------------------------------------------- framework
# `framework:` picks the migration tool for the directory linted: a goose
# file is wrapped in a transaction, so CONCURRENTLY in it is refused
fw=$tmp/fw
config "$fw" 'framework: goose
'
mkdir -p "$fw/m"
printf -- '-- +goose Up\nSET lock_timeout = '"'"'1s'"'"'; SET statement_timeout = '"'"'1min'"'"';\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- +goose Down\nDROP INDEX i;\n' >"$fw/m/001_i.sql"
run "$fw" --format json m
check "framework: from the configuration" 1 '"framework": "goose"' 'non-transactional-in-transaction'
# as plain SQL the whole file is linted, the Down section's DROP INDEX too
run "$fw" --framework plain --format json m
check "--framework wins over framework:" 1 'drop-index-without-concurrently'
# a configured assume_in_transaction: false overrides the tool's wrapping
config "$fw" 'framework: goose
assume_in_transaction: false
'
run "$fw" --format json m
check "assume_in_transaction: false overrides the framework's default" 0 '"kind": "none"'
config "$fw" 'framework: nope
'
run "$fw" m
check_config_error "framework: an unknown tool" \
    "pgsafe: .pgsafe.yaml:1:12: \"framework\" must be one of auto, plain, goose, dbmate, golang-migrate, flyway, sqitch, prisma, diesel, drizzle, rails-structure, not \"nope\""

# ---------------------------------------------------------------- the example
# it names a plugin, which a configuration may not load on its own (exit 4,
# not 2: the file itself is valid)
run "$tmp" --config "$src/docs/pgsafe.example.yaml" --format json mixed/good/1.sql
if [ "$rc" -eq 4 ] && grep -q 'names a plugin that was not loaded: "plugins/our_rules.so"' "$err"; then
    pass "docs/pgsafe.example.yaml is valid; its plugin needs --allow-plugins"
else
    fail "docs/pgsafe.example.yaml is valid; its plugin needs --allow-plugins" "exit code $rc"
fi
sed '/^plugins:/,$d' "$src/docs/pgsafe.example.yaml" >"$tmp/example.yaml"
run "$tmp" --config example.yaml --format json mixed/good/1.sql
check "docs/pgsafe.example.yaml without its plugin applies" 1 '"pg_version": 14'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
