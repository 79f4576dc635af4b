#!/usr/bin/env python3
"""tests/lsp/nvim_client.py - pgsafe's Language Server in a real editor (suite lsp).

    python3 tests/lsp/nvim_client.py PGSAFE

Runs Neovim headless (Debian 12 ships 0.7, whose API is
vim.lsp.start_client) with tests/lsp/nvim_lsp.lua, which attaches `PGSAFE
lsp` to a SQL buffer, waits for diagnostics, hovers, applies the
CONCURRENTLY quick fix and stops the server. This script checks what the
Lua side wrote. Neovim turns LSP's UTF-16 columns into byte columns of the
buffer, so exact byte columns after astral-plane characters prove the
server counted UTF-16 code units. Exits 77 (skipped) when nvim is missing;
tools/setup.sh installs it.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 60

DOC = (
    "-- Notes: naïve café search 😀\n"
    "SELECT '𝄞😀é' AS x; CREATE INDEX notes_body_idx ON notes (body);\n"
)

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


def byte_col(line, index):
    return len(line[:index].encode("utf-8"))


def main():
    if len(sys.argv) != 2:
        print("usage: nvim_client.py PGSAFE", file=sys.stderr)
        return 2
    nvim = shutil.which("nvim")
    if not nvim:
        print("nvim is not installed (apt-get install neovim): skipped")
        return 77
    pgsafe = os.path.abspath(sys.argv[1])
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nvim_lsp.lua")
    with tempfile.TemporaryDirectory() as tmp:
        sql = os.path.join(tmp, "0042 notes.sql")
        out = os.path.join(tmp, "out.json")
        with open(sql, "w", encoding="utf-8") as f:
            f.write(DOC)
        env = dict(os.environ, PGSAFE=pgsafe, PGSAFE_SQL=sql, PGSAFE_OUT=out,
                   XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp, XDG_STATE_HOME=tmp, XDG_CACHE_HOME=tmp)
        try:
            r = subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n",
                                "-c", "luafile " + script.replace(" ", "\\ ")],
                               env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            check(False, f"nvim finished within {TIMEOUT} s")
            print(f"{passed} passed, {failed} failed")
            return 1
        check(r.returncode == 0, "nvim exited 0", r.stderr.decode("utf-8", "replace")[-2000:])
        try:
            with open(out, encoding="utf-8") as f:
                res = json.load(f)
        except (OSError, ValueError) as e:
            check(False, "the Lua script wrote its results", e)
            print(f"{passed} passed, {failed} failed")
            return 1
    version = subprocess.run(["nvim", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"# {version}")
    check(res.get("ok") is True, "the Lua script ran to the end", res.get("error"))

    line = DOC.split("\n")[1]
    start = line.index("CREATE INDEX")
    end = line.index(";", start)
    diags = res.get("first_diagnostics") or []
    idx = [d for d in diags if d.get("code") == "require-concurrent-index"]
    want = {"lnum": 1, "col": byte_col(line, start), "end_lnum": 1, "end_col": byte_col(line, end)}
    check(len(idx) == 1 and {k: idx[0][k] for k in want} == want,
          "require-concurrent-index at the exact byte columns after astral characters", (idx, want))
    if idx:
        check(idx[0]["severity"] == 1 and idx[0]["source"] == "pgsafe", "severity error, source pgsafe", idx[0])
    hover = res.get("hover")
    check(isinstance(hover, str) and "`SHARE`" in hover and "blocks **writes**" in hover,
          "hover shows the lock and what it blocks", hover)
    titles = res.get("action_titles") or []
    check(any("CONCURRENTLY" in t for t in titles) and any("pgsafe:ignore" in t for t in titles),
          "code actions: CONCURRENTLY and the ignore comment", titles)
    check(res.get("fixed_line") == line.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY"),
          "Neovim applied the edit at the right place", res.get("fixed_line"))
    fixed = res.get("fixed_diagnostics")
    check(fixed is not None and not any(d.get("code") == "require-concurrent-index" for d in fixed),
          "after the fix Neovim no longer shows require-concurrent-index", fixed)
    check(res.get("server_exit", {}).get("code") == 0, "the server exited 0 after shutdown and exit",
          res.get("server_exit"))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
