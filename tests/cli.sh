#!/bin/sh
# tests/cli.sh - command-line cases that the golden runner cannot express:
# paths that do not exist, directories, stdin, size limits, usage errors,
# --version/--help, which exit code wins, and colour.
#
#   tests/cli.sh PGSAFE SRCDIR
#
# One check per case; prints "ok NAME" or "FAIL NAME: why", then
# "N passed, M failed" (", K skipped" when a check cannot run here) and
# exits non-zero when a check failed. The golden cases are in testdata/cli/.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 PGSAFE SRCDIR" >&2
    exit 2
fi
pgsafe=$1
src=$2
case $pgsafe in /*) ;; *) pgsafe=$(pwd)/$pgsafe ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac

passed=0 failed=0 skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/out err=$tmp/err
esc=$(printf '\033')
unset NO_COLOR
export TERM="${TERM:-xterm}"
[ "$TERM" = dumb ] && TERM=xterm

pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    for f in "$out" "$err"; do
        [ -s "$f" ] && head -n 15 "$f" | sed "s/^/    $(basename "$f"): /"
    done
    return 0
}

skip() {
    skipped=$((skipped + 1))
    echo "skip $1: $2"
}

# run ARGS...: runs pgsafe with ARGS, stdin from /dev/null unless redirected
# by the caller; sets $rc, stdout in $out and stderr in $err.
run() {
    rc=0
    "$pgsafe" "$@" >"$out" 2>"$err" || rc=$?
}

# check NAME WANT_RC [grep -E PATTERN that stdout must match]...
check() {
    name=$1 want=$2
    shift 2
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit code $rc, expected $want"
        return 0
    fi
    for pat in "$@"; do
        if ! grep -Eq -- "$pat" "$out"; then
            fail "$name" "output does not match /$pat/"
            return 0
        fi
    done
    pass "$name"
}

# check_usage NAME ARGS...: a usage error: exit 2, a message on stderr
# that points to --help, nothing on stdout
check_usage() {
    name=$1
    shift
    run "$@" </dev/null
    if [ "$rc" -ne 2 ]; then
        fail "$name" "exit code $rc, expected 2"
    elif ! grep -q "pgsafe --help" "$err"; then
        fail "$name" "no pointer to 'pgsafe --help' on stderr"
    elif [ -s "$out" ]; then
        fail "$name" "wrote to stdout"
    else
        pass "$name"
    fi
}

# is_json FILE: FILE holds one JSON document (python3 when present)
is_json() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "$1" >/dev/null 2>&1
    else
        head -c 1 "$1" | grep -q '{'
    fi
}

# fixtures
printf 'CREATE INDEX accounts_email_idx ON accounts (email);\n' >"$tmp/finding.sql"
printf 'SELECT 1;\n' >"$tmp/clean.sql"
: >"$tmp/empty.sql"
mkdir "$tmp/order"
for f in 10_x 2_x 1_a; do
    printf 'ALTER TABLE t%s ADD COLUMN c int;\n' "$f" >"$tmp/order/$f.sql"
done
printf 'not sql\n' >"$tmp/order/notes.txt"

echo "cli.sh: $pgsafe"

# ---------------------------------------------------------------- version, help
run --version </dev/null
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -n 1)
check "--version prints the version and the grammar" 0 \
    "^pgsafe ${version:-[0-9]} \\(PostgreSQL 15\\.[0-9]+ grammar"

run -V </dev/null
check "-V is --version" 0 "^pgsafe ${version:-[0-9]}"

run --help </dev/null
check "--help prints usage, options and exit codes" 0 "^usage: pgsafe" "--fail-on" \
    "--max-file-size" "--stdin-filename" "--color" "^exit status: 0 clean; 1 findings"

run -h </dev/null
check "-h is --help" 0 "^usage: pgsafe"

# ---------------------------------------------------------------- usage errors
check_usage "unknown option exits 2" --bogus "$tmp/clean.sql"
check_usage "unknown short option exits 2" -Z "$tmp/clean.sql"
check_usage "option without its value exits 2" "$tmp/clean.sql" --format
check_usage "--format xml exits 2" --format xml "$tmp/clean.sql"
check_usage "--pg-version 9 exits 2" --pg-version 9 "$tmp/clean.sql"
check_usage "--pg-version 18 exits 2" --pg-version=18 "$tmp/clean.sql"
check_usage "--pg-version 15.2 exits 2" --pg-version=15.2 "$tmp/clean.sql"
check_usage "--fail-on fatal exits 2" --fail-on=fatal "$tmp/clean.sql"
check_usage "--color sometimes exits 2" --color=sometimes "$tmp/clean.sql"
check_usage "--max-file-size 0 exits 2" --max-file-size=0 "$tmp/clean.sql"
check_usage "--max-file-size 10k exits 2" --max-file-size=10k "$tmp/clean.sql"
check_usage "no input exits 2"
check_usage "'rules' with an argument exits 2" rules extra
check_usage "'explain' of an unknown rule exits 2" explain no-such-rule
check_usage "--sql without 'explain' exits 2" --sql "SELECT 1"
check_usage "usage error wins over findings and input errors" --bogus "$tmp/finding.sql" "$tmp/nope.sql"

# ---------------------------------------------------------------- commands
run rules </dev/null
check "'rules' lists the rules" 0 "^require-concurrent-index +error " "^add-column-volatile-default +error "

run explain require-concurrent-index </dev/null
check "'explain RULE' prints its documentation" 0 "^require-concurrent-index \\(error\\)" \
    "^Safe alternative:" "CONCURRENTLY"

run explain --sql "CREATE INDEX i ON t (c)" </dev/null
check "'explain --sql' explains the statement, exit 0" 0 "^<sql>:1:1: IndexStmt" "ShareLock on public.t"

run lint "$tmp/finding.sql" </dev/null
cp "$out" "$tmp/lint.out"
run "$tmp/finding.sql" </dev/null
if [ "$rc" -eq 1 ] && cmp -s "$out" "$tmp/lint.out"; then
    pass "'pgsafe FILE' is 'pgsafe lint FILE'"
else
    fail "'pgsafe FILE' is 'pgsafe lint FILE'" "exit $rc or different output"
fi

# ---------------------------------------------------------------- exit codes
run "$tmp/clean.sql" </dev/null
check "clean file exits 0 and prints the coverage line" 0 \
    "^pgsafe: 1 file, 1 statement analyzed, 0 not modeled; 0 errors, 0 warnings, 0 hints$"

run "$tmp/finding.sql" </dev/null
check "findings exit 1, with the coverage line" 1 "error\\[require-concurrent-index\\]" \
    "^pgsafe: 1 file, 1 statement analyzed, 0 not modeled; 1 error, [0-9]+ warnings?, 0 hints$"

run "$tmp/nope.sql" </dev/null
check "missing file: input-unreadable, exit 3" 3 "nope\\.sql: error\\[input-unreadable\\]: cannot read"

run --format=json "$tmp/finding.sql/x.sql" </dev/null
if [ "$rc" -eq 3 ] && is_json "$out" && grep -q '"input-unreadable"' "$out"; then
    pass "path under a regular file: input-unreadable in JSON, exit 3"
else
    fail "path under a regular file: input-unreadable in JSON, exit 3" "exit $rc"
fi

cp "$tmp/clean.sql" "$tmp/noperm.sql"
chmod 000 "$tmp/noperm.sql"
if [ "$(id -u)" -ne 0 ]; then
    run "$tmp/noperm.sql" </dev/null
    check "file without read permission: input-unreadable, exit 3" 3 "error\\[input-unreadable\\]"
elif command -v setpriv >/dev/null 2>&1 && chmod 755 "$tmp" &&
     setpriv --reuid=65534 --regid=65534 --clear-groups "$pgsafe" --version >/dev/null 2>&1; then
    # as root: drop to nobody, for whom the file is unreadable
    rc=0
    setpriv --reuid=65534 --regid=65534 --clear-groups "$pgsafe" "$tmp/noperm.sql" \
        >"$out" 2>"$err" </dev/null || rc=$?
    check "file without read permission (as nobody): input-unreadable, exit 3" 3 \
        "error\\[input-unreadable\\]: cannot read: Permission denied"
else
    skip "file without read permission" "running as root, and nobody cannot run $pgsafe"
fi

run "$tmp/finding.sql" "$tmp/nope.sql" </dev/null
check "input error and findings: the input error's 3 wins" 3 \
    "error\\[require-concurrent-index\\]" "error\\[input-unreadable\\]"

run "$tmp/nope.sql" "$tmp/finding.sql" </dev/null
check "input error first, findings after: still 3, later files analyzed" 3 \
    "error\\[require-concurrent-index\\]"

run --format=json "$tmp/finding.sql" "$tmp/empty.sql" </dev/null
if [ "$rc" -eq 3 ] && is_json "$out" && grep -q '"input-empty"' "$out" &&
   grep -q '"require-concurrent-index"' "$out"; then
    pass "empty file beside findings: exit 3, both in the JSON"
else
    fail "empty file beside findings: exit 3, both in the JSON" "exit $rc"
fi

run --fail-on=never "$tmp/finding.sql" "$tmp/nope.sql" </dev/null
check "--fail-on=never does not hide an input error" 3

rc=0
"$pgsafe" "$tmp/finding.sql" >/dev/full 2>"$err" </dev/null || rc=$?
if [ "$rc" -eq 70 ] && grep -q "cannot write the report" "$err"; then
    pass "a report that cannot be written: exit 70"
else
    fail "a report that cannot be written: exit 70" "exit $rc"
fi

# ---------------------------------------------------------------- directories
# stmt_files: the files of the JSON report's statements, in report order
stmt_files() {
    sed -n '/^  "statements": \[/,$p' "$out" | grep '"file"' |
        sed 's/.*"file": *"\([^"]*\)".*/\1/' | uniq | tr '\n' ' '
}

run --format=json "$tmp/order" </dev/null
files=$(stmt_files | sed 's|[^ ]*/||g')
if [ "$rc" -eq 0 ] && [ "$files" = "1_a.sql 2_x.sql 10_x.sql " ] && grep -q '"files": 3' "$out"; then
    pass "directory: *.sql only, in natural order (2_x before 10_x)"
else
    fail "directory: *.sql only, in natural order (2_x before 10_x)" "exit $rc, order: $files"
fi

mkdir "$tmp/flyway"
for f in V10__y V1.1__orders V2__x V1__init V1.10__a V1.2__b; do
    printf 'SELECT 1;\n' >"$tmp/flyway/$f.sql"
done
run --format=json "$tmp/flyway" </dev/null
files=$(stmt_files | sed 's|[^ ]*/||g')
if [ "$rc" -eq 0 ] && [ "$files" = "V1__init.sql V1.1__orders.sql V1.2__b.sql V1.10__a.sql V2__x.sql V10__y.sql " ]; then
    pass "directory: Flyway versions in order (V1__ < V1.1__ < V1.10__ < V2__ < V10__)"
else
    fail "directory: Flyway versions in order (V1__ < V1.1__ < V1.10__ < V2__ < V10__)" "exit $rc, order: $files"
fi

run --format=json "$tmp/order/" </dev/null
files2=$(stmt_files)
case $files2 in
*//*) fail "directory with a trailing slash" "doubled slash in paths: $files2" ;;
*) if [ "$rc" -eq 0 ] && [ "$(echo "$files2" | sed 's|[^ ]*/||g')" = "1_a.sql 2_x.sql 10_x.sql " ]; then
       pass "directory with a trailing slash"
   else
       fail "directory with a trailing slash" "exit $rc, files: $files2"
   fi ;;
esac

# ---------------------------------------------------------------- stdin
run --stdin-filename db/migrate/001_index.sql - <"$tmp/finding.sql"
check "stdin with --stdin-filename: the name is shown" 1 \
    "^db/migrate/001_index\\.sql:1:1: error\\[require-concurrent-index\\]"

run --format=json --stdin-filename=db/001.sql - <"$tmp/finding.sql"
if [ "$rc" -eq 1 ] && is_json "$out" && grep -q '"file": "db/001.sql"' "$out"; then
    pass "stdin with --stdin-filename: the name is in the JSON"
else
    fail "stdin with --stdin-filename: the name is in the JSON" "exit $rc"
fi

run - <"$tmp/finding.sql"
check "stdin without a name is <stdin>" 1 "^<stdin>:1:1: error\\[require-concurrent-index\\]"

run - </dev/null
check "empty stdin: input-empty, exit 3" 3 "error\\[input-empty\\]"

# ---------------------------------------------------------------- size limits
{
    head -c 300 /dev/zero | tr '\0' ' '
    printf 'SELECT 1;\n'
} >"$tmp/310.sql"
run --max-file-size 100 "$tmp/310.sql" </dev/null
check "file over --max-file-size: input-too-large, exit 3" 3 "error\\[input-too-large\\]" "100 bytes"

run --max-file-size 310 "$tmp/310.sql" </dev/null
check "file of exactly --max-file-size is read" 0 "^pgsafe: 1 file, 1 statement analyzed"

run --max-file-size 100 - <"$tmp/310.sql"
check "stdin over --max-file-size: exit 3" 3 "error\\[input-too-large\\]"

# the default limit: 64 MiB
head -c 67108865 /dev/zero | tr '\0' ' ' >"$tmp/huge.sql"
run "$tmp/huge.sql" </dev/null
check "file over the default 64 MiB limit: exit 3" 3 "error\\[input-too-large\\]" "67108864 bytes"
rm -f "$tmp/huge.sql"

# ---------------------------------------------------------------- colour
run "$tmp/finding.sql" </dev/null
if grep -q "$esc" "$out"; then
    fail "no colour when stdout is not a terminal" "escape sequences in the output"
else
    pass "no colour when stdout is not a terminal"
fi

run --color=always "$tmp/finding.sql" </dev/null
if [ "$rc" -eq 1 ] && grep -q "$esc\\[" "$out"; then
    pass "--color=always colours a pipe"
else
    fail "--color=always colours a pipe" "exit $rc, no escape sequences"
fi

NO_COLOR=1 run --color=always "$tmp/finding.sql" </dev/null
if grep -q "$esc\\[" "$out"; then
    pass "--color=always wins over NO_COLOR (an explicit flag)"
else
    fail "--color=always wins over NO_COLOR (an explicit flag)" "no escape sequences"
fi

run --color=always --format=json "$tmp/finding.sql" </dev/null
if grep -q "$esc" "$out" || ! is_json "$out"; then
    fail "--color=always never colours JSON" "escape sequences or invalid JSON"
else
    pass "--color=always never colours JSON"
fi

# on a terminal (script(1) gives the program a pseudo-terminal)
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    tty_run() {
        # tty_run ENV-ASSIGNMENTS... -- ARGS: runs pgsafe on a pseudo-terminal
        rc=0
        script -qec "$*" /dev/null >"$out" 2>"$err" </dev/null || rc=$?
    }
    tty_run env "'$pgsafe'" "'$tmp/finding.sql'"
    if grep -q "$esc\\[" "$out"; then pass "terminal: colour by default"
    else fail "terminal: colour by default" "no escape sequences"; fi

    tty_run env NO_COLOR=1 "'$pgsafe'" "'$tmp/finding.sql'"
    if grep -q "$esc\\[" "$out"; then fail "terminal: NO_COLOR=1 turns colour off" "escape sequences"
    else pass "terminal: NO_COLOR=1 turns colour off"; fi

    tty_run env NO_COLOR= "'$pgsafe'" "'$tmp/finding.sql'"
    if grep -q "$esc\\[" "$out"; then pass "terminal: an empty NO_COLOR is ignored (no-color.org)"
    else fail "terminal: an empty NO_COLOR is ignored (no-color.org)" "no escape sequences"; fi

    tty_run env TERM=dumb "'$pgsafe'" "'$tmp/finding.sql'"
    if grep -q "$esc\\[" "$out"; then fail "terminal: TERM=dumb turns colour off" "escape sequences"
    else pass "terminal: TERM=dumb turns colour off"; fi

    tty_run env "'$pgsafe'" --color=never "'$tmp/finding.sql'"
    if grep -q "$esc\\[" "$out"; then fail "terminal: --color=never" "escape sequences"
    else pass "terminal: --color=never"; fi
else
    for n in "colour by default" "NO_COLOR=1 turns colour off" "an empty NO_COLOR is ignored" \
             "TERM=dumb turns colour off" "--color=never"; do
        skip "terminal: $n" "script(1) is not available"
    done
fi

# ---------------------------------------------------------------- text report
run "$src/testdata/cli/syntax_error_non_ascii.sql" </dev/null
# the caret row: as many spaces as code points before "WHERE" (39)
caret=$(grep -E '^ +\| +\^' "$out" | head -n 1 | sed 's/^ *| //')
lead=$(printf '%s' "$caret" | sed 's/\^.*//' | wc -c)
if [ "$rc" -eq 1 ] && grep -q "syntax_error_non_ascii.sql:4:40: error\\[syntax-error\\]" "$out" &&
   [ "$lead" -eq 39 ] && [ "$(printf '%s' "$caret" | tr -cd '^' | wc -c)" -eq 5 ]; then
    pass "text: syntax error after non-ASCII text at 4:40, caret under WHERE"
else
    fail "text: syntax error after non-ASCII text at 4:40, caret under WHERE" \
        "exit $rc, caret at $lead: '$caret'"
fi

run --show-statements "$src/examples/safe_migration.sql" </dev/null
check "text: --show-statements lists locks, the safe example has no error" 0 \
    "IndexStmt" "ShareUpdateExclusiveLock on public.orders" "cannot run inside a transaction block" \
    "; 0 errors,"

echo
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
