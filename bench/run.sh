#!/bin/sh
# bench/run.sh - throughput and memory figures for a pgsafe binary.
#
#   sh bench/run.sh [PGSAFE [CORPUS_DIR]]
#
# PGSAFE defaults to build/pgsafe (built by tools/setup.sh; this script
# builds nothing), CORPUS_DIR to $PGSAFE_CORPUS or ../shared/corpus beside
# the repository. Prints one table, no pass/fail:
#   - the whole corpus in one process (every file, known crashers left out),
#   - each project directory (pgsafe DIR: its *.sql files),
#   - the largest single file,
#   - synthetic migrations made of CREATE TABLE / ALTER TABLE / CREATE INDEX
#     statements, generated here, of each size in BENCH_SYNTH_SIZES
#     megabytes (default "1 4 16 50"), run once each and stopped after
#     BENCH_SYNTH_TIMEOUT seconds (default 300; 0 waits as long as it
#     takes): the rows show how the time grows with the size of one
#     migration;
# with wall time (best of BENCH_REPEAT runs, default 3), statements per
# second, MB per second and peak RSS (GNU time, when /usr/bin/time exists),
# then, when valgrind is installed, the instruction count of one mid-size
# file under callgrind (repeatable, unlike seconds) and its top functions.
# Text output, written to a file: the reporter's cost is included.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
pgsafe=${1:-$repo/build/pgsafe}
corpus=${2:-${PGSAFE_CORPUS:-$(dirname "$repo")/shared/corpus}}
repeat=${BENCH_REPEAT:-3}
synth_sizes=${BENCH_SYNTH_SIZES:-1 4 16 50}
synth_timeout=${BENCH_SYNTH_TIMEOUT:-300}
tmo=""

if [ ! -x "$pgsafe" ]; then
    echo "bench: no pgsafe at $pgsafe: run 'sh tools/setup.sh' first, or pass its path" >&2
    exit 2
fi
case $pgsafe in /*) ;; *) pgsafe=$(pwd)/$pgsafe ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' true >/dev/null 2>&1; then
    gnu_time=/usr/bin/time
fi

now_ns() {
    date +%s%N
}

# measure LABEL FILES BYTES PATH...: runs pgsafe on PATH... $repeat times and
# prints one table row (best wall time; peak RSS of the best run)
measure() {
    label=$1 nfiles=$2 bytes=$3
    shift 3
    best="" rss="-" stmts="?" note=""
    i=0
    while [ "$i" -lt "$repeat" ]; do
        i=$((i + 1))
        rc=0
        t0=$(now_ns)
        set -- ${tmo:+timeout "$tmo"} "$pgsafe" --color=never "$@"
        if [ -n "$gnu_time" ]; then
            "$gnu_time" -f '%M' -o "$work/rss" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
        else
            "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
        fi
        shift $((${tmo:+2} + 2))
        t1=$(now_ns)
        if [ -n "$tmo" ] && [ "$rc" -eq 124 ]; then
            note="timed out after $tmo s"
            break
        elif [ "$rc" -ge 64 ]; then
            note="CRASHED (exit $rc)"
            break
        fi
        ns=$((t1 - t0))
        if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then
            best=$ns
            [ -n "$gnu_time" ] && rss=$(awk 'END { printf "%.1f", $1 / 1024 }' "$work/rss")
        fi
    done
    stmts=$(sed -n 's/^pgsafe: [0-9]* files*, \([0-9]*\) statements* analyzed.*/\1/p' "$work/out" | tail -n 1)
    if [ -n "$note" ] || [ -z "$best" ]; then
        printf '%-34s %6s %10s %9s %9s %11s %8s %9s  %s\n' "$label" "$nfiles" "$bytes" "-" "-" "-" "-" "-" "$note"
        return 0
    fi
    awk -v l="$label" -v f="$nfiles" -v b="$bytes" -v s="${stmts:-0}" -v ns="$best" -v r="$rss" 'BEGIN {
        w = ns / 1e9
        printf "%-34s %6d %10d %9d %9.3f %11.0f %8.2f %9s\n", l, f, b, s, w, (w > 0 ? s / w : 0), (w > 0 ? b / 1048576 / w : 0), r
    }'
}

header() {
    printf '%-34s %6s %10s %9s %9s %11s %8s %9s\n' "what" "files" "bytes" "stmts" "wall_s" "stmts/s" "MB/s" "rss_MB"
    printf '%-34s %6s %10s %9s %9s %11s %8s %9s\n' "----" "-----" "-----" "-----" "------" "-------" "----" "------"
}

echo "pgsafe bench: $("$pgsafe" --version)"
echo "binary: $pgsafe"
echo "machine: $(nproc) CPUs, $(uname -m), best of $repeat runs, text output to a file"
[ -n "$gnu_time" ] || echo "(no GNU time at /usr/bin/time: peak RSS not measured; apt-get install time)"
echo
header

if [ -d "$corpus" ]; then
    # files that crash pgsafe today (tests/corpus.sh KNOWN_FAILURES) are left out
    awk '/^KNOWN_FAILURES=\x27/ { on = 1; sub(/^KNOWN_FAILURES=\x27/, "") }
         on { last = sub(/\x27$/, ""); split($0, f, "\t"); if (f[1] != "") print f[1]; if (last) on = 0 }' \
        "$repo/tests/corpus.sh" 2>/dev/null >"$work/known" || : >"$work/known"
    find "$corpus" -type f ! -path "$corpus/SOURCES.md" | sort | while IFS= read -r f; do
        grep -qxF "${f#"$corpus"/}" "$work/known" || printf '%s\n' "$f"
    done >"$work/all"
    nall=$(wc -l <"$work/all")
    ball=$(tr '\n' '\0' <"$work/all" | xargs -0 cat | wc -c)
    # one process over every file (the list fits in the argument limit)
    set --
    while IFS= read -r f; do set -- "$@" "$f"; done <"$work/all"
    measure "whole corpus (one process)" "$nall" "$ball" "$@"
    set --

    for d in "$corpus"/*/; do
        d=${d%/}
        base=$(basename "$d")
        if grep -q "^$base/" "$work/known"; then
            mkdir -p "$work/trees"
            cp -as "$d" "$work/trees/$base"
            while IFS= read -r k; do rm -f "$work/trees/$k"; done <"$work/known"
            d=$work/trees/$base
            base="$base*"
        fi
        n=$(find -L "$d" -type f -name '*.sql' | wc -l)
        b=$(find -L "$d" -type f -name '*.sql' -print0 | xargs -0 cat | wc -c)
        measure "  $base" "$n" "$b" "$d"
    done

    largest=$(tr '\n' '\0' <"$work/all" | xargs -0 wc -c | grep -v ' total$' |
              sort -n | tail -n 1 | sed 's/^ *[0-9]* //')
    measure "largest file: $(basename "$largest")" 1 "$(wc -c <"$largest")" "$largest"
else
    echo "(no corpus at $corpus: corpus rows skipped)"
fi

# the synthetic migrations: tables, columns, indexes, constraints, DML, in
# a fixed mix, up to the size asked for
synth=$work/synthetic.sql
for mb in $synth_sizes; do
    awk -v target=$((mb * 1048576)) 'BEGIN {
        n = 0; bytes = 0
        while (bytes < target) {
            tbl = sprintf("app.table_%d", n % 2000)
            k = n % 10
            if (k == 0)      s = sprintf("CREATE TABLE IF NOT EXISTS %s_%d (id bigint PRIMARY KEY, owner_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());", tbl, n)
            else if (k == 1) s = sprintf("ALTER TABLE %s ADD COLUMN col_%d text;", tbl, n)
            else if (k == 2) s = sprintf("ALTER TABLE %s ADD COLUMN flag_%d boolean NOT NULL DEFAULT false;", tbl, n)
            else if (k == 3) s = sprintf("CREATE INDEX idx_%d ON %s (col_%d);", n, tbl, n - 2)
            else if (k == 4) s = sprintf("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_c_%d ON %s (owner_id, created_at DESC) WHERE deleted_at IS NULL;", n, tbl)
            else if (k == 5) s = sprintf("ALTER TABLE %s ALTER COLUMN col_%d SET NOT NULL;", tbl, n - 4)
            else if (k == 6) s = sprintf("ALTER TABLE %s ADD CONSTRAINT fk_%d FOREIGN KEY (owner_id) REFERENCES app.owners (id) NOT VALID;", tbl, n)
            else if (k == 7) s = sprintf("ALTER TABLE %s VALIDATE CONSTRAINT fk_%d;", tbl, n - 1)
            else if (k == 8) s = sprintf("UPDATE %s SET col_%d = lower(col_%d) WHERE id BETWEEN %d AND %d;", tbl, n - 7, n - 7, n * 1000, n * 1000 + 999)
            else             s = sprintf("ALTER TABLE %s ADD COLUMN token_%d uuid DEFAULT gen_random_uuid();", tbl, n)
            print s
            bytes += length(s) + 1
            n++
        }
    }' >"$synth"
    saved_repeat=$repeat
    repeat=1 tmo=$synth_timeout
    measure "synthetic ${mb} MB migration" 1 "$(wc -c <"$synth")" "$synth"
    repeat=$saved_repeat tmo=""
    rm -f "$synth"
done

if command -v valgrind >/dev/null 2>&1 && [ -d "$corpus" ]; then
    # a mid-size migration: the file nearest 32 KiB outside postgres_regress
    mid=$(grep -v '/postgres_regress/' "$work/all" | tr '\n' '\0' | xargs -0 wc -c |
          awk '$2 != "total" { d = $1 - 32768; if (d < 0) d = -d; print d, $2 }' |
          sort -n | head -n 1 | cut -d' ' -f2-)
    echo
    echo "callgrind on ${mid#"$corpus"/} ($(wc -c <"$mid") bytes):"
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$pgsafe" --color=never "$mid" \
        >/dev/null 2>"$work/cg.err" </dev/null || true
    ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/cg.err" | tail -n 1)
    echo "  instructions (Ir): ${ir:-unknown}"
    if command -v callgrind_annotate >/dev/null 2>&1; then
        echo "  top functions by self cost:"
        callgrind_annotate "$work/cg.out" 2>/dev/null |
            awk '/^ *[0-9,]+ +\(/ && !/PROGRAM TOTALS/ && n < 8 { print "    " $0; n++ }'
    fi
else
    echo
    echo "(valgrind not installed, or no corpus: no instruction count)"
fi
