#!/usr/bin/env python3
"""
validate.py - checks pgsafe's JSON output against schemas/lint.schema.json.

    python3 tests/schema/validate.py PGSAFE [--root SOURCE_ROOT]

The schema pins down the shape of `pgsafe lint --format json`; this script
feeds it real documents and adds the checks a schema cannot express:

  1. every golden lint output under testdata/ (NAME.json beside NAME.sql,
     but not NAME.plan.json);
  2. pgsafe's live output on every testdata/**/*.sql case, run the way
     tests/golden.c runs it (in the case's directory, options from the
     "-- pgsafe-test:" line, NO_COLOR, stdin from /dev/null);
  3. live output on inline inputs that are easy to get wrong: non-ASCII
     text, astral characters, CRLF, syntax errors, empty and unreadable
     inputs, standard input, directories;
  4. the complete example documents in docs/*.md;
  5. a negative self-test: mutated documents that must be rejected, so
     that a check that silently accepts everything cannot pass.

Cross-field invariants: spans do not run backwards (end >= start, both in
line:column and in bytes); the LSP range is on line - 1; messages and
help are one line; lock "blocks"
agrees with the mode; diagnostics are in the documented order; each
relation is locked once per statement (locks and other_locks together),
and whatever a statement rewrites or scans it also locks; the summary counts what the arrays hold; the exit
status agrees with the summary. When the input's bytes are at hand, every diagnostic position is
recomputed from its byte offsets (code-point columns, UTF-16 characters)
and every statement span must lie inside the file.

Prints FAIL lines, then "N passed, M failed". Exit status 1 when anything
failed (or nothing ran). Needs the jsonschema module (Debian:
python3-jsonschema, installed by tools/setup.sh).
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    # A developer's python3 (pyenv, venv) may lack the module that Debian's
    # python3 has: retry once with the system interpreter.
    system_python = "/usr/bin/python3"
    if (os.path.exists(system_python) and os.path.realpath(sys.executable) !=
            os.path.realpath(system_python) and not os.environ.get("PGSAFE_VALIDATE_REEXEC")):
        os.environ["PGSAFE_VALIDATE_REEXEC"] = "1"
        os.execv(system_python, [system_python] + sys.argv)
    sys.stderr.write("validate.py: the jsonschema module is missing "
                     "(apt-get install python3-jsonschema, or sh tools/setup.sh)\n")
    sys.exit(1)

INPUT_PROBLEMS = {"input-unreadable", "input-not-utf8", "input-nul-byte",
                  "input-empty", "input-too-large"}

# What each lock mode blocks, from PostgreSQL's conflict table (SELECT takes
# ACCESS SHARE, INSERT/UPDATE/DELETE take ROW EXCLUSIVE).
BLOCKS = {
    "AccessShareLock": "only conflicting schema changes",
    "RowShareLock": "only conflicting schema changes",
    "RowExclusiveLock": "only conflicting schema changes",
    "ShareUpdateExclusiveLock": "other schema changes, VACUUM and index builds",
    "ShareLock": "writes",
    "ShareRowExclusiveLock": "writes",
    "ExclusiveLock": "writes",
    "AccessExclusiveLock": "reads and writes",
}

# Known pgsafe bugs, reported as KNOWN instead of FAIL so the suite stays
# usable until they are fixed; empty an entry when its fix is committed
# (the mismatch then fails the suite if the fix is incomplete).
#   KNOWN_POSITION_BUGS: rule ids whose positions disagree with their bytes.
#   KNOWN_TXN_ID_REUSE: two autocommit statements share a txn.id.
#   KNOWN_MULTILINE_MESSAGE: rule ids whose message may hold a line break.
# Fixed in 1f12013: input-nul-byte / input-not-utf8 byte offsets and LSP
# characters, a txn.id shared by a block and the statement after COMMIT,
# syntax-error messages quoting a token with a line break.
# Fixed in 36dc070: autocommit statements that shared an id with the next
# one (statements not modeled, transaction statements outside a block).
KNOWN_POSITION_BUGS = set()
KNOWN_TXN_ID_REUSE = False
KNOWN_MULTILINE_MESSAGE = set()


def known_category(message):
    if "txn.id" in message:
        return "KNOWN_TXN_ID_REUSE"
    if "line break" in message:
        return "KNOWN_MULTILINE_MESSAGE"
    return "KNOWN_POSITION_BUGS"


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.known = 0
        self.known_seen = set()

    def result(self, name, errors, known=()):
        for k in known:
            print("KNOWN %s: %s" % (name, k))
            self.known += 1
            self.known_seen.add(known_category(k))
        if errors:
            self.failed += 1
            print("FAIL %s" % name)
            for e in errors[:12]:
                print("    " + e)
            if len(errors) > 12:
                print("    ... %d more" % (len(errors) - 12))
        else:
            self.passed += 1


# ---------------------------------------------------------------------
# Positions
# ---------------------------------------------------------------------

def position(data, offset, lenient=False):
    """
    (line, column, utf16) of byte @offset in @data, as pgsafe counts.
    Raises UnicodeDecodeError when the offset splits a UTF-8 sequence;
    @lenient counts an invalid byte as one character instead (the end of
    an input-not-utf8 span is just past the bad byte).
    """
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace" if lenient else "strict")
    return line, len(prefix) + 1, len(prefix.encode("utf-16-le")) // 2


def line_lengths(data):
    """Code points per line, without the line end."""
    text = data.decode("utf-8", errors="replace")
    return [len(l.rstrip("\r")) for l in text.split("\n")]


def check_positions(doc, sources):
    """Recomputes positions from the inputs' bytes; returns (errors, known)."""
    errors, known = [], []
    for i, d in enumerate(doc.get("diagnostics", [])):
        data = sources.get(d.get("file"))
        if data is None or d.get("line", 0) == 0:
            continue
        where = "diagnostics[%d] (%s)" % (i, d.get("rule"))
        problems = []
        lenient = d.get("rule") in INPUT_PROBLEMS
        try:
            sl, sc, su = position(data, d["start_byte"], lenient)
            el, ec, eu = position(data, d["end_byte"], lenient)
        except (UnicodeDecodeError, KeyError, TypeError) as e:
            problems.append("byte offsets %s..%s are not on UTF-8 boundaries (%s)" %
                            (d.get("start_byte"), d.get("end_byte"), e))
        else:
            if d["end_byte"] > len(data):
                problems.append("end_byte %d is past the end of the file (%d bytes)" %
                                (d["end_byte"], len(data)))
            got = (d["line"], d["column"], d["lsp_range"]["start"]["character"])
            if got != (sl, sc, su):
                problems.append("start is line %d column %d character %d, but start_byte %d is at "
                                "line %d column %d character %d" % (got + (d["start_byte"], sl, sc, su)))
            got = (d["end_line"], d["end_column"], d["lsp_range"]["end"]["character"])
            if got != (el, ec, eu):
                problems.append("end is line %d column %d character %d, but end_byte %d is at "
                                "line %d column %d character %d" % (got + (d["end_byte"], el, ec, eu)))
        msgs = ["%s: %s" % (where, p) for p in problems]
        if d.get("rule") in KNOWN_POSITION_BUGS:
            known += msgs
        else:
            errors += msgs
    for i, s in enumerate(doc.get("statements", [])):
        data = sources.get(s.get("file"))
        if data is None:
            continue
        lengths = line_lengths(data)
        for key_l, key_c in (("line", "column"), ("end_line", "end_column")):
            l, c = s.get(key_l, 0), s.get(key_c, 0)
            if not 1 <= l <= len(lengths) or not 1 <= c <= lengths[l - 1] + 1:
                errors.append("statements[%d]: %s:%s = %d:%d is outside the file" %
                              (i, key_l, key_c, l, c))
    return errors, known


# ---------------------------------------------------------------------
# Invariants a schema cannot state
# ---------------------------------------------------------------------

def utf8_key(s):
    return s.encode("utf-8") if isinstance(s, str) else b""


def check_invariants(doc):
    """Returns (errors, known): known are mismatches from KNOWN_* bugs."""
    errors, known = [], []
    if not isinstance(doc, dict):
        return ["the document is not an object"], known
    diags = doc.get("diagnostics") or []
    stmts = doc.get("statements") or []
    for i, d in enumerate(diags):
        if not isinstance(d, dict):
            continue
        w = "diagnostics[%d] (%s)" % (i, d.get("rule"))
        try:
            if (d["end_line"], d["end_column"]) < (d["line"], d["column"]):
                errors.append("%s: end %d:%d is before start %d:%d" %
                              (w, d["end_line"], d["end_column"], d["line"], d["column"]))
            if d["end_byte"] < d["start_byte"]:
                errors.append("%s: end_byte %d < start_byte %d" % (w, d["end_byte"], d["start_byte"]))
            r = d["lsp_range"]
            for end, key in ((r["start"], "line"), (r["end"], "end_line")):
                want = max(d[key] - 1, 0)
                if end["line"] != want:
                    errors.append("%s: LSP line %d, expected %s - 1 = %d" % (w, end["line"], key, want))
            if d["line"]:
                # UTF-16 units >= code points; bytes >= code points on one line
                if r["start"]["character"] < d["column"] - 1 or r["end"]["character"] < d["end_column"] - 1:
                    errors.append("%s: LSP character smaller than column - 1" % w)
                if (d["line"] == d["end_line"] and d["rule"] not in KNOWN_POSITION_BUGS and
                        d["end_byte"] - d["start_byte"] < d["end_column"] - d["column"]):
                    errors.append("%s: fewer bytes than code points in the span" % w)
            for key in ("message", "help"):
                if isinstance(d.get(key), str) and ("\n" in d[key] or "\r" in d[key]):
                    msg = "%s: %s contains a line break: %r" % (w, key, d[key][:120])
                    (known if d["rule"] in KNOWN_MULTILINE_MESSAGE else errors).append(msg)
            lock = d.get("lock")
            if isinstance(lock, dict) and BLOCKS.get(lock.get("mode")) not in (None, lock.get("blocks")):
                errors.append("%s: %s blocks %r, not %r" %
                              (w, lock["mode"], BLOCKS[lock["mode"]], lock.get("blocks")))
        except (KeyError, TypeError):
            pass  # the schema reports missing fields
    # Files come in apply order (the order of doc["statements"]; a file with
    # no statement, such as an unreadable one, has no known place), each
    # file's diagnostics together, sorted by line, column, rule, message.
    order = {}
    for st in doc.get("statements") or []:
        if isinstance(st, dict) and isinstance(st.get("file"), str):
            order.setdefault(st["file"], len(order))
    keys = []
    for d in diags:
        try:
            keys.append((d["file"], d["line"], d["column"], utf8_key(d["rule"]),
                         utf8_key(d["message"])))
        except (KeyError, TypeError):
            keys = None
            break
    if keys:
        seen, groups = set(), []
        for k in keys:
            if not groups or groups[-1] != k[0]:
                if k[0] in seen:
                    errors.append("diagnostics of %r are not together" % k[0])
                    break
                seen.add(k[0])
                groups.append(k[0])
        placed = [order[f] for f in groups if f in order]
        if placed != sorted(placed):
            errors.append("diagnostics do not follow the files' apply order")
        for f in groups:
            within = [k[1:] for k in keys if k[0] == f]
            if within != sorted(within):
                errors.append("diagnostics of %r are not sorted by line, column, rule, message" % f)
                break

    last, txn_kinds = {}, {}
    for i, s in enumerate(stmts):
        if not isinstance(s, dict):
            continue
        w = "statements[%d] (%s)" % (i, s.get("kind"))
        try:
            start, end = (s["line"], s["column"]), (s["end_line"], s["end_column"])
            if end <= start:
                errors.append("%s: end %d:%d is not after start %d:%d" % ((w,) + end + start))
            prev = last.get(s["file"])
            if prev and (start <= prev[0] or s["txn"]["id"] < prev[1]):
                errors.append("%s: out of source order, or transaction id went backwards" % w)
            last[s["file"]] = (start, s["txn"]["id"])
            kinds = txn_kinds.setdefault((s["file"], s["txn"]["id"]), [])
            kinds.append(s["txn"]["kind"])
            if len(kinds) > 1 and ("none" in kinds or len(set(kinds)) > 1):
                # an autocommit statement is a transaction of its own, and a
                # block has one kind
                msg = ("%s: txn.id %d is shared by statements of kinds %s" %
                       (w, s["txn"]["id"], ", ".join(kinds)))
                (known if KNOWN_TXN_ID_REUSE and set(kinds) == {"none"} else errors).append(msg)
            fx = s["effects"]
            locked = [l["relation"] for l in fx["locks"] + fx.get("other_locks", [])]
            if len(set(locked)) != len(locked):
                errors.append("%s: a relation appears twice in locks and other_locks" % w)
            for rel in fx["rewrites"] + fx["scans"]:
                if rel not in locked:
                    errors.append("%s: %s is rewritten or scanned but not locked" % (w, rel))
        except (KeyError, TypeError):
            pass

    summ = doc.get("summary")
    if isinstance(summ, dict):
        def count(pred, items):
            return sum(1 for x in items if isinstance(x, dict) and pred(x))
        want = {
            "statements": len(stmts),
            "not_modeled": count(lambda s: (s.get("effects") or {}).get("modeled") is False, stmts),
            "errors": count(lambda d: d.get("severity") == "error", diags),
            "warnings": count(lambda d: d.get("severity") == "warning", diags),
            "hints": count(lambda d: d.get("severity") == "hint", diags),
            "input_errors": count(lambda d: d.get("rule") in INPUT_PROBLEMS, diags),
        }
        for k, v in want.items():
            if summ.get(k) != v:
                errors.append("summary.%s is %r, the document holds %d" % (k, summ.get(k), v))
        files = {x.get("file") for x in diags + stmts if isinstance(x, dict)}
        if isinstance(summ.get("files"), int) and summ["files"] < len(files):
            errors.append("summary.files is %d, but %d files are named" % (summ["files"], len(files)))
        if isinstance(summ.get("files"), int) and summ.get("input_errors", 0) > summ["files"]:
            errors.append("summary.input_errors exceeds summary.files")
    return errors, known


def config_sets_fail_on(cwd):
    """Whether the .pgsafe.yaml that applies in @cwd sets fail_on (docs/configuration.md)."""
    d = os.path.abspath(cwd)
    while True:
        path = os.path.join(d, ".pgsafe.yaml")
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                return re.search(r"^fail_on:", f.read(), re.M) is not None
        if os.path.dirname(d) == d:
            return False
        d = os.path.dirname(d)


def check_exit(doc, code, args, cwd=None):
    """The exit status must follow from the summary (main.c)."""
    s = doc.get("summary") or {}
    if s.get("input_errors"):
        want = {3}
    elif (any(a.startswith("--fail-on") for a in args) or "explain" in args
          or (cwd and config_sets_fail_on(cwd))):
        want = {0, 1}
    else:
        want = {1} if s.get("errors") else {0}
    return [] if code in want else ["exit status %d, expected %s" % (code, sorted(want))]


def schema_errors(validator, doc):
    out = []
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        path = "/".join(str(p) for p in e.absolute_path) or "(root)"
        out.append("schema: %s: %s" % (path, e.message[:300]))
    return out


def check_document(validator, doc, sources=None):
    errors, known = check_invariants(doc)
    errors = schema_errors(validator, doc) + errors
    if sources:
        e, k = check_positions(doc, sources)
        errors += e
        known += k
    return errors, known


# ---------------------------------------------------------------------
# Running pgsafe
# ---------------------------------------------------------------------

def run_pgsafe(pgsafe, args, cwd, stdin=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([pgsafe] + args, cwd=cwd, input=stdin if stdin is not None else b"",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def parse_output(out):
    """Strict JSON: valid UTF-8, no NaN/Infinity, one trailing newline."""
    text = out.decode("utf-8")

    def bad_constant(c):
        raise ValueError("non-standard JSON constant %s" % c)
    doc = json.loads(text, parse_constant=bad_constant)
    if not text.endswith("}\n"):
        raise ValueError("output does not end with }\\n")
    return doc


def case_options(path):
    """The options on a case's "-- pgsafe-test:" line (tests/golden.c)."""
    with open(path, "rb") as f:
        head = f.read(4096).split(b"\n")[:3]
    for line in head:
        line = line.decode("utf-8", errors="replace")
        if line.startswith("-- pgsafe-test:") and not line.startswith("-- pgsafe-test-exit:"):
            return line[len("-- pgsafe-test:"):].split()
    return []


def read_sources(cwd, doc, extra=None):
    """The bytes of every file the document names that exists under @cwd."""
    sources = dict(extra or {})
    for x in (doc.get("diagnostics") or []) + (doc.get("statements") or []):
        name = x.get("file") if isinstance(x, dict) else None
        if not isinstance(name, str) or name in sources:
            continue
        path = os.path.join(cwd, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                sources[name] = f.read()
    return sources


def live_case(t, validator, pgsafe, name, cwd, args, stdin=None, stdin_name=None, extra=None):
    """Runs pgsafe, validates its output; returns the document or None."""
    code, out, err = run_pgsafe(pgsafe, ["lint", "--format=json"] + args
                                if args[:1] != ["explain"] else args + ["--format=json"],
                                cwd, stdin)
    if code >= 64 or code < 0:
        t.result(name, ["pgsafe exited with %d: %s" % (code, err.decode("utf-8", "replace")[:300])])
        return None
    try:
        doc = parse_output(out)
    except ValueError as e:
        t.result(name, ["output is not valid JSON: %s" % e])
        return None
    stdin_sources = {stdin_name: stdin} if stdin is not None and stdin_name else {}
    errors, known = check_document(validator, doc, read_sources(cwd, doc, stdin_sources))
    errors += check_exit(doc, code, args, cwd)
    if extra:
        errors += extra(doc)
    t.result(name, errors, known)
    return doc


# ---------------------------------------------------------------------
# Inline cases
# ---------------------------------------------------------------------

NONASCII = ("-- naïve café migration ✓\n"
            "BEGIN;\n"
            "ALTER TABLE \"café\" ADD COLUMN \"naïve😀\" uuid DEFAULT gen_random_uuid();\n"
            "\tCREATE INDEX \"idx_ü\" ON \"café\" (\"naïve😀\"); -- 𝄞 e\u0301\n"
            "COMMIT;\n").encode("utf-8")

SYNTAX = (b"CREATE INDEX i ON t (a);\n"
          b"ALTER TABLE t ADD COLUMNN x int;\n"
          b"CREATE INDEX j ON t (b);\n")

MULTILINE = ("ALTER TABLE accounts\r\n"
             "  ADD COLUMN token uuid\r\n"
             "    DEFAULT gen_random_uuid(),\r\n"
             "  ADD COLUMN \"ñ\" int;\r\n"
             "CREATE INDEX ON accounts (token)").encode("utf-8")


def expect(pred, message):
    return lambda doc: [] if pred(doc) else [message]


def inline_cases(t, validator, pgsafe, tmp):
    def write(name, data):
        path = os.path.join(tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    write("nonascii.sql", NONASCII)
    write("syntax.sql", SYNTAX)
    write("multiline_crlf.sql", MULTILINE)
    write("empty.sql", b"")
    write("blank.sql", b"  \n\t\n")
    write("syntax_astral.sql", "ALTER TABLE \"📦é\" ADD COLUMNN 📦 int;\nSELECT '📦 abc\n".encode("utf-8"))
    write("nul.sql", b"SELECT 1;\0\n")
    write("not_utf8.sql", "-- 😀😀 é".encode("utf-8") + b"\xff\n")
    write("newer.sql", b"ALTER TABLE t ALTER COLUMN a SET EXPRESSION AS (a + 1);\nSELECT 1;\n")
    write("blocks.sql", b"SELECT 1;\nBEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;\n"
          b"CREATE INDEX CONCURRENTLY i ON t (a);\nSTART TRANSACTION;\nLOCK TABLE t;\nROLLBACK;\n")
    write("if_exists.sql", b"DROP TABLE IF EXISTS gone;\nDROP INDEX IF EXISTS gone_idx;\n"
          b"CREATE SEQUENCE s;\nALTER SEQUENCE s RESTART;\nCREATE TABLE t (a int);\n"
          b"ALTER TABLE t ADD COLUMN b int;\nDROP TABLE IF EXISTS t;\n")
    write("meta.sql", b"\\set ON_ERROR_STOP on\nCREATE INDEX CONCURRENTLY i ON t (a);\n")
    write("dir/10_later.sql", b"ALTER TABLE t ADD COLUMN b uuid DEFAULT gen_random_uuid();\n")
    write("dir/2_first.sql", b"CREATE TABLE t (a int);\n"
          b"ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();\n")

    def blocks_expectation(doc):
        # SELECT; BEGIN; ALTER; COMMIT; CREATE INDEX CONCURRENTLY; START TRANSACTION; LOCK; ROLLBACK
        t = [(x["txn"]["kind"], x["txn"]["id"]) for x in doc["statements"]]
        if len(t) != 8:
            return ["expected 8 statements, got %d" % len(t)]
        errors = []
        if [k for k, _ in t] != ["none"] + ["explicit"] * 3 + ["none"] + ["explicit"] * 3:
            errors.append("BEGIN ... COMMIT and START TRANSACTION ... ROLLBACK must be explicit, "
                          "the other statements none: %r" % t)
        if not (t[1] == t[2] == t[3] and t[5] == t[6] == t[7]) or \
                len({t[0][1], t[1][1], t[4][1], t[5][1]}) != 4:
            errors.append("each block needs one id of its own, distinct from the statement between: %r" % t)
        return errors

    def kinds(doc):
        return [d["rule"] for d in doc.get("diagnostics", [])]

    cases = [
        ("non-ASCII, astral, tab", ["nonascii.sql"], None, None,
         expect(lambda d: any(s["txn"]["kind"] == "explicit" for s in d["statements"]),
                "no statement was inside the explicit transaction")),
        ("syntax error", ["syntax.sql"], None, None,
         expect(lambda d: "syntax-error" in kinds(d) and d["summary"]["not_modeled"] == 1,
                "expected one syntax-error and one statement not modeled")),
        ("syntax errors after astral characters, unterminated string", ["syntax_astral.sql"],
         None, None, expect(lambda d: kinds(d) == ["syntax-error"] * 2, "expected two syntax-errors")),
        ("multi-line, CRLF, no final newline", ["multiline_crlf.sql"], None, None, None),
        ("empty file", ["empty.sql"], None, None,
         expect(lambda d: kinds(d) == ["input-empty"], "expected input-empty")),
        ("blank file", ["blank.sql"], None, None,
         expect(lambda d: kinds(d) == ["input-empty"], "expected input-empty")),
        ("NUL byte", ["nul.sql"], None, None,
         expect(lambda d: kinds(d) == ["input-nul-byte"], "expected input-nul-byte")),
        ("invalid UTF-8 after astral characters", ["not_utf8.sql"], None, None,
         expect(lambda d: kinds(d) == ["input-not-utf8"], "expected input-not-utf8")),
        ("missing file", ["no_such_file.sql"], None, None,
         expect(lambda d: kinds(d) == ["input-unreadable"] and d["diagnostics"][0]["line"] == 0,
                "expected input-unreadable with line 0")),
        ("too large", ["--max-file-size=8", "syntax.sql"], None, None,
         expect(lambda d: kinds(d) == ["input-too-large"], "expected input-too-large")),
        ("newer syntax", ["newer.sql"], None, None,
         expect(lambda d: "unsupported-syntax" in kinds(d), "expected unsupported-syntax")),
        ("BEGIN/COMMIT then autocommit", ["blocks.sql"], None, None, blocks_expectation),
        ("IF EXISTS, indexes, sequences", ["if_exists.sql"], None, None,
         expect(lambda d: [[l["kind"] for l in x["effects"]["other_locks"]] for x in d["statements"]] ==
                [["if-exists"], ["index"], [], ["sequence"], [], [], []],
                "other_locks kinds are not if-exists, index, -, sequence, -, -, -")),
        ("psql meta-command", ["meta.sql"], None, None,
         expect(lambda d: "psql-meta-command" in kinds(d), "expected psql-meta-command")),
        ("directory in natural order", ["dir"], None, None,
         expect(lambda d: [s["file"] for s in d["statements"]] ==
                ["dir/2_first.sql", "dir/2_first.sql", "dir/10_later.sql"],
                "files not in natural order")),
        ("stdin with --stdin-filename", ["--stdin-filename=db/migrate/0001_ünï.sql", "-"],
         NONASCII, "db/migrate/0001_ünï.sql",
         expect(lambda d: d["statements"] and d["statements"][0]["file"] == "db/migrate/0001_ünï.sql",
                "--stdin-filename not used")),
        ("stdin without a name", ["-"], SYNTAX, "<stdin>",
         expect(lambda d: d["statements"] and d["statements"][0]["file"] == "<stdin>",
                "standard input not shown as <stdin>")),
        ("empty stdin", ["-"], b"", "<stdin>",
         expect(lambda d: kinds(d) == ["input-empty"], "expected input-empty")),
        ("--assume-in-transaction", ["--assume-in-transaction", "meta.sql"], None, None,
         expect(lambda d: d["statements"][-1]["txn"]["kind"] == "implicit" and
                d["statements"][-1]["effects"]["needs_no_transaction"],
                "expected an implicit transaction")),
        ("--pg-version=10", ["--pg-version=10", "nonascii.sql"], None, None,
         expect(lambda d: d["pg_version"] == 10, "pg_version is not 10")),
        ("--pg-version=17 --fail-on=never", ["--pg-version=17", "--fail-on=never", "syntax.sql"],
         None, None, expect(lambda d: d["pg_version"] == 17, "pg_version is not 17")),
        ("explain --sql", ["explain", "--sql", "ALTER TABLE t ALTER COLUMN a TYPE bigint"],
         None, None, expect(lambda d: d["statements"][0]["file"] == "<sql>", "file is not <sql>")),
        ("several files", ["nonascii.sql", "syntax.sql", "empty.sql", "dir"], None, None, None),
    ]
    docs = {}
    for name, args, stdin, stdin_name, extra in cases:
        docs[name] = live_case(t, validator, pgsafe, "inline: " + name, tmp, args, stdin,
                               stdin_name, extra)
    return docs


# ---------------------------------------------------------------------
# Negative self-test
# ---------------------------------------------------------------------

def first(doc, key, pred=lambda x: True):
    return next(x for x in doc[key] if pred(x))


def mutations():
    """(name, function that damages a copy of a document in place)."""
    def diag(d):
        return first(d, "diagnostics", lambda x: "lock" in x)

    def stmt(d):
        return first(d, "statements", lambda x: x["effects"]["modeled"] and x["effects"]["locks"])

    def setitem(get, key, value):
        def f(d):
            get(d)[key] = value
        return f

    def delitem(get, key):
        def f(d):
            del get(d)[key]
        return f

    return [
        ("unknown top-level field", setitem(lambda d: d, "generated_at", "2024-01-01")),
        ("version 2", setitem(lambda d: d, "version", 2)),
        ("pg_version 9", setitem(lambda d: d, "pg_version", 9)),
        ("pg_version as a string", setitem(lambda d: d, "pg_version", "15")),
        ("severity info", setitem(diag, "severity", "info")),
        ("help missing", delitem(diag, "help")),
        ("help a number", setitem(diag, "help", 1)),
        ("unknown diagnostic field", setitem(diag, "byte_column", 3)),
        ("lock mode in SQL spelling", setitem(lambda d: diag(d)["lock"], "mode", "ACCESS EXCLUSIVE")),
        ("lock blocks disagrees with mode", setitem(lambda d: diag(d)["lock"], "blocks", "writes")),
        ("lock without duration", delitem(lambda d: diag(d)["lock"], "duration")),
        ("LSP line off by one", lambda d: diag(d)["lsp_range"]["start"].__setitem__(
            "line", diag(d)["line"])),
        ("LSP range with an extra key", setitem(lambda d: diag(d)["lsp_range"], "severity", 1)),
        ("end before start", lambda d: diag(d).__setitem__("end_column", diag(d)["column"] - 1)
         or diag(d).__setitem__("end_line", diag(d)["line"])),
        ("start_byte after end_byte", lambda d: diag(d).__setitem__("start_byte",
                                                                    diag(d)["end_byte"] + 1)),
        ("byte offsets shifted by one", lambda d: (diag(d).__setitem__("start_byte",
                                                                       diag(d)["start_byte"] + 1),
                                                   diag(d).__setitem__("end_byte",
                                                                       diag(d)["end_byte"] + 1))),
        ("column 0 on a real line", setitem(diag, "column", 0)),
        ("line 0 for a rule finding", lambda d: diag(d).update(
            line=0, column=0, end_line=0, end_column=0, start_byte=0, end_byte=0,
            lsp_range={"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}})),
        ("message on two lines", lambda d: diag(d).__setitem__("message", "two\nlines")),
        ("rule id in upper case", setitem(diag, "rule", "Add-Column")),
        ("negative byte", setitem(diag, "start_byte", -1)),
        ("statement kind empty", setitem(stmt, "kind", "")),
        ("txn kind changes inside a block", lambda d: d["statements"][2]["txn"].__setitem__(
            "kind", "implicit")),
        ("autocommit statement inside a block", lambda d: d["statements"][0]["txn"].__setitem__(
            "kind", "none")),
        ("txn id 0", lambda d: d["statements"][0]["txn"].__setitem__("id", 0)),
        ("txn kind autocommit", setitem(lambda d: stmt(d)["txn"], "kind", "autocommit")),
        ("modeled false without reason", setitem(lambda d: stmt(d)["effects"], "modeled", False)),
        ("reason while modeled", setitem(lambda d: stmt(d)["effects"], "reason", "x")),
        ("lock mode NoLock", lambda d: stmt(d)["effects"]["locks"].append(
            {"relation": "public.x", "mode": "NoLock"})),
        ("relation locked twice", lambda d: stmt(d)["effects"]["locks"].append(
            dict(stmt(d)["effects"]["locks"][0]))),
        ("rewrite of a relation not locked", lambda d: stmt(d)["effects"]["rewrites"].append(
            "public.ghost")),
        ("index lock listed twice", lambda d: stmt(d)["effects"]["other_locks"].append(
            {"relation": stmt(d)["effects"]["locks"][0]["relation"], "kind": "index",
             "mode": "AccessExclusiveLock"})),
        ("other lock of kind view", lambda d: stmt(d)["effects"]["other_locks"].append(
            {"relation": "public.v", "kind": "view", "mode": "AccessShareLock"})),
        ("other_locks missing", delitem(lambda d: stmt(d)["effects"], "other_locks")),
        ("needs_no_transaction missing", delitem(lambda d: stmt(d)["effects"],
                                                 "needs_no_transaction")),
        ("statement column 0", setitem(stmt, "column", 0)),
        ("summary errors off by one", lambda d: d["summary"].__setitem__(
            "errors", d["summary"]["errors"] + 1)),
        ("summary without hints", delitem(lambda d: d["summary"], "hints")),
        ("summary with an extra count", setitem(lambda d: d["summary"], "suppressed", 0)),
        ("diagnostics out of order", lambda d: d["diagnostics"].reverse()),
    ]


def negative_self_test(t, validator, doc, sources):
    base_errors, _ = check_document(validator, doc, sources)
    if base_errors:
        t.result("negative: the base document is valid", base_errors)
        return
    if len(doc["diagnostics"]) < 2 or not any("lock" in d for d in doc["diagnostics"]):
        t.result("negative: the base document", ["needs two diagnostics, one with a lock"])
        return
    for name, damage in mutations():
        bad = copy.deepcopy(doc)
        try:
            damage(bad)
        except (KeyError, IndexError, StopIteration, TypeError) as e:
            t.result("negative: " + name, ["cannot apply the mutation: %r" % e])
            continue
        if bad == doc:
            t.result("negative: " + name, ["the mutation changed nothing"])
            continue
        errors, _ = check_document(validator, bad, sources)
        t.result("negative: " + name, [] if errors else ["the damaged document was accepted"])


# ---------------------------------------------------------------------

def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = argv[1:]
    if "--root" in args:
        i = args.index("--root")
        root = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.stderr.write("usage: validate.py PGSAFE [--root SOURCE_ROOT]\n")
        return 2
    pgsafe = os.path.abspath(args[0])
    t = Tally()

    schema_path = os.path.join(root, "schemas", "lint.schema.json")
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        t.result("schema is a valid draft 2020-12 schema", [str(e)[:500]])
        print("%d passed, %d failed" % (t.passed, t.failed))
        return 1
    t.result("schema is a valid draft 2020-12 schema", [])
    validator = jsonschema.Draft202012Validator(schema)

    testdata = os.path.join(root, "testdata")
    goldens, cases = [], []
    for dirpath, dirnames, filenames in os.walk(testdata):
        dirnames.sort()
        # plan cases are inputs to `pgsafe plan` (their options are plan's);
        # tests/plan_schema.py checks them against schemas/plan.schema.json
        if os.path.relpath(dirpath, testdata).split(os.sep)[0] == "plan":
            dirnames[:] = []
            continue
        for fn in sorted(filenames):
            if fn.endswith(".sql"):
                cases.append((dirpath, fn))
            elif (fn.endswith(".json") and not fn.endswith(".plan.json") and
                  os.path.exists(os.path.join(dirpath, fn[:-5] + ".sql"))):
                goldens.append((dirpath, fn))

    for dirpath, fn in goldens:
        rel = os.path.relpath(os.path.join(dirpath, fn), root)
        try:
            with open(os.path.join(dirpath, fn), "rb") as f:
                doc = parse_output(f.read())
        except ValueError as e:
            t.result("golden: " + rel, ["not valid JSON: %s" % e])
            continue
        errors, known = check_document(validator, doc, read_sources(dirpath, doc))
        t.result("golden: " + rel, errors, known)

    # complete documents shown in docs/*.md (fragments are skipped)
    docs_dir = os.path.join(root, "docs")
    for fn in sorted(os.listdir(docs_dir)) if os.path.isdir(docs_dir) else []:
        if not fn.endswith(".md"):
            continue
        with open(os.path.join(docs_dir, fn), encoding="utf-8") as f:
            blocks = re.findall(r"```json\n(.*?)\n```", f.read(), re.S)
        for k, block in enumerate(blocks):
            try:
                doc = json.loads(block)
            except ValueError:
                continue
            if isinstance(doc, dict) and "diagnostics" in doc:
                errors, known = check_document(validator, doc)
                t.result("docs: %s, JSON block %d" % (fn, k + 1), errors, known)

    for dirpath, fn in cases:
        rel = os.path.relpath(os.path.join(dirpath, fn), root)
        live_case(t, validator, pgsafe, "live: " + rel, dirpath,
                  case_options(os.path.join(dirpath, fn)) + [fn])

    with tempfile.TemporaryDirectory(prefix="pgsafe-schema-") as tmp:
        docs = inline_cases(t, validator, pgsafe, tmp)
        base = docs.get("non-ASCII, astral, tab")
        if base is None:
            t.result("negative: base document", ["the non-ASCII case produced no document"])
        else:
            with open(os.path.join(tmp, "nonascii.sql"), "rb") as f:
                negative_self_test(t, validator, base, {"nonascii.sql": f.read()})

    if t.known:
        print("%d mismatches from known pgsafe bugs reported as KNOWN (see KNOWN_* above)" % t.known)
    for name in ("KNOWN_POSITION_BUGS", "KNOWN_TXN_ID_REUSE", "KNOWN_MULTILINE_MESSAGE"):
        if globals()[name] and name not in t.known_seen:
            print("note: %s matched nothing in this run: if its fix is committed, empty it" % name)
    print("%d passed, %d failed" % (t.passed, t.failed))
    return 1 if t.failed or not t.passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
