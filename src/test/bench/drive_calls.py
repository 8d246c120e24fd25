"""Drives a relay with tools/call frames, N in flight, and prints calls/s on stderr (issue 14 profiling).

Usage: python3 drive_calls.py CALLS IN_FLIGHT COMMAND [ARGS...]
COMMAND is the relay with its upstream, e.g. `java -jar target/mcp-policy-proxy.jar --policy allow.json
-- python3 src/test/bench/fast_server.py`. Measure the relay's own CPU beside it with
`perf stat -e task-clock -p <java pid>`; see docs/bench/issue14-profile-e4cb667.md.
"""
import sys, subprocess, json, time, os
n = int(sys.argv[1]); inflight = int(sys.argv[2]); cmd = sys.argv[3:]
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
def send(o): p.stdin.write((json.dumps(o) + "\n").encode())
send({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"d","version":"1"}}})
r = p.stdout.readline()
send({"jsonrpc":"2.0","method":"notifications/initialized"})
send({"jsonrpc":"2.0","id":1,"method":"tools/list"}); p.stdout.readline()
frames = [('{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"echo","arguments":{"message":"call %d"}}}\n' % (i+2, i)).encode() for i in range(n)]
t = time.time(); sent = 0; got = 0
while sent < min(inflight, n): p.stdin.write(frames[sent]); sent += 1
while got < n:
    l = p.stdout.readline()
    if not l: print("EOF"); break
    got += 1
    if sent < n: p.stdin.write(frames[sent]); sent += 1
el = time.time() - t
p.stdin.close(); p.wait()
print(f"{n} calls in {el:.2f}s: {n/el:.0f}/s", file=sys.stderr)
