#!/bin/sh
# tests/corpus.sh - robustness run over the real-world corpus.
#
#   tests/corpus.sh PGSAFE CORPUS_DIR
#
# Runs PGSAFE (--format=json --fail-on never) on every file of CORPUS_DIR,
# one process per file under `timeout 20`, then once on each project
# directory as a whole. A run fails when it crashes (exit code >= 64 or a
# signal), times out, prints a sanitizer report on standard error, or
# prints something that is not JSON. Exit codes 0, 1 and 3 (input error, as
# for the WIN1252 file) are fine. Prints totals: files, statements, not
# modeled, syntax errors, diagnostics by severity, wall time.
#
# Exit status: 0 all runs fine; 1 some run failed; 2 usage; 77 (meson's
# "skipped") when CORPUS_DIR does not exist, so the suite is skipped on
# machines without the shared corpus. CORPUS_JOBS sets the parallelism
# (default: the number of CPUs).
#
# Known failures: pgsafe bugs that are reported but not yet fixed. Each line
# is a path relative to CORPUS_DIR, a tab, and the symptom. A known failure
# is printed as XFAIL and does not fail the run; the whole-directory run
# leaves those files out (it runs on a copy of the directory made of
# symbolic links). CORPUS_STRICT=1 treats them as failures; a known failure
# that passes is printed as XPASS: remove it from the list.
set -eu

# (postgres_regress/alter_table.sql was one until 75de9f7: a partition cycle
# overflowed the stack in lockmodel.c partitions_of().)
KNOWN_FAILURES=''

# --worker: run pgsafe on the files given as arguments (called via xargs).
if [ "${1:-}" = --worker ]; then
    pgsafe=$2 out=$3 timeout_s=$4
    shift 4
    for f in "$@"; do
        n=$(printf '%s' "$f" | cksum | cut -d' ' -f1)-$$-${#f}
        rc=0
        timeout "$timeout_s" "$pgsafe" lint --format=json --fail-on never "$f" \
            >"$out/$n.json" 2>"$out/$n.err" </dev/null || rc=$?
        printf '%s\t%s\t%s\n' "$rc" "$n" "$f" >>"$out/status.$$"
    done
    exit 0
fi

if [ $# -ne 2 ]; then
    echo "usage: $0 PGSAFE CORPUS_DIR" >&2
    exit 2
fi
pgsafe=$1
corpus=$2
case $pgsafe in /*) ;; *) pgsafe=$(pwd)/$pgsafe ;; esac
case $corpus in /*) ;; *) corpus=$(pwd)/$corpus ;; esac
[ "${CORPUS_STRICT:-0}" = 1 ] && KNOWN_FAILURES=''
export KNOWN_FAILURES
if [ ! -d "$corpus" ]; then
    echo "corpus.sh: no corpus at $corpus: skipped"
    exit 77
fi
if [ ! -x "$pgsafe" ]; then
    echo "corpus.sh: $pgsafe is not an executable" >&2
    exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "corpus.sh: python3 is needed" >&2; exit 2; }

jobs=${CORPUS_JOBS:-$(nproc 2>/dev/null || echo 2)}
work=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/files" "$work/dirs"

start=$(date +%s.%N)

# every file of the corpus, except the corpus' own notes
find "$corpus" -type f ! -path "$corpus/SOURCES.md" -print0 | sort -z >"$work/list"
nfiles=$(tr -cd '\0' <"$work/list" | wc -c)
echo "corpus.sh: $nfiles files under $corpus, $jobs jobs, $pgsafe"
xargs -0 -n 40 -P "$jobs" sh "$0" --worker "$pgsafe" "$work/files" 20 <"$work/list"
files_done=$(date +%s.%N)

# each project directory as a whole (pgsafe DIR: its *.sql files in order),
# without the known failures
for d in "$corpus"/*/; do
    d=${d%/}
    base=$(basename "$d")
    n=dir-$base
    run_dir=$d
    known=$(printf '%s\n' "$KNOWN_FAILURES" | cut -f1 | grep "^$base/" || true)
    if [ -n "$known" ]; then
        mkdir -p "$work/trees"
        cp -as "$d" "$work/trees/$base"
        run_dir=$work/trees/$base
        printf '%s\n' "$known" | while IFS= read -r k; do
            rm -f "$work/trees/$k"
            echo "corpus.sh: $base as a whole is run without $k (known failure)"
        done
    fi
    rc=0
    timeout 300 "$pgsafe" lint --format=json --fail-on never "$run_dir" \
        >"$work/dirs/$n.json" 2>"$work/dirs/$n.err" </dev/null || rc=$?
    printf '%s\t%s\t%s\n' "$rc" "$n" "$d" >>"$work/dirs/status.dirs"
done
end=$(date +%s.%N)

python3 - "$work" "$start" "$files_done" "$end" "$corpus" <<'PY'
import collections, glob, json, os, re, signal, sys

work, t0, t1, t2 = sys.argv[1], *map(float, sys.argv[2:5])
corpus = sys.argv[5]
known = dict(l.split("\t", 1) for l in os.environ.get("KNOWN_FAILURES", "").splitlines() if "\t" in l)
xfails, xpasses, noisy = [], [], []
SANITIZER = re.compile(r"(ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|"
                       r"SUMMARY: \w+Sanitizer|==\d+==ERROR)")
failures = []

def check(kind, rc, name, path):
    """Checks one run; returns its parsed JSON or None."""
    out = os.path.join(work, kind, name + ".json")
    err = open(os.path.join(work, kind, name + ".err"), errors="replace").read()
    problem = None
    if rc == 124:
        problem = "timed out"
    elif rc >= 128:
        try:
            sig = signal.Signals(rc - 128).name
        except ValueError:
            sig = "signal %d" % (rc - 128)
        problem = "killed by %s (exit %d)" % (sig, rc)
    elif rc >= 64:
        problem = "crashed: exit code %d" % rc
    elif rc not in (0, 1, 3):
        problem = "unexpected exit code %d" % rc
    if not problem and SANITIZER.search(err):
        problem = "sanitizer report on stderr"
    doc = None
    if not problem:
        try:
            with open(out, "rb") as f:
                doc = json.load(f)
            if not isinstance(doc, dict) or not isinstance(doc.get("summary"), dict):
                problem = "JSON without a summary object"
        except (ValueError, UnicodeDecodeError) as e:
            problem = "invalid JSON: %s" % e
    rel = os.path.relpath(path, corpus)
    if problem and rel in known:
        xfails.append((path, problem, known[rel]))
        return None
    if rel in known:
        xpasses.append(path)
    if problem:
        failures.append((path, problem, err.strip().splitlines()[:12]))
        return None
    if err.strip():
        noisy.append((path, err.strip().splitlines()[0]))
    return doc

def runs(kind):
    for st in glob.glob(os.path.join(work, kind, "status.*")):
        for line in open(st, encoding="utf-8", errors="surrogateescape"):
            rc, name, path = line.rstrip("\n").split("\t", 2)
            yield int(rc), name, path

tot = collections.Counter()
codes = collections.Counter()
rules = collections.Counter()
nruns = 0
for rc, name, path in sorted(runs("files"), key=lambda r: r[2]):
    nruns += 1
    codes[rc] += 1
    doc = check("files", rc, name, path)
    if doc is None:
        continue
    s = doc["summary"]
    for k in ("files", "input_errors", "statements", "not_modeled", "errors", "warnings", "hints"):
        tot[k] += s.get(k, 0)
    for d in doc.get("diagnostics", []):
        rules[d.get("rule")] += 1

dirs = []
for rc, name, path in sorted(runs("dirs"), key=lambda r: r[2]):
    doc = check("dirs", rc, name, path)
    dirs.append((os.path.basename(path), rc, doc["summary"] if doc else None))

print()
print("per file: %d runs in %.1f s (exit codes: %s)" % (
    nruns, t1 - t0, ", ".join("%d: %d" % kv for kv in sorted(codes.items()))))
print("  files %d, input errors %d, statements %d, not modeled %d, syntax errors %d, "
      "unsupported syntax %d" % (tot["files"], tot["input_errors"], tot["statements"],
                                 tot["not_modeled"], rules["syntax-error"],
                                 rules["unsupported-syntax"]))
print("  diagnostics: %d errors, %d warnings, %d hints" % (tot["errors"], tot["warnings"], tot["hints"]))
print("  by rule: " + ", ".join("%s %d" % kv for kv in rules.most_common()))
print()
print("per project directory (pgsafe DIR), %.1f s:" % (t2 - t1))
print("  %-26s %4s %6s %7s %7s %7s %7s %7s" % ("project", "exit", "files", "stmts", "not_mod",
                                               "errors", "warns", "hints"))
for base, rc, s in dirs:
    if s is None:
        print("  %-26s %4d  FAILED" % (base, rc))
    else:
        print("  %-26s %4d %6d %7d %7d %7d %7d %7d" % (base, rc, s["files"], s["statements"],
              s["not_modeled"], s["errors"], s["warnings"], s["hints"]))
print()
print("wall time: %.1f s" % (t2 - t0))
if noisy:
    print("%d runs wrote to stderr (not a failure), e.g. %s: %s" % (len(noisy), *noisy[0]))
for path, problem, why in xfails:
    print("XFAIL %s: %s (known failure: %s)" % (path, problem, why))
for path in xpasses:
    print("XPASS %s: listed as a known failure but passed: remove it from KNOWN_FAILURES in tests/corpus.sh" % path)
for path, problem, err in failures:
    print("FAIL %s: %s" % (path, problem))
    for l in err:
        print("    " + l)
ok = nruns + len(dirs) - len(failures) - len(xfails)
print("%d passed, %d failed%s" % (ok, len(failures),
                                  ", %d skipped" % len(xfails) if xfails else ""))
sys.exit(1 if failures or nruns == 0 else 0)
PY
