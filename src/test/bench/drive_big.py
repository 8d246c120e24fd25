"""Times large tool results through relays, side by side (issue 14 profiling).

Usage: python3 drive_big.py REPS :: LABEL COMMAND... [:: LABEL COMMAND...]
Starts every COMMAND (a relay with its upstream, or the upstream alone as "direct"), initializes
each, then REPS times calls the tool `big` ({"bytes": 20000000}) on each in turn and times request
-> last byte of the answer. Prints the median and minimum per variant over all but the first two
calls, and each median's ratio to the first variant's. The upstream may be src/test/bench/big_server.py
(writes at once) or src/test/node/big-server.mjs (the yardstick's). See
docs/bench/issue14-session22.md.
"""
import io
import statistics
import subprocess
import sys
import time

reps = int(sys.argv[1])
variants = []
for a in sys.argv[2:]:
    if a == "::":
        variants.append([])
    else:
        variants[-1].append(a)
procs = {}
for v in variants:
    p = subprocess.Popen(v[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, bufsize=0)
    out = io.BufferedReader(p.stdout, 1 << 20)
    p.stdin.write(b'{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":'
                  b'"2025-06-18","capabilities":{},"clientInfo":{"name":"d","version":"1"}}}\n')
    out.readline()
    p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    p.stdin.write(b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}\n')
    out.readline()
    procs[v[0]] = (p, out)
times = {v[0]: [] for v in variants}
call = 2
for r in range(reps):
    for v in variants:
        p, out = procs[v[0]]
        t = time.perf_counter()
        p.stdin.write(('{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"big",'
                       '"arguments":{"bytes":20000000}}}\n' % call).encode())
        line = out.readline()
        ms = (time.perf_counter() - t) * 1000
        if len(line) < 20_000_000:
            sys.exit(f"{v[0]}: an answer of {len(line)} bytes")
        if r >= 2:
            times[v[0]].append(ms)
        call += 1
for p, _ in procs.values():
    p.stdin.close()
    p.wait()
first = statistics.median(times[variants[0][0]])
for label, t in times.items():
    m = statistics.median(t)
    print(f"{label}: median {m:.1f} ms ({m / first:.2f}x {variants[0][0]}), min {min(t):.1f}, n={len(t)}")
