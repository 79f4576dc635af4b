#!/usr/bin/env python3
"""
check_formats.py - the output formats for other tools, checked the way
their consumers read them.

    python3 tests/formats/check_formats.py PGSAFE [--root SOURCE_ROOT [--bless-docs]]

One migration directory with awkward names and messages (spaces, ':',
',', '%', a newline, non-ASCII and astral characters in file names;
identifiers with ',', ':', '%', a newline and a control character, which
pgsafe quotes into its messages; a syntax error; an inline ignore; a clean
file) is linted in every format, and each output is held against:

  sarif   the SARIF 2.1.0 JSON Schema, fetched from the npm registry at
          test time (package @microsoft/jest-sarif, which ships the
          schema as lib/schemas/sarif-2.1.0-rtm.5.json: the 2.1.0 schema
          as published, whose definitions are those of OASIS's
          sarif-schema-2.1.0.json), plus what a schema cannot say: rule
          entries for exactly the rules that fired, ruleIndex, regions in
          code points recomputed from the file's bytes, URIs that decode to
          the path, suppressions, helpUri from --docs-base-url;
  github  the runner's command syntax: one command per line, properties
          split on ',' and '=' after unescaping %2C %3A %0A %0D %25;
          annotation limits; the job summary's Markdown table;
  gitlab  the Code Quality fields GitLab documents as required, severity
          names, and fingerprints that survive lines added above;
  rdjson  reviewdog.proto as protojson reads it (no unknown members),
          1-based UTF-8 byte columns with an exclusive end;
  junit   well-formed XML 1.0 (ElementTree), counts, failures per file;
  gcc     file:line:col: severity: message [rule], one line per finding;
  json    LSP ranges in UTF-16 code units after astral characters.

With --root, the examples in docs/formats/*.md must be exactly what pgsafe
prints for the command above each (<!-- generated: pgsafe ... -->);
--bless-docs rewrites them instead of checking.

The severity of every finding must map the same way in every format
(DESIGN.md). Without npm or the registry the SARIF schema check fails
with a message saying so; PGSAFE_SARIF_SCHEMA=/path/to/schema.json uses a
local copy instead.

Prints FAIL lines, then "N passed, M failed"; exit status 1 on a failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:
    system_python = "/usr/bin/python3"
    if (os.path.exists(system_python) and os.path.realpath(sys.executable) !=
            os.path.realpath(system_python) and not os.environ.get("PGSAFE_FORMATS_REEXEC")):
        os.environ["PGSAFE_FORMATS_REEXEC"] = "1"
        os.execv(system_python, [system_python] + sys.argv)
    sys.stderr.write("check_formats.py: the jsonschema module is missing "
                     "(apt-get install python3-jsonschema, or sh tools/setup.sh)\n")
    sys.exit(1)

SARIF_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
SARIF_SCHEMA_IN_PACKAGE = "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"

# DESIGN.md: error / warning / hint -> each format's word
SEVERITY = {
    "error": {"sarif": "error", "github": "error", "gitlab": "critical", "rdjson": "ERROR",
              "gcc": "error", "lsp": 1},
    "warning": {"sarif": "warning", "github": "warning", "gitlab": "major", "rdjson": "WARNING",
                "gcc": "warning", "lsp": 2},
    "hint": {"sarif": "note", "github": "notice", "gitlab": "info", "rdjson": "INFO",
             "gcc": "note", "lsp": 4},
}

passed = 0
failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (what, (": " + detail) if detail else ""))
    return cond


# ---------------------------------------------------------------------------
# The fixture
# ---------------------------------------------------------------------------

# name -> SQL. Names sort in this order (natural order of their numbers).
FILES = {
    "0001 init.sql":
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
    "0002:colon,comma%percent.sql":
        "-- ünïcødé 𝄞\nCREATE INDEX \"idx,with:odd%chars|*\" ON users (email);\n",
    "0003 ünï €𝄞.sql":
        "SELECT '𝄞é'; ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\n",
    "0004\nnewline.sql":
        "CREATE INDEX \"line\nbreak\" ON users (email);\n",
    "0005 ctl.sql":
        "CREATE INDEX \"ctl\x01x\" ON users (email);\n",
    "0006 ignored.sql":
        "SET lock_timeout = '2s';\n"
        "-- pgsafe:ignore require-concurrent-index the table is tiny\n"
        "CREATE INDEX users_email_small ON users (email);\n",
    "0007 ok.sql":
        "SELECT 1;\n",
    "0008 syntax.sql":
        "SELECT 'é'; ALTR TABLE users ADD COLUMN x int;\n"
        "\\echo a psql meta-command\n"
        "-- pgsafe:ignore require-concurrent-index there is no index here\n"
        "SELECT 2;\n",
}
IGNORED = ("0006 ignored.sql", "require-concurrent-index")
# ids of findings that are not rules; the fixture has the first three
NOT_RULES = {"syntax-error", "psql-meta-command", "unused-ignore", "unsupported-syntax",
             "input-empty", "input-unreadable", "input-not-utf8", "input-nul-byte",
             "input-too-large", "unknown-rule-in-ignore", "ignore-without-reason"}


def run(pgsafe, cwd, args, env_extra=None):
    env = dict(os.environ)
    env.pop("GITHUB_STEP_SUMMARY", None)
    env["NO_COLOR"] = "1"
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([pgsafe] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def make_fixture(root, files):
    os.makedirs(os.path.join(root, "db"))
    for name, sql in files.items():
        with open(os.path.join(root, "db", name), "w", encoding="utf-8", newline="") as f:
            f.write(sql)


def file_bytes(root, path):
    with open(os.path.join(root, path), "rb") as f:
        return f.read()


def line_start(data, offset):
    return data.rfind(b"\n", 0, offset) + 1


def code_point_col(data, offset):
    return len(data[line_start(data, offset):offset].decode("utf-8")) + 1


def utf16_col(data, offset):
    return len(data[line_start(data, offset):offset].decode("utf-8").encode("utf-16-le")) // 2


def byte_col(data, offset):
    return offset - line_start(data, offset) + 1


# ---------------------------------------------------------------------------
# json: the reference the other formats are compared with
# ---------------------------------------------------------------------------

def check_json(root, doc):
    diags = doc["diagnostics"]
    check(len(diags) >= 8, "json: the fixture produces findings", str(len(diags)))
    astral = 0
    for d in diags:
        if not d["line"]:
            continue
        data = file_bytes(root, d["file"])
        want16 = utf16_col(data, d["start_byte"])
        check(d["lsp_range"]["start"]["character"] == want16,
              "json: LSP start character in UTF-16 units", "%s:%d: %r != %r" % (
                  d["file"], d["line"], d["lsp_range"]["start"]["character"], want16))
        check(d["lsp_range"]["start"]["line"] == d["line"] - 1, "json: LSP line is 0-based")
        if want16 != d["column"] - 1:
            astral += 1
            check(d["lsp_range"]["start"]["character"] > d["column"] - 1,
                  "json: an astral character counts two UTF-16 units")
    check(astral > 0, "json: some finding comes after an astral character on its line")
    check(not any(d["file"] == "db/" + IGNORED[0] and d["rule"] == IGNORED[1] for d in diags),
          "json: the inline ignore silences its finding (ignore.h)")
    check({"syntax-error", "psql-meta-command", "unused-ignore"} <= {d["rule"] for d in diags},
          "json: the fixture has findings of ids that are not rules")


# ---------------------------------------------------------------------------
# sarif
# ---------------------------------------------------------------------------

def sarif_schema(tmp):
    local = os.environ.get("PGSAFE_SARIF_SCHEMA")
    if local:
        with open(local) as f:
            return json.load(f)
    npm = shutil.which("npm")
    if not npm:
        check(False, "sarif: schema", "npm is not installed (Debian: apt-get install npm; "
              "tools/setup.sh does it), so the SARIF 2.1.0 schema cannot be fetched")
        return None
    where = os.path.join(tmp, "npm")
    os.makedirs(where)
    try:
        p = subprocess.run([npm, "install", "--no-save", "--no-package-lock", "--ignore-scripts",
                            "--no-audit", "--no-fund", "--omit=dev", SARIF_PACKAGE],
                           cwd=where, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=300)
        out = p.stdout.decode("utf-8", "replace")
        ok = p.returncode == 0
    except subprocess.TimeoutExpired:
        ok, out = False, "timed out after 300 s"
    path = os.path.join(where, SARIF_SCHEMA_IN_PACKAGE)
    if not check(ok and os.path.exists(path), "sarif: schema",
                 "cannot fetch the SARIF 2.1.0 schema from the npm registry "
                 "(npm install %s failed: is the registry reachable?)\n%s" % (SARIF_PACKAGE, out[-2000:])):
        return None
    with open(path) as f:
        schema = json.load(f)
    check(schema.get("properties", {}).get("version", {}).get("enum") == ["2.1.0"],
          "sarif: the fetched schema is SARIF 2.1.0's")
    return schema


URI_OK = re.compile(r"^(file://)?([A-Za-z0-9\-._~/]|%[0-9A-F]{2})*$")


def check_sarif(root, log, ref, schema, docs_base=None, ignored=True):
    if schema is not None:
        v = jsonschema.validators.validator_for(schema)(schema)
        errors = sorted(v.iter_errors(log), key=lambda e: list(e.path))
        check(not errors, "sarif: valid against the SARIF 2.1.0 schema",
              "; ".join("%s: %s" % ("/".join(map(str, e.path)), e.message) for e in errors[:5]))
    check(log.get("version") == "2.1.0", "sarif: version 2.1.0")
    runs = log.get("runs", [])
    if not check(len(runs) == 1, "sarif: one run"):
        return
    run_ = runs[0]
    check(run_.get("columnKind") == "unicodeCodePoints", "sarif: the run declares code-point columns")
    driver = run_["tool"]["driver"]
    check(driver["name"] == "pgsafe", "sarif: driver name")
    rules = driver.get("rules", [])
    ids = [r["id"] for r in rules]
    results = run_.get("results", [])
    check(ids == sorted(set(ids)), "sarif: one rule entry per id, sorted")
    check(set(ids) == {r["ruleId"] for r in results},
          "sarif: rule entries for exactly the rules that fired", "%s vs %s" % (
              sorted(ids), sorted({r["ruleId"] for r in results})))
    for r in rules:
        check(r.get("shortDescription", {}).get("text"), "sarif: rule %s has a short description" % r["id"])
        check(r.get("defaultConfiguration", {}).get("level") in ("none", "note", "warning", "error"),
              "sarif: rule %s default level" % r["id"])
        if r["id"] not in NOT_RULES:
            check(r.get("fullDescription", {}).get("text"), "sarif: rule %s has a full description" % r["id"])
        if r["id"] in NOT_RULES:
            first = next((x for x in results if x["ruleId"] == r["id"]), None)
            check(first and r["defaultConfiguration"]["level"] == first["level"],
                  "sarif: %s's level is its findings' level" % r["id"])
        if docs_base:
            check(r.get("helpUri") == docs_base.rstrip("/") + "/" + r["id"],
                  "sarif: helpUri of %s from --docs-base-url" % r["id"], str(r.get("helpUri")))
            check(urllib.parse.urlparse(r.get("helpUri", "")).scheme == "https",
                  "sarif: helpUri is absolute")
        else:
            check("helpUri" not in r, "sarif: no helpUri without --docs-base-url")
    for res in results:
        idx = res.get("ruleIndex")
        check(idx is not None and 0 <= idx < len(rules) and rules[idx]["id"] == res["ruleId"],
              "sarif: ruleIndex points at the result's rule")
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        check(URI_OK.match(uri) is not None, "sarif: URI is percent-encoded", repr(uri))
        check(res.get("partialFingerprints"), "sarif: partial fingerprint")

    shown = [r for r in results if not r.get("suppressions")]
    hidden = [r for r in results if r.get("suppressions")]
    check(len(shown) == len(ref), "sarif: one unsuppressed result per finding", "%d vs %d" % (len(shown), len(ref)))
    for res, d in zip(shown, ref):
        loc = res["locations"][0]["physicalLocation"]
        path = urllib.parse.unquote(loc["artifactLocation"]["uri"])
        check(path == d["file"], "sarif: URI decodes to the path", "%r vs %r" % (path, d["file"]))
        check(res["ruleId"] == d["rule"], "sarif: rule id")
        check(res["level"] == SEVERITY[d["severity"]]["sarif"], "sarif: level of a %s" % d["severity"])
        check(res["message"]["text"] == d["message"], "sarif: message text is the message")
        if not d["line"]:
            check("region" not in loc, "sarif: no region for an input without text")
            continue
        g = loc["region"]
        data = file_bytes(root, d["file"])
        want = (d["line"], code_point_col(data, d["start_byte"]), d["end_line"],
                code_point_col(data, d["end_byte"]))
        got = (g["startLine"], g["startColumn"], g["endLine"], g["endColumn"])
        check(got == want, "sarif: region in code points, end exclusive", "%s: %r vs %r" % (d["file"], got, want))
    check(not ignored or any(r["ruleId"] == IGNORED[1] and
              urllib.parse.unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) ==
              "db/" + IGNORED[0] and r["suppressions"] == [{"kind": "inSource"}] for r in hidden),
          "sarif: the inline-ignored finding is a result with an inSource suppression")
    props = run_.get("properties", {})
    check("statements analyzed" in props.get("coverage", ""), "sarif: the run carries the coverage line")


# ---------------------------------------------------------------------------
# github
# ---------------------------------------------------------------------------

def gh_unescape(s):
    """The runner's decoding: %25 %0D %0A %3A %2C, read left to right."""
    codes = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
    out, i = [], 0
    while i < len(s):
        if s[i] == "%" and s[i:i + 3] in codes:
            out.append(codes[s[i:i + 3]])
            i += 3
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


GH_COMMAND = re.compile(r"^::(error|warning|notice) (.*?)::(.*)$")


def parse_github(text):
    commands, logs = [], []
    for line in text.split("\n")[:-1]:
        m = GH_COMMAND.match(line)
        if not m:
            logs.append(line)
            continue
        props = {}
        for part in m.group(2).split(","):
            k, _, v = part.partition("=")
            props[k] = gh_unescape(v)
        commands.append((m.group(1), props, gh_unescape(m.group(3))))
    return commands, logs


def md_unescape(cell):
    cell = cell.strip().replace("<br>", "\n")
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", cell)


def md_cells(row):
    """A GFM table row split on its unescaped pipes."""
    cells, cur, i = [], [], 0
    while i < len(row):
        if row[i] == "\\" and i + 1 < len(row):
            cur.append(row[i:i + 2])
            i += 2
        elif row[i] == "|":
            cells.append("".join(cur))
            cur = []
            i += 1
        else:
            cur.append(row[i])
            i += 1
    cells.append("".join(cur))
    return cells[1:-1]


def check_github(root, out, ref, summary_text):
    text = out.decode("utf-8")
    commands, logs = parse_github(text)
    check(len(commands) == len(ref), "github: one annotation per finding", "%d vs %d" % (len(commands), len(ref)))
    check(all(l.startswith("pgsafe: ") for l in logs), "github: every other line is a pgsafe log line",
          repr([l for l in logs if not l.startswith("pgsafe: ")][:3]))
    check(any("statements analyzed" in l for l in logs), "github: the coverage line is in the log")
    for (kind, props, msg), d in zip(commands, ref):
        check(kind == SEVERITY[d["severity"]]["github"], "github: %s is ::%s" % (d["severity"], kind))
        check(props.get("file") == d["file"], "github: file property unescapes to the path",
              "%r vs %r" % (props.get("file"), d["file"]))
        check(props.get("title") == "pgsafe " + d["rule"], "github: title names the rule")
        check(msg.split("\nlock: ")[0].split("\nhelp: ")[0] == d["message"],
              "github: message unescapes to the message", "%r vs %r" % (msg[:80], d["message"]))
        if d["line"]:
            check(props.get("line") == str(d["line"]) and props.get("endLine") == str(d["end_line"]),
                  "github: line and endLine")
            if d["line"] == d["end_line"]:
                want_end = max(d["end_column"] - 1, d["column"])
                check(props.get("col") == str(d["column"]) and props.get("endColumn") == str(want_end),
                      "github: col and inclusive endColumn", repr(props))
            else:
                check("col" not in props and "endColumn" not in props,
                      "github: no columns on a multi-line annotation")
        else:
            check("line" not in props, "github: no line for an input without text")

    # the job summary: everything, in a table a GFM renderer splits right
    check(summary_text.startswith("earlier step\n"), "github: the job summary is appended to")
    rows = [l for l in summary_text.split("\n") if l.startswith("| ") and not l.startswith("| Severity")]
    check(len(rows) == len(ref), "github: one summary row per finding", "%d vs %d" % (len(rows), len(ref)))
    for row, d in zip(rows, ref):
        cells = md_cells(row)
        if not check(len(cells) == 4, "github: summary row has 4 cells", repr(row)):
            continue
        want_msg = d["message"] + ("\nhelp: " + d["help"] if d["help"] else "")
        want_msg = re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", want_msg)
        check(md_unescape(cells[3]) == want_msg, "github: summary message cell", repr(cells[3][:80]))
        loc = md_unescape(cells[1])
        want_loc = re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", d["file"])
        if d["line"]:
            want_loc += ":%d:%d" % (d["line"], d["column"])
        check(loc == want_loc.replace("\n", "\n"), "github: summary location cell", "%r vs %r" % (loc, want_loc))
        check(md_unescape(cells[2]) == d["rule"], "github: summary rule cell")


# ---------------------------------------------------------------------------
# gitlab
# ---------------------------------------------------------------------------

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def check_gitlab(issues, ref, stderr):
    if not check(isinstance(issues, list), "gitlab: a bare JSON array"):
        return
    check(len(issues) == len(ref), "gitlab: one issue per finding", "%d vs %d" % (len(issues), len(ref)))
    for it, d in zip(issues, ref):
        ok = (isinstance(it.get("description"), str) and isinstance(it.get("check_name"), str) and
              isinstance(it.get("fingerprint"), str) and it.get("severity") in GITLAB_SEVERITIES and
              isinstance(it.get("location", {}).get("path"), str) and
              isinstance(it["location"].get("lines", {}).get("begin"), int) and
              it["location"]["lines"]["begin"] >= 1)
        check(ok, "gitlab: the fields GitLab requires, with their types", json.dumps(it)[:200])
        check(it.get("severity") == SEVERITY[d["severity"]]["gitlab"], "gitlab: severity of a %s" % d["severity"])
        check(it.get("description") == d["message"], "gitlab: description is the message")
        check(it.get("check_name") == d["rule"], "gitlab: check_name is the rule")
        check(it["location"]["path"] == d["file"], "gitlab: path")
        check(it["location"]["lines"]["begin"] == max(d["line"], 1), "gitlab: begin line")
    fps = [it["fingerprint"] for it in issues]
    check(len(set(fps)) == len(fps), "gitlab: fingerprints are unique")
    check("statements analyzed" in stderr, "gitlab: the coverage line goes to stderr")


def fingerprint_map(issues):
    return {(i["location"]["path"], i["check_name"], i["description"]): i["fingerprint"] for i in issues}


# ---------------------------------------------------------------------------
# rdjson
# ---------------------------------------------------------------------------

# reviewdog.proto's messages, field names as protojson accepts them
RD_FIELDS = {
    "DiagnosticResult": {"diagnostics": ("Diagnostic", True), "source": ("Source", False),
                         "severity": ("Severity", False)},
    "Diagnostic": {"message": ("string", False), "location": ("Location", False),
                   "severity": ("Severity", False), "source": ("Source", False),
                   "code": ("Code", False), "suggestions": ("Suggestion", True),
                   "original_output": ("string", False), "originalOutput": ("string", False),
                   "images": ("Image", True)},
    "Location": {"path": ("string", False), "range": ("Range", False)},
    "Range": {"start": ("Position", False), "end": ("Position", False)},
    "Position": {"line": ("int32", False), "column": ("int32", False)},
    "Suggestion": {"range": ("Range", False), "text": ("string", False)},
    "Source": {"name": ("string", False), "url": ("string", False)},
    "Code": {"value": ("string", False), "url": ("string", False)},
    "Image": {"image_url": ("string", False), "imageUrl": ("string", False),
              "alt": ("string", False), "caption": ("string", False)},
}
RD_SEVERITIES = {"UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"}


def rd_problems(value, kind, path="$"):
    """What protojson.Unmarshal would reject in @value as message @kind."""
    if kind == "string":
        return [] if isinstance(value, str) else ["%s: not a string" % path]
    if kind == "int32":
        ok = isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31
        return [] if ok else ["%s: not an int32" % path]
    if kind == "Severity":
        return [] if value in RD_SEVERITIES else ["%s: unknown severity %r" % (path, value)]
    if not isinstance(value, dict):
        return ["%s: not an object" % path]
    out = []
    for k, v in value.items():
        if k not in RD_FIELDS[kind]:
            out.append("%s.%s: unknown field of %s" % (path, k, kind))
            continue
        sub, repeated = RD_FIELDS[kind][k]
        if repeated:
            if not isinstance(v, list):
                out.append("%s.%s: not a list" % (path, k))
                continue
            for i, item in enumerate(v):
                out += rd_problems(item, sub, "%s.%s[%d]" % (path, k, i))
        else:
            out += rd_problems(v, sub, "%s.%s" % (path, k))
    return out


def check_rdjson(root, doc, ref, stderr, docs_base=None):
    problems = rd_problems(doc, "DiagnosticResult")
    check(not problems, "rdjson: reviewdog.proto fields only (protojson rejects others)", "; ".join(problems[:5]))
    diags = doc.get("diagnostics", [])
    check(len(diags) == len(ref), "rdjson: one diagnostic per finding", "%d vs %d" % (len(diags), len(ref)))
    byte_differs = 0
    for g, d in zip(diags, ref):
        check(g["severity"] == SEVERITY[d["severity"]]["rdjson"], "rdjson: severity of a %s" % d["severity"])
        check(g["code"]["value"] == d["rule"], "rdjson: code.value is the rule")
        if docs_base:
            check(g["code"].get("url") == docs_base.rstrip("/") + "/" + d["rule"], "rdjson: code.url")
        check(g["message"].split("\nhelp: ")[0] == d["message"], "rdjson: message")
        check(g["location"]["path"] == d["file"], "rdjson: path")
        if not d["line"]:
            check("range" not in g["location"], "rdjson: no range for an input without text")
            continue
        data = file_bytes(root, d["file"])
        rng = g["location"]["range"]
        want = (d["line"], byte_col(data, d["start_byte"]), d["end_line"], byte_col(data, d["end_byte"]))
        got = (rng["start"]["line"], rng["start"]["column"], rng["end"]["line"], rng["end"]["column"])
        check(got == want, "rdjson: 1-based UTF-8 byte columns, end exclusive", "%r vs %r" % (got, want))
        if want[1] != d["column"]:
            byte_differs += 1
    check(byte_differs > 0, "rdjson: some finding's byte column differs from its character column")
    check("statements analyzed" in stderr, "rdjson: the coverage line goes to stderr")


# ---------------------------------------------------------------------------
# junit
# ---------------------------------------------------------------------------

def xml_visible(s):
    """What report_junit.c makes of characters XML 1.0 cannot carry."""
    s = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: "\\u%04X" % ord(m.group(0)), s)
    return s.replace("\ufffe", "\\uFFFE").replace("\uffff", "\\uFFFF")


def check_junit(out, ref, inputs):
    try:
        root = ET.fromstring(out)
    except ET.ParseError as e:
        check(False, "junit: well-formed XML", str(e))
        return
    check(root.tag == "testsuites", "junit: root is <testsuites>")
    suites = root.findall("testsuite")
    if not check(len(suites) == 1, "junit: one testsuite"):
        return
    s = suites[0]
    cases = s.findall("testcase")
    check([c.get("name") for c in cases] == inputs, "junit: one test case per input file, in order",
          "%r vs %r" % ([c.get("name") for c in cases], inputs))
    failing = [c for c in cases if c.findall("failure")]
    check(s.get("tests") == str(len(cases)) and root.get("tests") == str(len(cases)), "junit: tests count")
    check(s.get("failures") == str(len(failing)) and root.get("failures") == str(len(failing)),
          "junit: failures count failed test cases")
    check(s.get("errors") == "0", "junit: errors count")
    for c in cases:
        want = [(d["rule"], xml_visible(d["message"])) for d in ref if d["file"] == c.get("name")]
        got = [(f.get("type"), f.get("message")) for f in c.findall("failure")]
        check(got == want, "junit: a failure per finding of %r" % c.get("name"), "%r vs %r" % (got[:2], want[:2]))
        for f, d in zip(c.findall("failure"), [d for d in ref if d["file"] == c.get("name")]):
            check(xml_visible(d["message"]) in (f.text or ""), "junit: failure text holds the message")
    so = s.find("system-out")
    check(so is not None and "statements analyzed" in (so.text or ""), "junit: coverage line in system-out")


# ---------------------------------------------------------------------------
# gcc
# ---------------------------------------------------------------------------

GCC_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<sev>error|warning|note): "
                      r"(?P<msg>.*) \[(?P<rule>[^\]]+)\]$")


def gcc_escape(s):
    s = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: "\\x%02X" % ord(m.group(0)), s)


def check_gcc(out, ref):
    lines = out.decode("utf-8").split("\n")
    check(lines[-1] == "", "gcc: ends with a newline")
    lines = lines[:-1]
    check(len(lines) == len(ref) + 1, "gcc: one line per finding, then the coverage line",
          "%d vs %d" % (len(lines), len(ref) + 1))
    check(lines and lines[-1].startswith("pgsafe: ") and "statements analyzed" in lines[-1],
          "gcc: the coverage line comes last")
    for line, d in zip(lines, ref):
        m = GCC_LINE.match(line)
        if not check(m is not None, "gcc: file:line:col: severity: message [rule]", repr(line)):
            continue
        check(line.startswith(gcc_escape(d["file"]) + (":%d:%d: " % (d["line"], d["column"]) if d["line"] else ": ")),
              "gcc: location", repr(line[:60]))
        check(m.group("sev") == SEVERITY[d["severity"]]["gcc"], "gcc: severity of a %s" % d["severity"])
        check(m.group("rule") == d["rule"], "gcc: rule")
        check(line.endswith(": %s: %s [%s]" % (m.group("sev"), gcc_escape(d["message"]), d["rule"])),
              "gcc: message, control characters escaped")


# ---------------------------------------------------------------------------
# negative self-test: the checks above reject broken documents
# ---------------------------------------------------------------------------

def self_test(sarif_log, schema, rd_doc):
    import copy
    if schema is not None:
        v = jsonschema.validators.validator_for(schema)(schema)
        for what, mutate in (
                ("a level SARIF does not define", lambda d: d["runs"][0]["results"][0].update(level="fatal")),
                ("a region starting at line 0", lambda d: d["runs"][0]["results"][0]["locations"][0]
                 ["physicalLocation"]["region"].update(startLine=0)),
                ("no version", lambda d: d.pop("version")),
                ("an unknown columnKind", lambda d: d["runs"][0].update(columnKind="bytes"))):
            bad = copy.deepcopy(sarif_log)
            mutate(bad)
            check(any(True for _ in v.iter_errors(bad)), "self-test: the SARIF schema rejects %s" % what)
    bad = copy.deepcopy(rd_doc)
    bad["diagnostics"][0]["location"]["range"]["start"]["col"] = 1
    check(rd_problems(bad, "DiagnosticResult"), "self-test: an unknown rdjson field is caught")
    bad = copy.deepcopy(rd_doc)
    bad["diagnostics"][0]["severity"] = "CRITICAL"
    check(rd_problems(bad, "DiagnosticResult"), "self-test: an unknown rdjson severity is caught")
    cmds, logs = parse_github("::error file=a.sql,line=1::two\nlines\n")
    check(len(cmds) == 1 and logs == ["lines"], "self-test: an unescaped line break splits a command")
    check(gh_unescape("a%250A%2C%0A") == "a%0A,\n", "self-test: GitHub unescaping reads left to right")
    check(len(md_cells("| a | b\\|c | d | e |")) == 4 and len(md_cells("| a | b|c | d | e |")) == 5,
          "self-test: an unescaped pipe adds a table cell")


# ---------------------------------------------------------------------------
# docs/formats/*.md: the examples are pgsafe's output
# ---------------------------------------------------------------------------

EXAMPLE = re.compile(r"<!-- generated(?: \((?P<env>[A-Z_]+)\))?: (?P<cmd>[^\n]*?) -->\n"
                     r"```(?P<lang>[a-z]*)\n(?P<body>.*?)(?<=\n)```(?=\n|$)", re.S)


def check_docs(pgsafe, src, bless):
    """Runs each example's command in docs/formats and compares (or rewrites) its output."""
    where = os.path.join(src, "docs", "formats")
    pages = sorted(f for f in os.listdir(where) if f.endswith(".md"))
    seen = 0
    for page in pages:
        path = os.path.join(where, page)
        with open(path, encoding="utf-8") as f:
            text = f.read()

        def one(m):
            nonlocal seen
            seen += 1
            args = m.group("cmd").split()
            if args[0] != "pgsafe":
                check(False, "docs/formats/%s: example command starts with pgsafe" % page, m.group("cmd"))
                return m.group(0)
            extra = {}
            summary = None
            if m.group("env") == "GITHUB_STEP_SUMMARY":
                fd, summary = tempfile.mkstemp(prefix="pgsafe-summary-")
                os.close(fd)
                extra["GITHUB_STEP_SUMMARY"] = summary
            rc, out, err = run(pgsafe, where, args[1:], extra)
            if summary:
                with open(summary, encoding="utf-8") as f:
                    got = f.read()
                os.unlink(summary)
            else:
                got = out.decode("utf-8")
            if not bless:
                check(got == m.group("body"), "docs/formats/%s: the example of '%s' is pgsafe's output"
                      % (page, m.group("cmd")), "regenerate with check_formats.py PGSAFE --root SRC --bless-docs")
            return m.group(0)[:m.start("body") - m.start(0)] + got + "```"

        new = EXAMPLE.sub(one, text)
        if bless and new != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            print("rewrote", path)
    check(seen >= 7, "docs/formats: every format page has a generated example", str(seen))


def main():
    args = sys.argv[1:]
    if not args:
        sys.stderr.write(__doc__)
        return 2
    pgsafe = os.path.abspath(args[0])
    src = args[args.index("--root") + 1] if "--root" in args else None
    if "--bless-docs" in args:
        if not src:
            sys.stderr.write("check_formats.py: --bless-docs needs --root SOURCE_ROOT\n")
            return 2
        check_docs(pgsafe, src, True)
        return 0
    if src:
        check_docs(pgsafe, src, False)
    tmp = tempfile.mkdtemp(prefix="pgsafe-formats-")
    try:
        work = os.path.join(tmp, "work")
        make_fixture(work, FILES)
        inputs = ["db/" + n for n in sorted(FILES, key=lambda n: n[:4])]

        rc, out, err = run(pgsafe, work, ["--format", "json", "db"])
        check(rc == 1, "json: exit status 1 on findings", "%d %s" % (rc, err))
        doc = json.loads(out)
        ref = doc["diagnostics"]
        check_json(work, doc)

        schema = sarif_schema(tmp)
        for base in (None, "https://example.com/pgsafe/rules/"):
            extra = ["--docs-base-url", base] if base else []
            rc, out, err = run(pgsafe, work, ["--format", "sarif"] + extra + ["db"])
            check(rc == 1, "sarif: exit status", err)
            sarif_log = json.loads(out)
            check_sarif(work, sarif_log, ref, schema, base)
        rc, out, err = run(pgsafe, work, ["--format", "sarif", "--docs-base-url", "rules/", "db"])
        check(rc == 2 and "absolute" in err, "sarif: a relative --docs-base-url is a usage error", err)

        summary = os.path.join(tmp, "step_summary.md")
        with open(summary, "w") as f:
            f.write("earlier step\n")
        rc, out, err = run(pgsafe, work, ["--format", "github", "db"], {"GITHUB_STEP_SUMMARY": summary})
        with open(summary, encoding="utf-8") as f:
            check_github(work, out, ref, f.read())

        rc, out, err = run(pgsafe, work, ["--format", "gitlab", "db"])
        issues = json.loads(out)
        check_gitlab(issues, ref, err)
        # fingerprints: lines added above and re-indentation keep them, an edit changes them
        moved = {n: "-- a comment added above\n\n\n" + s.replace(" ON ", "  ON\n\t") for n, s in FILES.items()}
        moved["0003 ünï €𝄞.sql"] = moved["0003 ünï €𝄞.sql"].replace("token uuid", "token2 uuid")
        work2 = os.path.join(tmp, "work2")
        make_fixture(work2, moved)
        rc, out2, err = run(pgsafe, work2, ["--format", "gitlab", "db"])
        before, after = fingerprint_map(issues), fingerprint_map(json.loads(out2))
        same = [k for k in before if k in after and not k[0].startswith("db/0003")]
        check(len(same) >= 5 and all(before[k] == after[k] for k in same),
              "gitlab: fingerprints survive lines added above and re-indentation",
              "%d kept, %d differ" % (len(same), sum(before[k] != after[k] for k in same)))
        changed = [k for k in before if k[0].startswith("db/0003") and "gen_random_uuid" in k[2]]
        changed_fp = {before[k] for k in changed}
        check(changed and not changed_fp & set(after.values()),
              "gitlab: editing the statement changes its fingerprint")

        for base in (None, "https://example.com/pgsafe/rules"):
            extra = ["--docs-base-url", base] if base else []
            rc, out, err = run(pgsafe, work, ["--format", "rdjson"] + extra + ["db"])
            rd_doc = json.loads(out)
            check_rdjson(work, rd_doc, ref, err, base)
        self_test(sarif_log, schema, rd_doc)

        rc, out, err = run(pgsafe, work, ["--format", "junit", "db"])
        check_junit(out, ref, inputs)

        rc, out, err = run(pgsafe, work, ["--format", "gcc", "db"])
        check_gcc(out, ref)

        # an input with no text: no position anywhere, exit status 3
        empty = os.path.join(tmp, "empty")
        make_fixture(empty, {"0001 empty.sql": ""})
        rc, out, err = run(pgsafe, empty, ["--format", "json", "db"])
        eref = json.loads(out)["diagnostics"]
        check(rc == 3 and len(eref) == 1 and eref[0]["line"] == 0, "input-empty: exit 3, no line")
        rc, out, err = run(pgsafe, empty, ["--format", "sarif", "db"])
        check_sarif(empty, json.loads(out), eref, schema, ignored=False)
        rc, out, err = run(pgsafe, empty, ["--format", "gcc", "db"])
        check_gcc(out, eref)
        rc, out, err = run(pgsafe, empty, ["--format", "rdjson", "db"])
        g = json.loads(out)["diagnostics"]
        check(len(g) == 1 and "range" not in g[0]["location"], "rdjson: no range for an input without text")
        rc, out, err = run(pgsafe, empty, ["--format", "gitlab", "db"])
        check(json.loads(out)[0]["location"]["lines"]["begin"] == 1, "gitlab: an input without text is on line 1")
        rc, out, err = run(pgsafe, empty, ["--format", "junit", "db"])
        check_junit(out, eref, ["db/0001 empty.sql"])

        # GitHub's annotation limit: more than 10 errors says where the rest are
        many = os.path.join(tmp, "many")
        make_fixture(many, {"0001 many.sql": "".join(
            "CREATE INDEX i%d ON t (c%d);\n" % (i, i) for i in range(12))})
        rc, out, err = run(pgsafe, many, ["--format", "github", "db"])
        text = out.decode()
        check(text.count("::error ") == 12 and "at most 10 annotations" in text,
              "github: all 12 errors annotated, and the 10-per-type limit is pointed out")

        # GitHub drops a step summary over 1 MiB: rows stop short of it, and say so
        huge = os.path.join(tmp, "huge")
        make_fixture(huge, {"0001 huge.sql": "".join(
            "CREATE INDEX index_number_%d ON table_number_%d (c);\n" % (i, i) for i in range(6000))})
        summary = os.path.join(tmp, "huge_summary.md")
        rc, out, err = run(pgsafe, huge, ["--format", "github", "db"], {"GITHUB_STEP_SUMMARY": summary})
        size = os.path.getsize(summary)
        with open(summary, encoding="utf-8") as f:
            tail = f.read()[-2000:]
        m = re.search(r"(\d+) more findings did not fit in the job summary", tail)
        rows = sum(1 for l in open(summary, encoding="utf-8") if l.startswith("| ") and "Severity" not in l)
        annotations = out.decode().count("\n::")  + out.decode().startswith("::")
        check(size < 1024 * 1024 and m and rows + int(m.group(1)) == annotations,
              "github: a huge job summary stays under 1 MiB and counts what it left out",
              "%d bytes, %d rows, %s left out, %d annotations" % (size, rows, m and m.group(1), annotations))

        # a file name that is not UTF-8 (a file system allows any bytes)
        odd = os.path.join(tmp, "odd")
        os.makedirs(os.path.join(odd, "db"))
        with open(os.path.join(os.fsencode(odd), b"db", b"0001 bad\xff.sql"), "w") as f:
            f.write("CREATE INDEX i ON t (c);\n")
        for fmt in ("gitlab", "rdjson"):
            rc, out, err = run(pgsafe, odd, ["--format", fmt, "db"])
            try:
                text = json.dumps(json.loads(out))
                ok = "\\ufffd" in text
            except ValueError:
                ok = False
            check(rc == 1 and ok, "%s: a non-UTF-8 file name becomes U+FFFD in valid JSON" % fmt, err)
        rc, out, err = run(pgsafe, odd, ["--format", "sarif", "db"])
        try:
            uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for r in json.loads(out)["runs"][0]["results"]]
        except ValueError:
            uris = []
        check(rc == 1 and uris and all(u == "db/0001%20bad%FF.sql" for u in uris),
              "sarif: a non-UTF-8 file name is percent-encoded byte by byte", repr(uris))
        rc, out, err = run(pgsafe, odd, ["--format", "junit", "db"])
        try:
            ET.fromstring(out)
            ok = True
        except ET.ParseError:
            ok = False
        check(ok, "junit: a non-UTF-8 file name still gives well-formed XML")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
