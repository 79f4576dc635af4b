#!/bin/sh
# tests/precommit.sh - reviewing a change: --changed-since REF and
# --with-context in throwaway git repositories, and the real pre-commit
# (Debian's pre-commit package) running this repository's
# .pre-commit-hooks.yaml with `pre-commit try-repo`.
#
#   tests/precommit.sh PGSAFE SRCDIR
#
# SRCDIR must be a git checkout (try-repo reads the hook definition from
# it, uncommitted changes included). Prints "ok NAME" or "FAIL NAME: why"
# per check, then "N passed, M failed"; exits 1 when a check failed. Needs
# git and pre-commit (tools/setup.sh installs both).
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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-precommit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/out err=$tmp/err

pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    for f in "$out" "$err"; do
        [ -s "$f" ] && head -n 20 "$f" | sed "s/^/    $(basename "$f"): /"
    done
    return 0
}

# expect NAME WANT_RC [-v] PATTERN...: $rc must be WANT_RC and stdout+stderr
# must match every grep -E PATTERN (or, after -v, match none of the rest)
expect() {
    name=$1 want=$2
    shift 2
    if [ "$rc" != "$want" ]; then
        fail "$name" "exit status $rc, want $want"
        return
    fi
    negate=0
    for pat in "$@"; do
        if [ "$pat" = -v ]; then
            negate=1
            continue
        fi
        if [ $negate = 0 ] && ! cat "$out" "$err" | grep -Eq -- "$pat"; then
            fail "$name" "output does not match /$pat/"
            return
        fi
        if [ $negate = 1 ] && cat "$out" "$err" | grep -Eq -- "$pat"; then
            fail "$name" "output matches /$pat/"
            return
        fi
    done
    pass "$name"
}

run() {
    rc=0
    "$pgsafe" "$@" >"$out" 2>"$err" </dev/null || rc=$?
}

# a git repository with an identity, on branch main
new_repo() {
    mkdir -p "$1" && git -C "$1" init -q -b main &&
        git -C "$1" config user.email test@example.com &&
        git -C "$1" config user.name test &&
        git -C "$1" config commit.gpgsign false
}

for tool in git pre-commit; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "FAIL $tool: not installed (apt-get install $tool, or sh tools/setup.sh)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

# ---------------------------------------------------------------------------
# --changed-since
# ---------------------------------------------------------------------------
repo=$tmp/repo
new_repo "$repo"
mkdir -p "$repo/db"
printf 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' >"$repo/db/0001_users.sql"
printf 'CREATE INDEX users_email ON users (email);\n' >"$repo/db/0002_users_email.sql"
git -C "$repo" add db && git -C "$repo" commit -qm deployed
git -C "$repo" checkout -qb feature
# committed on the branch: a new table, and an index on it (new, so fine)
# plus one on the deployed table (flagged)
printf 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n' >"$repo/db/0003_orders.sql"
printf 'CREATE INDEX orders_user ON orders (user_id);\nCREATE INDEX users_lower ON users (lower(email));\n' \
    >"$repo/db/0004_indexes.sql"
git -C "$repo" add db && git -C "$repo" commit -qm feature
# not committed yet: an untracked migration
printf 'CREATE INDEX users_id_email ON users (id, email);\n' >"$repo/db/0005_untracked.sql"

cd "$repo"
run --format gcc --changed-since main db
expect "changed-since: reports only the files of the change" 1 \
    'db/0004_indexes\.sql:2:1: error: .*users_lower.*\[require-concurrent-index\]' \
    'db/0005_untracked\.sql:1:1: error: .*\[require-concurrent-index\]' \
    -v 'db/0002_users_email' 'db/0003_orders' 'orders_user'
expect "changed-since: context files are not counted" 1 '^pgsafe: 3 files, 4 statements analyzed'

run --format gcc db
expect "without --changed-since every file is reported, deployed tables are existing" 1 \
    'db/0002_users_email\.sql:1:1: error' 'orders_user on table "public.orders"'

run --format json --changed-since main db/0004_indexes.sql
expect "changed-since: a named file in the change is reported" 1 '"file": "db/0004_indexes.sql"'
run --format json --changed-since main db/0002_users_email.sql
expect "changed-since: a named file outside the change is context only" 0 '"files": 0' -v '"rule"'

# a table created by an earlier file of the change is new in a later one
cd "$tmp"
run --format gcc --changed-since main "$repo/db"
expect "changed-since: git runs in the inputs' repository, from anywhere" 1 \
    '0004_indexes\.sql:2:1' -v 'orders_user'

# an unstaged edit of a deployed migration is part of the change
printf 'CREATE INDEX users_email ON users (email);\nCREATE INDEX users_email_2 ON users (email);\n' \
    >"$repo/db/0002_users_email.sql"
cd "$repo"
run --format gcc --changed-since main db
expect "changed-since: a modified file (unstaged) is part of the change" 1 \
    'db/0002_users_email\.sql:2:1: error'
git -C "$repo" checkout -q -- db/0002_users_email.sql

run --changed-since no-such-branch db
expect "changed-since: an unknown revision is a usage error" 2 'no-such-branch'
run --changed-since --oops db
expect "changed-since: a revision like an option is refused before git runs" 2 'is not a git revision'
mkdir -p "$tmp/plain"
cp "$repo/db/0001_users.sql" "$tmp/plain/"
cd "$tmp/plain"
run --changed-since main 0001_users.sql
expect "changed-since: outside a git repository is a usage error" 2 'git repository'

# ---------------------------------------------------------------------------
# --with-context
# ---------------------------------------------------------------------------
cd "$repo"
run --format gcc --with-context db/0004_indexes.sql
expect "with-context: only the named file is reported" 1 \
    'db/0004_indexes\.sql:2:1: error' -v 'db/0002_users_email' 'db/0005'
expect "with-context: tables of files not named are existing" 1 'orders_user on table "public.orders"'
run --format gcc --with-context db/0003_orders.sql db/0004_indexes.sql
expect "with-context: tables created by a named file are new" 1 \
    'db/0004_indexes\.sql:2:1' -v 'orders_user'
cd "$repo/db"
run --format gcc --with-context 0004_indexes.sql
expect "with-context: a bare file name reads its neighbours in order" 1 \
    '^0004_indexes\.sql:2:1: error' -v '0002_users_email' '\./'
cd "$repo"
run --with-context --changed-since main db/0004_indexes.sql
expect "with-context and changed-since do not go together" 2 'do not go together'

# ---------------------------------------------------------------------------
# pre-commit try-repo with this repository's .pre-commit-hooks.yaml
# ---------------------------------------------------------------------------
if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    fail "pre-commit" "$src is not a git checkout: try-repo needs one"
else
    bin=$tmp/bin
    mkdir -p "$bin"
    ln -s "$pgsafe" "$bin/pgsafe"
    export PRE_COMMIT_HOME="$tmp/pre-commit-home"
    hooks=$tmp/hooks
    new_repo "$hooks"
    mkdir -p "$hooks/db"
    printf 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' >"$hooks/db/0001_users.sql"
    git -C "$hooks" add db && git -C "$hooks" commit -qm deployed

    # try_hook NAME WANT_RC FILE...: stages FILE... and runs the hook on them
    try_hook() {
        name=$1 want=$2
        shift 2
        (cd "$hooks" && git add "$@") &&
            rc=0 &&
            (cd "$hooks" && PATH="$bin:$PATH" pre-commit try-repo "$src" pgsafe --files "$@") \
                >"$out" 2>"$err" </dev/null || rc=$?
    }

    printf 'CREATE INDEX users_email ON users (email);\n' >"$hooks/db/0002_unsafe.sql"
    try_hook unsafe 1 db/0002_unsafe.sql
    expect "pre-commit: an unsafe staged migration fails the hook" 1 \
        'Failed' 'db/0002_unsafe\.sql:1:1: error.*require-concurrent-index'
    git -C "$hooks" rm -q --cached db/0002_unsafe.sql && rm "$hooks/db/0002_unsafe.sql"

    printf "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n" \
        >"$hooks/db/0002_safe.sql"
    try_hook safe 0 db/0002_safe.sql
    expect "pre-commit: a safe staged migration passes the hook" 0 'Passed'

    printf 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n' >"$hooks/db/0003_orders.sql"
    printf 'CREATE INDEX orders_user ON orders (user_id);\n' >"$hooks/db/0004_orders_user.sql"
    try_hook new_tables 0 db/0003_orders.sql db/0004_orders_user.sql
    expect "pre-commit: a table created by a staged file counts as new" 0 'Passed'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
