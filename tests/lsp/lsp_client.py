#!/usr/bin/env python3
"""tests/lsp/lsp_client.py - a scripted LSP client for `pgsafe lsp` (suite lsp).

    python3 tests/lsp/lsp_client.py PGSAFE

Runs `PGSAFE lsp` as an editor would and checks, message by message, what
it answers: the initialize capabilities, diagnostics with exact UTF-16
ranges after non-ASCII text (an astral-plane character counts two code
units), hover, code actions applied to the text and re-linted, full and
ranged changes, close, shutdown and exit with their exit statuses, and the
framing's robustness (header case, Content-Type, a miscounted body, invalid
JSON, an oversized message, stray lines, requests before initialize).

Every wait has a timeout and the server is killed at the end, so the test
never hangs. Only the standard library is used. Prints one line per check
and "N passed, M failed"; exits 1 when a check failed.
"""

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 10.0          # seconds to wait for any one message
URI = "file:///tmp/pgsafe-lsp-test/0042%20notes.sql"
URI2 = "file:///tmp/pgsafe-lsp-test/0043_drop.sql"
DOCS = "https://pgsafe.example/rules/"

passed = 0
failed = 0


def check(cond, what, detail=None):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}")
        if detail is not None:
            print(f"      {detail}")
    return cond


# ---------------------------------------------------------------------------
# UTF-16 arithmetic, written independently of the server


def u16(s):
    """Length of s in UTF-16 code units."""
    return len(s.encode("utf-16-le")) // 2


def position_of(text, index):
    """LSP position of the Python string index (code points) in text."""
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return {"line": line, "character": u16(text[start:index])}


def index_of(text, pos):
    """Python string index of an LSP position (exact: no clamping needed here)."""
    lines = text.split("\n")
    idx = sum(len(l) + 1 for l in lines[: pos["line"]])
    line = lines[pos["line"]]
    units = 0
    for k, ch in enumerate(line):
        if units == pos["character"]:
            return idx + k
        units += u16(ch)
    if units == pos["character"]:
        return idx + len(line)
    raise ValueError(f"character {pos['character']} is not on a code point boundary")


def apply_edits(text, edits):
    """Applies TextEdits (non-overlapping) to text."""
    spans = sorted(
        ((index_of(text, e["range"]["start"]), index_of(text, e["range"]["end"]), e["newText"]) for e in edits),
        reverse=True,
    )
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


def rng(text, start, end):
    return {"start": position_of(text, start), "end": position_of(text, end)}


# ---------------------------------------------------------------------------
# The client


class Server:
    def __init__(self, pgsafe, *args):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [pgsafe, "lsp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr
        )
        self.inbox = queue.Queue()
        self.pending = []          # messages read but not yet consumed
        self.next_id = 1
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        out = self.proc.stdout
        try:
            while True:
                headers = {}
                while True:
                    line = out.readline()
                    if not line:
                        self.inbox.put(None)
                        return
                    line = line.rstrip(b"\r\n")
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower()] = value.strip()
                n = int(headers[b"content-length"])
                body = out.read(n)
                self.inbox.put(json.loads(body.decode("utf-8")))
        except Exception as e:  # a framing error from the server is a failure
            self.inbox.put({"reader-error": repr(e)})

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg, header_name=b"Content-Length", extra=b""):
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        self.send_raw(header_name + b": " + str(len(body)).encode() + b"\r\n" + extra + b"\r\n" + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, f"response to {method}")

    def wait(self, pred, what, timeout=TIMEOUT):
        for i, m in enumerate(self.pending):
            if pred(m):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {what} within {timeout}s")
            try:
                m = self.inbox.get(timeout=left)
            except queue.Empty:
                raise TimeoutError(f"no {what} within {timeout}s")
            if m is None:
                raise EOFError(f"server closed its output while waiting for {what}")
            if "reader-error" in m:
                raise RuntimeError(f"bad framing from the server: {m['reader-error']}")
            if pred(m):
                return m
            self.pending.append(m)

    def diagnostics(self, uri, version=None):
        def pred(m):
            return (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and (version is None or m["params"].get("version") == version)
            )
        return self.wait(pred, f"diagnostics for {uri} version {version}")["params"]

    def finish(self, timeout=TIMEOUT):
        """Waits for the process to end; returns its status (None if it had to be killed)."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")


def by_code(diags, code):
    return [d for d in diags if d.get("code") == code]


def lint_json(pgsafe, text):
    """What `pgsafe lint` says about text (for consistency checks)."""
    r = subprocess.run(
        [pgsafe, "lint", "--format", "json", "--fail-on", "never", "--no-config", "-"],
        input=text.encode(), capture_output=True, timeout=30,
    )
    return json.loads(r.stdout)


# ---------------------------------------------------------------------------
# The document: non-ASCII text, astral-plane characters, then findings on the
# same lines, so every column after them must be counted in UTF-16 units.

DOC = (
    "-- Notes: naïve café search 😀\n"
    "SELECT '𝄞😀é' AS x; CREATE INDEX notes_body_idx ON notes (body);\n"
    "SELECT '😀'; ALTER TABLE notes ADD CONSTRAINT body_len CHECK (length(body) < 100);\n"
    "SELECT 1;\n"
)

DOC2 = (
    "DROP INDEX notes_body_idx;\n"
    "ALTER TABLE notes ADD CONSTRAINT notes_author_fk FOREIGN KEY (author_id) REFERENCES authors (id)"
    " ON DELETE CASCADE;\n"
)


def session(pgsafe):
    # no .pgsafe.yaml above /tmp may change what this session sees; config() tests discovery
    s = Server(pgsafe, "--docs-base-url", DOCS, "--max-file-size", "4096", "--no-config")
    try:
        run_session(pgsafe, s)
    except (TimeoutError, EOFError, RuntimeError) as e:
        check(False, "session completed", e)
    status = s.finish()
    check(status == 0, "exit after shutdown: status 0", f"status {status}")
    log = s.log()
    check("pgsafe lsp:" in log and "skipped" in log, "problems with the input are logged to stderr", log[-2000:])


def run_session(pgsafe, s):
    # --- before initialize
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})
    check(r.get("error", {}).get("code") == -32002, "a request before initialize: ServerNotInitialized", r)

    # --- initialize
    r = s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {
        "general": {"positionEncodings": ["utf-16"]}}})
    caps = r.get("result", {}).get("capabilities", {})
    check(caps.get("positionEncoding") == "utf-16", "initialize: positionEncoding utf-16", caps)
    sync = caps.get("textDocumentSync")
    check(sync == 1 or (isinstance(sync, dict) and sync.get("change") == 1 and sync.get("openClose")),
          "initialize: full document sync with open and close", sync)
    check(caps.get("hoverProvider") is True, "initialize: hoverProvider", caps)
    check(bool(caps.get("codeActionProvider")), "initialize: codeActionProvider", caps)
    check(r["result"].get("serverInfo", {}).get("name") == "pgsafe", "initialize: serverInfo", r["result"])
    r = s.request("initialize", {"capabilities": {}})
    check(r.get("error", {}).get("code") == -32600, "a second initialize is refused", r)
    s.notify("initialized", {})

    # --- didOpen: exact UTF-16 ranges
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "sql", "version": 1, "text": DOC}})
    p = s.diagnostics(URI, 1)
    diags = p["diagnostics"]
    lint = lint_json(pgsafe, DOC)
    check(sorted(d["code"] for d in diags) == sorted(d["rule"] for d in lint["diagnostics"]),
          "didOpen: the same findings as pgsafe lint", (diags, lint["diagnostics"]))
    for d in lint["diagnostics"]:
        mine = [x for x in by_code(diags, d["rule"]) if x["range"] == d["lsp_range"]]
        check(len(mine) >= 1, f"didOpen: {d['rule']} at the range pgsafe lint gives", (d["lsp_range"], diags))

    ci = DOC.index("CREATE INDEX")
    ci_end = DOC.index(";", ci)
    want = rng(DOC, ci, ci_end)
    check(want == {"start": {"line": 1, "character": 21}, "end": {"line": 1, "character": 64}},
          "test's own UTF-16 arithmetic (𝄞 and 😀 count 2, é 1)", want)
    idx = by_code(diags, "require-concurrent-index")
    check(len(idx) == 1 and idx[0]["range"] == want,
          "require-concurrent-index: exact UTF-16 range after astral characters", (idx, want))
    if idx:
        d = idx[0]
        check(d["severity"] == 1 and d["source"] == "pgsafe", "severity error = 1, source pgsafe", d)
        check(d.get("codeDescription", {}).get("href") == DOCS + "require-concurrent-index",
              "codeDescription.href from --docs-base-url", d)
        check("CONCURRENTLY" in d["message"] and "blocks writes" in d["message"],
              "message carries the finding and what the lock blocks", d["message"])
    cc = DOC.index("CONSTRAINT body_len")
    chk = by_code(diags, "check-constraint-without-not-valid")
    want_chk = rng(DOC, cc, DOC.index(";", cc))
    check(len(chk) == 1 and chk[0]["range"] == want_chk,
          "check-constraint-without-not-valid: exact UTF-16 range", (chk, want_chk))
    lsp_sev = {"error": 1, "warning": 2, "hint": 4}
    want_sev = sorted((d["rule"], lsp_sev[d["severity"]]) for d in lint["diagnostics"])
    check(sorted((d["code"], d["severity"]) for d in diags) == want_sev
          and any(sev == 2 for _, sev in want_sev),
          "severities: error 1, warning 2, hint 4", (diags, want_sev))

    # --- hover
    mid = position_of(DOC, DOC.index("notes_body_idx"))
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": mid})
    h = r.get("result") or {}
    md = h.get("contents", {}).get("value", "")
    check(h.get("contents", {}).get("kind") == "markdown", "hover: Markdown", h)
    check(h.get("range") == want, "hover: the statement's range", h.get("range"))
    check("`SHARE`" in md and "`public.notes`" in md and "blocks **writes**" in md,
          "hover: the lock, the table and what it blocks", md)
    check("scans" in md and "Transaction:" in md and "autocommit" in md,
          "hover: scan and transaction", md)
    check("require-concurrent-index" in md, "hover: the statement's findings", md)
    # the character just past 𝄞 (2 units) inside the SELECT string: the SELECT
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 10}})
    md = ((r.get("result") or {}).get("contents") or {}).get("value", "")
    check("SelectStmt" in md and "takes no lock on a table" in md, "hover: the SELECT before it", md)
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": mid | {"line": 0}})
    check("result" in r and r["result"] is None, "hover on a comment: null", r)
    pos = position_of(DOC, DOC.index("ALTER TABLE"))
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": pos})
    md = ((r.get("result") or {}).get("contents") or {}).get("value", "")
    check("`ACCESS EXCLUSIVE`" in md and "blocks **reads and writes**" in md,
          "hover: ACCESS EXCLUSIVE blocks reads and writes", md)

    # --- code actions: CONCURRENTLY, applied and re-linted
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": URI}, "range": want,
                                              "context": {"diagnostics": idx}})
    actions = r.get("result") or []
    fix = [a for a in actions if "CONCURRENTLY" in a["title"]]
    ign = [a for a in actions if "pgsafe:ignore" in a["title"] and "require-concurrent-index" in a["title"]]
    check(len(fix) == 1 and fix[0].get("kind") == "quickfix" and fix[0].get("isPreferred"),
          "codeAction: Add CONCURRENTLY, preferred", actions)
    check(len(ign) == 1, "codeAction: an ignore comment", actions)
    check(all("CHECK" not in json.dumps(a.get("diagnostics")) for a in actions),
          "codeAction: only diagnostics in the range", actions)
    text = DOC
    version = 1
    if fix:
        edits = fix[0]["edit"]["changes"][URI]
        check(edits[0]["range"]["start"] == {"line": 1, "character": 33},
              "CONCURRENTLY goes right after INDEX, in UTF-16 units", edits)
        text = apply_edits(text, edits)
        check("CREATE INDEX CONCURRENTLY notes_body_idx" in text, "the edit applies cleanly", text)
        version += 1
        s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                            "contentChanges": [{"text": text}]})
        diags = s.diagnostics(URI, version)["diagnostics"]
        check(not by_code(diags, "require-concurrent-index"), "after the fix: the finding is gone", diags)
        check(len(by_code(diags, "check-constraint-without-not-valid")) == 1,
              "after the fix: the other finding stays", diags)

    # --- NOT VALID
    cc = text.index("CONSTRAINT body_len")
    chk_range = rng(text, cc, text.index(";", cc))
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": URI}, "range": chk_range,
                                              "context": {"diagnostics": []}})
    actions = r.get("result") or []
    fix = [a for a in actions if "NOT VALID" in a["title"]]
    check(len(fix) == 1, "codeAction: Add NOT VALID", actions)
    if fix:
        text = apply_edits(text, fix[0]["edit"]["changes"][URI])
        check("CHECK (length(body) < 100) NOT VALID;" in text, "NOT VALID goes after the constraint", text)
        version += 1
        s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                            "contentChanges": [{"text": text}]})
        diags = s.diagnostics(URI, version)["diagnostics"]
        check(not by_code(diags, "check-constraint-without-not-valid"), "after NOT VALID: the finding is gone",
              diags)

    # --- the ignore comment, on the line above the statement
    mlt = by_code(diags, "missing-lock-timeout")
    if check(len(mlt) >= 1, "a finding left to ignore", diags):
        r = s.request("textDocument/codeAction", {"textDocument": {"uri": URI}, "range": mlt[0]["range"],
                                                  "context": {"diagnostics": mlt[:1]}})
        ign = [a for a in r.get("result") or [] if "missing-lock-timeout" in a["title"]]
        check(len(ign) >= 1, "codeAction: ignore missing-lock-timeout", r)
        if ign:
            e = ign[0]["edit"]["changes"][URI]
            ignored = apply_edits(text, e)
            # the statement shares its line with a SELECT: it moves below the comment
            stmt = text[index_of(text, mlt[0]["range"]["start"]):index_of(text, mlt[0]["range"]["end"])]
            lines = ignored.split("\n")
            at = next((k for k, l in enumerate(lines) if l.startswith(stmt)), None)
            check(at is not None and lines[at - 1].startswith("-- pgsafe:ignore missing-lock-timeout ")
                  and lines[at - 2] == "SELECT '😀';",
                  "the ignore comment goes on its own line right above the statement", (e, ignored))
            # the server must agree with `pgsafe lint` on the edited text
            cli = [d["rule"] for d in lint_json(pgsafe, ignored)["diagnostics"]]
            version += 1
            s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                                "contentChanges": [{"text": ignored}]})
            diags = s.diagnostics(URI, version)["diagnostics"]
            check(sorted(d["code"] for d in diags) == sorted(cli),
                  "with the ignore comment: the same findings as pgsafe lint", (diags, cli))
            check(len(by_code(diags, "missing-lock-timeout")) == len(mlt) - 1,
                  "with the ignore comment: that finding is gone", diags)
            text = ignored

    # --- a ranged change (the server asked for full sync, but copes)
    start = text.index("SELECT 1;")
    version += 1
    s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version}, "contentChanges": [
        {"range": rng(text, start, start + len("SELECT 1;")), "text": "DROP INDEX 😀x;"}]})
    text = text[:start] + "DROP INDEX 😀x;" + text[start + len("SELECT 1;"):]
    diags = s.diagnostics(URI, version)["diagnostics"]
    drop = by_code(diags, "drop-index-without-concurrently")
    check(len(drop) == 1 and drop[0]["range"] == rng(text, start, start + len("DROP INDEX 😀x")),
          "ranged didChange: spliced at UTF-16 positions", (drop, text))

    # --- a second document: DROP INDEX and FOREIGN KEY fixes, then close
    s.notify("textDocument/didOpen", {"textDocument": {"uri": URI2, "languageId": "sql", "version": 7,
                                                       "text": DOC2}})
    diags = s.diagnostics(URI2, 7)["diagnostics"]
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": URI2},
                                              "range": {"start": {"line": 0, "character": 0},
                                                        "end": {"line": 2, "character": 0}},
                                              "context": {"diagnostics": diags}})
    actions = r.get("result") or []
    t2 = DOC2
    for title in ("CONCURRENTLY", "NOT VALID"):
        fix = [a for a in actions if title in a["title"]]
        if check(len(fix) == 1, f"second document: Add {title}", actions):
            t2 = apply_edits(t2, fix[0]["edit"]["changes"][URI2])
    check(t2.startswith("DROP INDEX CONCURRENTLY notes_body_idx;")
          and "REFERENCES authors (id) ON DELETE CASCADE NOT VALID;" in t2,
          "second document: both fixes applied", t2)
    s.notify("textDocument/didSave", {"textDocument": {"uri": URI2}, "text": t2})
    diags = s.diagnostics(URI2)["diagnostics"]
    check(not by_code(diags, "drop-index-without-concurrently")
          and not by_code(diags, "foreign-key-without-not-valid"),
          "didSave with the fixed text: both findings gone", diags)
    s.notify("textDocument/didClose", {"textDocument": {"uri": URI2}})
    p = s.diagnostics(URI2)
    check(p["diagnostics"] == [], "didClose clears the diagnostics", p)
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI2}, "position": {"line": 0, "character": 0}})
    check("result" in r and r["result"] is None, "hover on a closed document: null", r)

    # --- CRLF line ends: same ranges as pgsafe lint, the ignore comment ends in CRLF
    uri3 = "file:///tmp/pgsafe-lsp-test/crlf.sql"
    doc3 = "-- 😀\r\n  CREATE INDEX i3 ON notes (author_id);\r\n"
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri3, "languageId": "sql", "version": 1,
                                                       "text": doc3}})
    diags = s.diagnostics(uri3, 1)["diagnostics"]
    want3 = sorted((d["rule"], json.dumps(d["lsp_range"], sort_keys=True))
                   for d in lint_json(pgsafe, doc3)["diagnostics"])
    check(sorted((d["code"], json.dumps(d["range"], sort_keys=True)) for d in diags) == want3,
          "CRLF document: the ranges pgsafe lint gives", (diags, want3))
    idx = by_code(diags, "require-concurrent-index")
    if check(len(idx) == 1, "CRLF document: require-concurrent-index", diags):
        r = s.request("textDocument/codeAction", {"textDocument": {"uri": uri3}, "range": idx[0]["range"],
                                                  "context": {"diagnostics": idx}})
        ign = [a for a in r.get("result") or [] if "require-concurrent-index" in a["title"]
               and "pgsafe:ignore" in a["title"]]
        e = ign[0]["edit"]["changes"][uri3] if ign else []
        check(len(e) == 1 and e[0]["newText"] == "  -- pgsafe:ignore require-concurrent-index "
              "TODO: why this is safe here\r\n" and e[0]["range"]["start"] == {"line": 1, "character": 0},
              "CRLF document: the ignore comment is indented like the statement and ends in CRLF", e)
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri3}})
    s.diagnostics(uri3)

    # --- robustness of the framing and the dispatcher
    r = s.request("workspace/symbol", {"query": "x"})
    check(r.get("error", {}).get("code") == -32601, "unknown request: MethodNotFound", r)
    s.notify("workspace/didChangeConfiguration", {"settings": {}})
    s.notify("$/cancelRequest", {"id": 99})
    rid = s.next_id
    s.next_id += 1
    s.send({"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": URI}, "position": mid}},
           header_name=b"content-length", extra=b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
    r = s.wait(lambda m: m.get("id") == rid, "response with lower-case header and Content-Type")
    check(r.get("result") is not None, "header names are case-insensitive; Content-Type ignored", r)
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    r = s.wait(lambda m: "error" in m and m.get("id") is None, "parse error")
    check(r["error"]["code"] == -32700, "invalid JSON: ParseError with id null", r)
    # a body whose length was miscounted: its tail runs into the next header
    body = b'{"jsonrpc":"2.0","id":500,"method":"shutdown"}'
    s.send_raw(b"Content-Length: " + str(len(body) - 3).encode() + b"\r\n\r\n" + body)
    r = s.wait(lambda m: "error" in m and m.get("id") is None, "parse error of the miscounted body")
    check(r["error"]["code"] == -32700, "a miscounted body: ParseError", r)
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": mid})
    check(r.get("result") is not None, "a miscounted body: the server resynchronizes at the next header", r)
    s.send_raw(b"this is no header\r\nX-Other: 1\r\n\r\n")
    big = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///big.sql", "languageId": "sql", "version": 1, "text": "x" * 100000}}}).encode()
    s.send_raw(b"Content-Length: " + str(len(big)).encode() + b"\r\n\r\n" + big)
    s.send({"jsonrpc": "2.0", "id": 600, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": "file:///big.sql"}, "position": {"line": 0, "character": 0}}})
    r = s.wait(lambda m: m.get("id") == 600, "response after an oversized message")
    check("result" in r and r["result"] is None, "an oversized message is skipped, the session goes on", r)
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}})
    check(r.get("error", {}).get("code") == -32602, "hover without a position: InvalidParams", r)
    s.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"})
    r = s.wait(lambda m: "error" in m and m.get("id") is None, "invalid id")
    check(r["error"]["code"] == -32600, "an object as id: InvalidRequest", r)
    s.send_raw(b"Content-Length: 2\r\n\r\n[]")
    r = s.wait(lambda m: "error" in m and m.get("id") is None, "array message")
    check(r["error"]["code"] == -32600, "a batch (array): InvalidRequest", r)
    stray = [m for m in s.pending if "error" in m or m.get("id") == 500]
    check(not stray, "no unexpected responses", stray)

    # --- shutdown and exit
    r = s.request("shutdown")
    check("result" in r and r["result"] is None, "shutdown: null result", r)
    r = s.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": mid})
    check(r.get("error", {}).get("code") == -32600, "a request after shutdown: InvalidRequest", r)
    s.notify("exit", None)


def exit_without_shutdown(pgsafe):
    s = Server(pgsafe)
    s.request("initialize", {"capabilities": {}})
    s.notify("exit", None)
    status = s.finish()
    check(status == 1, "exit without shutdown: status 1", status)


def end_of_input(pgsafe):
    s = Server(pgsafe)
    s.send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
    status = s.finish()
    check(status == 1, "input ending inside a message: status 1, no hang", (status, s.log()))
    s = Server(pgsafe)
    s.send_raw(b"Content-Length: 18446744073709551616000\r\n\r\n")
    status = s.finish()
    check(status == 1, "an absurd Content-Length: no hang", (status, s.log()))


def shape_fuzz(pgsafe, messages=600):
    """Seeded random params of every shape for every method: answers, no crash."""
    import random
    rnd = random.Random(20240601)
    keys = ["textDocument", "uri", "text", "version", "position", "line", "character", "range", "start",
            "end", "contentChanges", "context", "only", "diagnostics", "initializationOptions",
            "pgVersion", "docsBaseUrl", "assumeInTransaction"]
    texts = ["CREATE INDEX i ON t (a);\nALTER TABLE t ADD CHECK (a > 0);", "😀𝄞 ; DROP INDEX x, y CASCADE;", "",
             "BEGIN; CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a); COMMIT;", "$$unterminated", "\\set x 1\nSELECT 1",
             "ALTER TABLE t ADD COLUMN x int CHECK (x > 0), ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u;"]

    def value(depth=0):
        c = rnd.randint(0, 9 if depth < 3 else 5)
        if c == 0:
            return None
        if c == 1:
            return rnd.choice([True, False])
        if c == 2:
            return rnd.choice([0, -1, 1, 2**31, 2**63 - 1, -2**63, 1.5, 1e300])
        if c == 3:
            return rnd.choice(["", "file:///x.sql", "file:///%ZZ", "😀", "a" * 1000] + texts)
        if c == 4:
            return [value(depth + 1) for _ in range(rnd.randint(0, 3))]
        if c == 5:
            return {}
        return {rnd.choice(keys): value(depth + 1) for _ in range(rnd.randint(1, 4))}

    def pos():
        return {"line": rnd.randint(0, 3), "character": rnd.randint(0, 80)}

    methods = ["initialize", "initialized", "textDocument/didOpen", "textDocument/didChange",
               "textDocument/didSave", "textDocument/didClose", "textDocument/hover",
               "textDocument/codeAction", "workspace/executeCommand"]
    s = Server(pgsafe)
    answered = asked = 0
    try:
        s.request("initialize", {"capabilities": {}})
        for i in range(messages):
            m = rnd.choice(methods)
            if rnd.random() < 0.6:
                params = value()
            elif m == "textDocument/didOpen":
                params = {"textDocument": {"uri": "file:///x.sql", "version": 1, "text": rnd.choice(texts)}}
            else:
                params = {"textDocument": {"uri": "file:///x.sql"}, "position": pos(),
                          "range": {"start": pos(), "end": pos()}, "text": rnd.choice(texts),
                          "contentChanges": [{"text": rnd.choice(texts)},
                                             {"range": {"start": pos(), "end": pos()}, "text": "😀;\nDROP INDEX k;"}]}
            if rnd.random() < 0.5:
                asked += 1
                s.send({"jsonrpc": "2.0", "id": 10000 + i, "method": m, "params": params})
                r = s.wait(lambda x: x.get("id") == 10000 + i, f"response to {m}")
                answered += "result" in r or "error" in r
            else:
                s.send({"jsonrpc": "2.0", "method": m, "params": params})
            if rnd.random() < 0.03:
                s.send_raw(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 40))) + b"\r\n\r\n")
        r = s.request("textDocument/hover", {"textDocument": {"uri": "file:///x.sql"},
                                             "position": {"line": 0, "character": 0}})
        check(answered == asked and ("result" in r or "error" in r),
              f"{messages} messages of random shapes: every request answered", (answered, asked, r))
        s.request("shutdown")
        s.notify("exit", None)
    except (TimeoutError, EOFError, RuntimeError) as e:
        check(False, "random shapes: the session survives", (e, s.log()[-1000:]))
    status = s.finish()
    check(status == 0, "random shapes: clean exit", (status, s.log()[-1000:]))


def config(pgsafe):
    """.pgsafe.yaml found from each document's path, as pgsafe lint finds it."""
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good")
        bad = os.path.join(tmp, "bad")
        os.makedirs(os.path.join(good, "seeds"))
        os.makedirs(bad)
        with open(os.path.join(good, ".pgsafe.yaml"), "w") as f:
            f.write("rules:\n  require-concurrent-index: warning\n  missing-lock-timeout: off\n"
                    "exclude:\n  - seeds/\n")
        with open(os.path.join(bad, ".pgsafe.yaml"), "w") as f:
            f.write("pg_version: 15\nrulez: {}\n")
        text = "CREATE INDEX i ON t (a);\n"
        doc = os.path.join(good, "0001 idx.sql")
        with open(doc, "w") as f:
            f.write(text)
        uri = "file://" + doc.replace(" ", "%20")
        uri_seed = "file://" + os.path.join(good, "seeds", "s.sql")
        uri_bad = "file://" + os.path.join(bad, "0001.sql")
        s = Server(pgsafe)
        try:
            s.request("initialize", {"capabilities": {}})
            s.notify("initialized", {})
            for u in (uri, uri_seed, uri_bad):
                s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "sql", "version": 1,
                                                                   "text": text}})
            diags = s.diagnostics(uri, 1)["diagnostics"]
            cli = subprocess.run([pgsafe, "lint", "--format", "json", "--fail-on", "never", doc],
                                 capture_output=True, timeout=30)
            want = sorted((d["rule"], d["severity"]) for d in json.loads(cli.stdout)["diagnostics"])
            sev = {1: "error", 2: "warning", 4: "hint"}
            check(sorted((d["code"], sev[d["severity"]]) for d in diags) == want
                  and ("require-concurrent-index", "warning") in want,
                  "config: severities and rules off as pgsafe lint applies them", (diags, want))
            check(not by_code(diags, "missing-lock-timeout"), "config: a rule turned off", diags)
            diags = s.diagnostics(uri_seed, 1)["diagnostics"]
            check(diags == [], "config: an excluded document has no diagnostics", diags)
            diags = s.diagnostics(uri_bad, 1)["diagnostics"]
            check(len(diags) == 1 and diags[0]["code"] == "config-error"
                  and os.path.join(bad, ".pgsafe.yaml") in diags[0]["message"]
                  and "line 2, column 1" in diags[0]["message"] and "rulez" in diags[0]["message"],
                  "config: a malformed .pgsafe.yaml is one diagnostic naming file, line and key", diags)
            # fixed on disk: the next change picks it up
            with open(os.path.join(bad, ".pgsafe.yaml"), "w") as f:
                f.write("rules:\n  require-concurrent-index: hint\n")
            s.notify("textDocument/didChange", {"textDocument": {"uri": uri_bad, "version": 2},
                                                "contentChanges": [{"text": text}]})
            diags = s.diagnostics(uri_bad, 2)["diagnostics"]
            idx = by_code(diags, "require-concurrent-index")
            check(not by_code(diags, "config-error") and len(idx) == 1 and idx[0]["severity"] == 4,
                  "config: an edited .pgsafe.yaml applies from the next change", diags)
            s.request("shutdown")
            s.notify("exit", None)
        except (TimeoutError, EOFError, RuntimeError) as e:
            check(False, "config session completed", (e, s.log()[-1000:]))
        status = s.finish()
        check(status == 0, "config session: clean exit", status)
        r = subprocess.run([pgsafe, "lsp", "--config", os.path.join(bad, "missing.yaml")],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
        check(r.returncode == 2 and b"missing.yaml" in r.stderr, "lsp --config with a bad file: status 2",
              (r.returncode, r.stderr))


def main():
    if len(sys.argv) != 2:
        print("usage: lsp_client.py PGSAFE", file=sys.stderr)
        return 2
    pgsafe = os.path.abspath(sys.argv[1])
    session(pgsafe)
    exit_without_shutdown(pgsafe)
    end_of_input(pgsafe)
    shape_fuzz(pgsafe)
    config(pgsafe)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
