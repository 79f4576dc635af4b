#!/bin/sh
# tests/dump.sh - schema dumps and table sizes against PostgreSQL 15
# (suite "dump"; docs/schema-and-stats.md).
#
#   tests/dump.sh PGSAFE SRCDIR
#
# Starts one throwaway cluster (tests/pg_cluster.sh) and, on it:
#   1. runs testdata/dump/ddl/*.sql, a schema with every kind of object the
#      catalog models (enum types, domains with constraints, typmods, NOT
#      NULL, defaults, identity, serial and generated columns, validated and
#      NOT VALID checks and foreign keys, unique and primary keys, plain,
#      partial, expression and hash indexes, a partitioned table with a
#      default partition and a partitioned index, views, a materialized
#      view, a sequence);
#   2. dumps it with PostgreSQL 15's pg_dump --schema-only;
#   3. for every testdata/dump/migrations/*.sql, checks that linting it
#      after the DDL files (pgsafe ddl/ M: the whole directory, M last)
#      gives M exactly the findings and effects that linting M alone with
#      --schema dump.sql gives, and the same with the dump made into a Rails
#      structure.sql (--schema, and --framework rails-structure), and that
#      linting M with no schema at all differs (so the check means something);
#   4. fills the tables (a few accounts, 20,000 orders), exports their sizes
#      with tools/export-stats.sql (the query docs/schema-and-stats.md
#      shows, checked to be the same text), and checks that with --stats,
#      as JSON and as YAML, errors about rewriting or scanning the small
#      table become hints and those about the large one stay errors.
# The cluster is stopped whatever happens. Prints PASS/FAIL lines and
# "N passed, M failed"; exit status 1 when something failed.
set -eu
pgsafe=$1
src=$2
case $pgsafe in /*) ;; *) pgsafe=$(pwd)/$pgsafe ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
bindir=/usr/lib/postgresql/15/bin
if [ ! -x "$bindir/pg_dump" ]; then
    echo "dump: PostgreSQL 15 is not installed (sh tools/setup.sh installs it)" >&2
    exit 1
fi
work=$(mktemp -d /tmp/pgsafe-dump.XXXXXX)
# the cluster's own directory: pg_cluster.sh hands it to the server's user
pgdir=$(mktemp -d /tmp/pgsafe-dumppg.XXXXXX)
cleanup() {
    "$src/tests/pg_cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
"$src/tests/pg_cluster.sh" start "$pgdir" >/dev/null
port=$(cat "$pgdir/port")
db="host=127.0.0.1 port=$port user=postgres dbname=dumptest"
psql() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@" </dev/null; }

psql "host=127.0.0.1 port=$port user=postgres dbname=postgres" -c "CREATE DATABASE dumptest"
for f in "$src"/testdata/dump/ddl/*.sql; do
    psql "$db" -f "$f"
done
"$bindir/pg_dump" --schema-only --file="$work/dump.sql" "$db"
# Rails' db/structure.sql: the dump, then the search_path and the versions
mkdir -p "$work/rails/db"
{
    cat "$work/dump.sql"
    printf 'SET search_path TO "$user", public;\n\n'
    printf 'INSERT INTO "schema_migrations" (version) VALUES\n('"'"'20240101000000'"'"'),\n('"'"'20240102000000'"'"');\n\n'
} >"$work/rails/db/structure.sql"

# The findings and effects of FILE in each JSON output, compared.
compare_py='
import json, sys
target, first, *others = sys.argv[1:]
def view(path):
    with open(path) as f:
        doc = json.load(f)
    diags = [(d["file"], d["line"], d["column"], d["rule"], d["severity"], d["message"],
              json.dumps(d.get("lock"), sort_keys=True))
             for d in doc["diagnostics"] if d["file"] == target]
    stmts = [(s["file"], s["line"], s["kind"], s["txn"]["kind"],
              json.dumps(s["effects"], sort_keys=True))
             for s in doc["statements"] if s["file"] == target]
    return diags, stmts
want = view(first)
bad = 0
for path in others:
    same_expected = not path.startswith("!")
    got = view(path.lstrip("!"))
    if (got == want) != same_expected:
        bad = 1
        label = path.lstrip("!").rsplit("/", 1)[-1]
        if same_expected:
            for x in sorted(set(want[0]) - set(got[0])):
                print("  only after the DDL files:", x)
            for x in sorted(set(got[0]) - set(want[0])):
                print("  only with %s:" % label, x)
            for a, b in zip(want[1], got[1]):
                if a != b:
                    print("  statement after the DDL files:", a)
                    print("  statement with %s:" % label, b)
        else:
            print("  %s gives the same findings as the DDL files: the check proves nothing" % label)
sys.exit(bad)
'

passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
lint() { "$pgsafe" lint --format=json --fail-on never "$@" </dev/null; }

cd "$src/testdata/dump"
for m in migrations/*.sql; do
    name=$(basename "$m" .sql)
    lint ddl "$m" >"$work/$name.ddl.json"
    lint --schema "$work/dump.sql" "$m" >"$work/$name.dump.json"
    lint --schema "$work/rails/db/structure.sql" "$m" >"$work/$name.structure.json"
    cp "$m" "$work/rails/db/$name.sql"
    (cd "$work/rails" && lint --framework rails-structure db) >"$work/$name.rails.json"
    rm "$work/rails/db/$name.sql"
    sed "s|\"db/$name.sql\"|\"$m\"|g" "$work/$name.rails.json" >"$work/$name.rails2.json"
    lint "$m" >"$work/$name.none.json"
    if python3 -c "$compare_py" "$m" "$work/$name.ddl.json" "$work/$name.dump.json" \
        "$work/$name.structure.json" "$work/$name.rails2.json" "!$work/$name.none.json"; then
        pass "$m: the same after the DDL files, with --schema dump.sql, structure.sql and rails-structure"
    else
        fail "$m"
    fi
done

# the dump itself yields no finding and no statement
lint --schema "$work/dump.sql" migrations/m01_column_types.sql >"$work/only.json"
if python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
files = {d["file"] for d in doc["diagnostics"]} | {s["file"] for s in doc["statements"]}
sys.exit(0 if files == {"migrations/m01_column_types.sql"} and doc["summary"]["files"] == 1 else 1)
' "$work/only.json"; then
    pass "--schema: the dump adds no finding, statement or file to the report"
else
    fail "--schema: the dump shows in the report"
fi

# table sizes
psql "$db" -c "INSERT INTO accounts (email, name, code)
                 SELECT 'a' || g || '@example.com', 'n' || g, 'c' || g FROM generate_series(1, 5) g"
psql "$db" -c "INSERT INTO orders (account_id, quantity, price, status, placed_at)
                 SELECT 1 + g % 5, 1 + g % 50, g % 100, 'new', now() FROM generate_series(1, 20000) g"
psql "$db" -c "ANALYZE"
"$bindir/psql" -X -A -t -v ON_ERROR_STOP=1 -f "$src/tools/export-stats.sql" "$db" </dev/null >"$work/stats.json"
python3 -c '
import json, sys
tables = json.load(open(sys.argv[1]))["tables"]
with open(sys.argv[2], "w") as y:
    y.write("# exported by tools/export-stats.sql, written as YAML\ntables:\n")
    for name, t in tables.items():
        y.write("  %s:\n    rows: %d\n    bytes: %d\n" % (name, t["rows"], t["bytes"]))
' "$work/stats.json" "$work/stats.yaml"
check_py='
import json, sys
doc = json.load(open(sys.argv[1]))
want = {  # line: (rule, severity)
    3: ("add-column-volatile-default", "hint"),    # accounts: small
    4: ("add-column-volatile-default", "error"),   # orders: large
    5: ("require-concurrent-index", "hint"),
    6: ("require-concurrent-index", "error"),
    8: ("add-column-not-null-without-default", "error"),  # fails on any row
}
got = {d["line"]: (d["rule"], d["severity"]) for d in doc["diagnostics"]
       if d["rule"] == want.get(d["line"], ("",))[0]}
bad = [l for l in want if got.get(l) != want[l]]
for l in bad:
    print("  line %d: expected %s, got %s" % (l, want[l], got.get(l)))
for d in doc["diagnostics"]:
    if d["severity"] == "hint" and d["rule"] in ("add-column-volatile-default", "require-concurrent-index") \
            and "is small" not in d["message"]:
        print("  the hint does not say why:", d["message"])
        bad.append(0)
sys.exit(1 if bad else 0)
'
for fmt in json yaml; do
    lint --schema "$work/dump.sql" --stats "$work/stats.$fmt" stats/s01_table_sizes.sql >"$work/sizes.$fmt.out"
    if python3 -c "$check_py" "$work/sizes.$fmt.out"; then
        pass "--stats ($fmt, from tools/export-stats.sql): small table hint, large table error"
    else
        fail "--stats ($fmt)"
    fi
done
# without sizes every existing table is large
lint --schema "$work/dump.sql" stats/s01_table_sizes.sql >"$work/sizes.none.out"
if python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
sys.exit(1 if any(d["severity"] == "hint" and "is small" in d["message"] for d in doc["diagnostics"]) else 0)
' "$work/sizes.none.out"; then
    pass "without --stats every existing table counts as large"
else
    fail "without --stats a table counted as small"
fi
# the query in the docs is the one tested here
if python3 -c '
import sys
doc = open(sys.argv[1]).read()
sql = open(sys.argv[2]).read()
body = sql[sql.index("SELECT json_build_object"):]
sys.exit(0 if body.strip() in doc else 1)
' "$src/docs/schema-and-stats.md" "$src/tools/export-stats.sql"; then
    pass "docs/schema-and-stats.md shows tools/export-stats.sql as tested"
else
    fail "docs/schema-and-stats.md and tools/export-stats.sql differ"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
