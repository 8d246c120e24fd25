"""A 'server' that answers every tools/call with one large result written at once (issue 14 profiling).

Usage: python3 big_server.py [BYTES]   (default 20,000,000: the text of Node's bigText, the same unit
repeated, so the frame is that text JSON-escaped in an MCP result, about 20.6 MB). It answers
initialize and tools/list too; the result is built once and written with one call per request, so
the reader of its stdout sets the pace (a fast upstream: the worst case for a relay that does work
while reading).
"""
import json
import sys

size = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
unit = ('line of a large tool result: h\u00e9llo w\u00f6rld \U0001F600 with a "quote" and a line end,'
        ' padded with dots............\n').encode()
text = (unit * (size // len(unit)) + b'x' * (size % len(unit))).decode()
body = json.dumps({"content": [{"type": "text", "text": text}]}, ensure_ascii=False).encode()
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    m = json.loads(line)
    if "id" not in m:
        continue
    head = b'{"jsonrpc":"2.0","id":' + json.dumps(m["id"]).encode() + b',"result":'
    if m.get("method") == "initialize":
        out.write(head + json.dumps({"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                                     "serverInfo": {"name": "big", "version": "1"}}).encode() + b"}\n")
    elif m.get("method") == "tools/list":
        out.write(head + b'{"tools":[{"name":"big","inputSchema":{"type":"object"}}]}}\n')
    else:
        out.write(head + body + b"}\n")
    out.flush()
