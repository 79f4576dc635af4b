#!/bin/sh
# tests/frameworks.sh - migration frameworks, whole projects at a time
# (suite "frameworks"; docs/frameworks.md).
#
#   tests/frameworks.sh PGSAFE SRCDIR [--bless]
#       Runs every case testdata/frameworks/<tool>/<case>.case (a small
#       project per tool, linted as a whole) and
#       testdata/schema-and-stats/<case>.case (--schema and --stats on
#       PostgreSQL 15's pg_dump output). A .case file holds
#           args: OPTIONS AND PATHS     (run in the case's directory)
#           rules: RULE-ID ...          (the findings that matter here)
#       and <case>.expected.json beside it is what is compared: the
#       framework, every statement as "file:line kind txn" (so the order of
#       files, which sections were linted and their transaction show) and
#       the findings of the listed rules as "file:line:column severity
#       rule: message". Keeping to the listed rules keeps the cases stable
#       when rules are added. The full output must also be valid against
#       schemas/lint.schema.json. --bless rewrites the expected files.
#
#   tests/frameworks.sh --corpus PGSAFE CORPUS_DIR
#       Lints every project of the shared corpus as a whole, with the
#       framework detected, and checks it against the "framework" column
#       of CORPUS_DIR/SOURCES.md (tools pgsafe does not know count as
#       plain SQL). Exits 77 (skipped) when the corpus is absent.
#
# Prints PASS/FAIL lines and "N passed, M failed"; exit status 1 when
# something failed.
set -eu

project_py='
import json, sys
out_path, rules, expected_path, bless, schema_path = sys.argv[1:6]
keep = set(rules.split())
with open(out_path) as f:
    doc = json.load(f)
problems = []
try:
    import jsonschema
    with open(schema_path) as f:
        jsonschema.validate(doc, json.load(f))
except ImportError:
    pass
except Exception as e:
    problems.append("output does not match the schema: %s" % str(e).splitlines()[0])
got = {
    "framework": doc.get("framework", "plain"),
    "statements": ["%s:%d %s %s" % (s["file"], s["line"], s["kind"], s["txn"]["kind"])
                   for s in doc["statements"]],
    "diagnostics": ["%s:%d:%d %s %s: %s" % (d["file"], d["line"], d["column"], d["severity"],
                                           d["rule"], d["message"])
                    for d in doc["diagnostics"] if d["rule"] in keep],
}
text = json.dumps(got, indent=2) + "\n"
if bless == "1":
    with open(expected_path, "w") as f:
        f.write(text)
else:
    try:
        with open(expected_path) as f:
            want = f.read()
    except OSError:
        want = None
    if want != text:
        if want is None:
            problems.append("no %s (run with --bless)" % expected_path)
        else:
            w = json.loads(want)
            for key in ("framework", "statements", "diagnostics"):
                if w.get(key) != got[key]:
                    problems.append("%s differ:\n  expected %s\n  got      %s" % (
                        key, json.dumps(w.get(key)), json.dumps(got[key])))
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
'

if [ "${1:-}" = --corpus ]; then
    [ $# -eq 3 ] || { echo "usage: $0 --corpus PGSAFE CORPUS_DIR" >&2; exit 2; }
    pgsafe=$2 corpus=$3
    case $pgsafe in /*) ;; *) pgsafe=$(pwd)/$pgsafe ;; esac
    if [ ! -f "$corpus/SOURCES.md" ]; then
        echo "frameworks.sh: no corpus at $corpus: skipped"
        exit 77
    fi
    # "| `folder` | repo | commit | license | framework | files | bytes |":
    # the tool's first word, lower case, "-kit" dropped; unknown tools are plain
    known=" goose dbmate golang-migrate flyway sqitch prisma diesel drizzle "
    passed=0 failed=0
    list=$(sed -n 's/^| `\([^`]*\)` |[^|]*|[^|]*|[^|]*| *\([^ |]*\).*/\1 \2/p' "$corpus/SOURCES.md")
    [ -n "$list" ] || { echo "frameworks.sh: no projects found in $corpus/SOURCES.md" >&2; exit 1; }
    tmp=$(mktemp "${TMPDIR:-/tmp}/pgsafe-fw.XXXXXX")
    trap 'rm -f "$tmp"' EXIT INT TERM
    echo "$list" | {
        while read -r folder tool; do
            want=$(printf '%s' "$tool" | tr 'A-Z' 'a-z' | sed 's/-kit$//')
            case $known in *" $want "*) ;; *) want=plain ;; esac
            rc=0
            "$pgsafe" lint --format=json --fail-on never "$corpus/$folder" >"$tmp" 2>/dev/null </dev/null || rc=$?
            got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("framework", "plain"))' "$tmp" 2>/dev/null || echo "invalid-json")
            # 3 is an input error (postgres_regress has a WIN1252 file on purpose)
            if { [ "$rc" -le 1 ] || [ "$rc" -eq 3 ]; } && [ "$got" = "$want" ]; then
                echo "PASS $folder: $got"
                passed=$((passed + 1))
            else
                echo "FAIL $folder: detected $got (exit $rc), SOURCES.md says $tool ($want)"
                failed=$((failed + 1))
            fi
        done
        echo "$passed passed, $failed failed"
        [ "$failed" -eq 0 ]
    }
    exit $?
fi

[ $# -ge 2 ] || { echo "usage: $0 PGSAFE SRCDIR [--bless]" >&2; exit 2; }
pgsafe=$1 src=$2 bless=0
[ "${3:-}" = --bless ] && bless=1
case $pgsafe in /*) ;; *) pgsafe=$(pwd)/$pgsafe ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
tmp=$(mktemp "${TMPDIR:-/tmp}/pgsafe-fw.XXXXXX")
trap 'rm -f "$tmp"' EXIT INT TERM
passed=0 failed=0
for case_file in "$src"/testdata/frameworks/*/*.case "$src"/testdata/schema-and-stats/*.case; do
    dir=$(dirname "$case_file")
    name=$(basename "$case_file" .case)
    label="${dir#"$src"/testdata/}/$name"
    args=$(sed -n 's/^args: *//p' "$case_file")
    rules=$(sed -n 's/^rules: *//p' "$case_file")
    rc=0
    # shellcheck disable=SC2086  # args are words
    (cd "$dir" && "$pgsafe" lint --format=json --fail-on never $args) >"$tmp" 2>"$tmp.err" </dev/null || rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "FAIL $label: exit status $rc"
        sed 's/^/  /' "$tmp.err"
        failed=$((failed + 1))
    elif python3 -c "$project_py" "$tmp" "$rules" "$dir/$name.expected.json" "$bless" \
        "$src/schemas/lint.schema.json"; then
        echo "PASS $label"
        passed=$((passed + 1))
    else
        echo "FAIL $label"
        failed=$((failed + 1))
    fi
    rm -f "$tmp.err"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
