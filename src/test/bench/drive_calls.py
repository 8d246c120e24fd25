"""Drives a relay with tools/call frames, N in flight, and prints calls/s on stderr (issue 14 profiling).

Usage: python3 drive_calls.py CALLS IN_FLIGHT COMMAND [ARGS...]
COMMAND is the relay with its upstream, e.g. `java -jar target/mcp-policy-proxy.jar --policy allow.json
-- python3 src/test/bench/fast_server.py`. Measure the relay's own CPU beside it with
`perf stat -e task-clock -p <java pid>`; see docs/bench/issue14-profile-e4cb667.md.
On Linux it also prints the relay's own CPU (all its threads, from /proc/<pid>/stat, so COMMAND must
be the relay itself, not a wrapper) per call over the calls after the first fifth (warm-up), and its
CPU in all since it started.
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
def cpu_ticks():
    try:
        with open(f"/proc/{p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime of the whole process
    except OSError:
        return None
warm = n // 5; t_warm = None; c_warm = None
t = time.time(); sent = 0; got = 0
while sent < min(inflight, n): p.stdin.write(frames[sent]); sent += 1
while got < n:
    l = p.stdout.readline()
    if not l: print("EOF"); break
    got += 1
    if got == warm: t_warm = time.time(); c_warm = cpu_ticks()
    if sent < n: p.stdin.write(frames[sent]); sent += 1
el = time.time() - t
c_end = cpu_ticks() if got == n else None
try:
    with open(f"/proc/{p.pid}/status") as f:
        rss = {k: v.strip() for k, v in (l.split(":", 1) for l in f if l.startswith(("VmRSS", "VmHWM")))}
    print(f"relay RSS at the end {rss.get('VmRSS')}, peak {rss.get('VmHWM')}", file=sys.stderr)
except OSError:
    pass
p.stdin.close(); p.wait()
print(f"{n} calls in {el:.2f}s: {n/el:.0f}/s", file=sys.stderr)
if c_warm is not None and c_end is not None:
    hz = os.sysconf("SC_CLK_TCK")
    print(f"relay CPU over the last {n - warm} calls: {(c_end - c_warm) / hz:.2f}s,"
          f" {(c_end - c_warm) / hz / (n - warm) * 1e6:.1f} us per call;"
          f" in all (start-up and warm-up included): {c_end / hz:.2f}s", file=sys.stderr)
