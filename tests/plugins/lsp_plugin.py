#!/usr/bin/env python3
"""tests/plugins/lsp_plugin.py - `pgsafe lsp --plugin PLUGIN` publishes the
plugin's findings: open one document, print the diagnostic codes, shut down.

    lsp_plugin.py PGSAFE PLUGIN
"""
import json, subprocess, sys
pgsafe, plugin = sys.argv[1], sys.argv[2]
p = subprocess.Popen([pgsafe, 'lsp', '--plugin', plugin], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(m):
    b = json.dumps(m).encode()
    p.stdin.write(b'Content-Length: %d\r\n\r\n' % len(b) + b); p.stdin.flush()
def recv():
    n = 0
    while True:
        line = p.stdout.readline()
        if line in (b'\r\n', b''): break
        if line.lower().startswith(b'content-length:'): n = int(line.split(b':')[1])
    return json.loads(p.stdout.read(n))
send({'jsonrpc':'2.0','id':1,'method':'initialize','params':{'capabilities':{}}})
while 'id' not in (m := recv()) : pass
send({'jsonrpc':'2.0','method':'initialized','params':{}})
send({'jsonrpc':'2.0','method':'textDocument/didOpen','params':{'textDocument':{'uri':'file:///tmp/x.sql','languageId':'sql','version':1,'text':'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_x ON t (a);\n'}}})
while True:
    m = recv()
    if m.get('method') == 'textDocument/publishDiagnostics':
        print(sorted(d.get('code') for d in m['params']['diagnostics'])); break
send({'jsonrpc':'2.0','id':2,'method':'shutdown'})
while recv().get('id') != 2: pass
send({'jsonrpc':'2.0','method':'exit'})
print('exit', p.wait(timeout=10))
