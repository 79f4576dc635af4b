#!/bin/sh
# tests/rules_docs.sh - the rule catalog, its documentation and the binary agree (suite ruledocs).
#
#   sh tests/rules_docs.sh PGSAFE SOURCE_ROOT
#
# Fails when:
#   - a rules/*.c file is missing from rules/rule_list.h or from meson.build's
#     rule_sources (or either lists a file that does not exist), rule_list.h is
#     not sorted, or a file's rule id is not its file name in kebab-case;
#   - docs/rules/ differs from what `pgsafe rules --format docs` writes now;
#   - README.md's rule table (between the pgsafe-rules markers) differs from
#     `pgsafe rules --format markdown`;
#   - a rule's bad_example does not produce a finding of that rule, or its
#     good_example does, when linted as pgsafe's docs lint them (after the
#     rule's example_setup, at its example PostgreSQL version, with the example
#     configuration), or when `pgsafe explain RULE` fails.
# Ends with "N passed, M failed".
set -u

pgsafe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$2
command -v python3 >/dev/null 2>&1 || { echo "rules_docs.sh: python3 is needed" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-ruledocs.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

mkdir -p "$work/docs" && "$pgsafe" rules --format docs "$work/docs" 2>"$work/docs.err"
echo $? >"$work/docs.rc"
"$pgsafe" rules --format markdown >"$work/table.md" 2>"$work/table.err"
echo $? >"$work/table.rc"
"$pgsafe" rules --format json >"$work/rules.json" 2>"$work/rules.err"
echo $? >"$work/rules.rc"

exec python3 - "$pgsafe" "$root" "$work" <<'EOF'
import json, os, re, subprocess, sys

pgsafe, root, work = sys.argv[1:4]
passed = failed = 0

def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (what, (": " + detail) if detail else ""))

def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()

# --- the file lists -----------------------------------------------------
files = sorted(f[:-2] for f in os.listdir(os.path.join(root, "rules")) if f.endswith(".c"))
listed = re.findall(r"^RULE\((\w+)\)$", read(os.path.join(root, "rules", "rule_list.h")), re.M)
meson = read(os.path.join(root, "meson.build"))
block = meson[meson.index("rule_sources = files("):]
block = block[:block.index(")")]
built = re.findall(r"'rules/(\w+)\.c'", block)
check(sorted(listed) == files, "rules/rule_list.h lists every rules/*.c file",
      "missing %s, extra %s" % (sorted(set(files) - set(listed)), sorted(set(listed) - set(files))))
check(listed == sorted(listed), "rules/rule_list.h is sorted")
check(sorted(built) == files, "meson.build's rule_sources lists every rules/*.c file",
      "missing %s, extra %s" % (sorted(set(files) - set(built)), sorted(set(built) - set(files))))

rc = int(read(os.path.join(work, "rules.rc")))
check(rc == 0, "pgsafe rules --format json exits 0", read(os.path.join(work, "rules.err")))
doc = json.loads(read(os.path.join(work, "rules.json")) or '{"rules": []}')
rules = [r for r in doc["rules"] if not r["plugin"]]
ids = [r["id"] for r in rules]
check(sorted(ids) == sorted(f.replace("_", "-") for f in files),
      "each rules/<name>.c defines rule <name> in kebab-case",
      "ids without a file %s, files without an id %s" % (
          sorted(set(ids) - {f.replace("_", "-") for f in files}),
          sorted({f.replace("_", "-") for f in files} - set(ids))))
check(ids == sorted(ids), "pgsafe rules lists the rules sorted by id")

# --- the generated documentation ----------------------------------------
check(int(read(os.path.join(work, "docs.rc"))) == 0, "pgsafe rules --format docs exits 0",
      read(os.path.join(work, "docs.err")))
want = {f: read(os.path.join(work, "docs", f)) for f in os.listdir(os.path.join(work, "docs"))}
docdir = os.path.join(root, "docs", "rules")
have = {f: read(os.path.join(docdir, f)) for f in os.listdir(docdir)} if os.path.isdir(docdir) else {}
for f in sorted(set(want) | set(have)):
    check(want.get(f) == have.get(f), "docs/rules/%s is what pgsafe generates" % f,
          "missing" if f not in have else "not generated any more" if f not in want else
          "stale: run pgsafe rules --format docs docs/rules")

readme = read(os.path.join(root, "README.md"))
m = re.search(r"<!-- pgsafe-rules:start[^>]*-->\n(.*?)<!-- pgsafe-rules:end -->", readme, re.S)
check(m is not None, "README.md has the pgsafe-rules markers")
if m:
    check(m.group(1) == read(os.path.join(work, "table.md")),
          "README.md's rule table is pgsafe rules --format markdown",
          "stale: replace the lines between the markers with its output")

# --- the examples ---------------------------------------------------------
cfg = os.path.join(work, "examples.yaml")
with open(cfg, "w", encoding="utf-8") as f:
    f.write(doc["example_config"])

def lint(rule, sql):
    d = os.path.join(work, "ex", rule["id"])
    os.makedirs(d, exist_ok=True)
    paths = []
    if rule["example_setup"]:
        paths.append("1_setup.sql")
        with open(os.path.join(d, paths[-1]), "w", encoding="utf-8") as f:
            f.write(rule["example_setup"])
    paths.append("2_example.sql")
    with open(os.path.join(d, paths[-1]), "w", encoding="utf-8") as f:
        f.write(sql)
    r = subprocess.run([pgsafe, "lint", "--format=json", "--config", cfg, "--framework=plain",
                        "--pg-version=%d" % rule["example_pg_version"], "--fail-on=never"] + paths,
                       cwd=d, capture_output=True, text=True)
    try:
        out = json.loads(r.stdout)
    except ValueError:
        return None, "pgsafe exited %d: %s" % (r.returncode, r.stderr.strip())
    return [x for x in out["diagnostics"] if x["file"] == "2_example.sql" and x["rule"] == rule["id"]], None

for r in rules:
    if r["bad_example"]:
        found, err = lint(r, r["bad_example"])
        check(found, "%s: its bad_example produces a %s finding" % (r["id"], r["id"]), err or "none")
    if r["good_example"]:
        found, err = lint(r, r["good_example"])
        check(found == [], "%s: its good_example produces no %s finding" % (r["id"], r["id"]),
              err or "; ".join(x["message"] for x in found or []))
    e = subprocess.run([pgsafe, "explain", r["id"]], capture_output=True, text=True)
    check(e.returncode == 0 and r["summary"] in e.stdout, "%s: pgsafe explain prints it" % r["id"],
          e.stderr.strip())

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed or not passed else 0)
EOF
