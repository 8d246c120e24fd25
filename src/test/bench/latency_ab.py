"""Sequential tools/call latency of several jars under several policies, side by side (issue 14).

Each round runs every (jar, policy) pair once, in the same order, each a fresh proxy in front of
src/test/bench/fast_server.py: CALLS sequential `echo` calls, each timed from the write of the
frame to the read of its answer; a run's p50 and p90 are taken over its last three quarters. Prints
every run as it ends, then per pair the median over the rounds of the runs' p50.

Usage (from the repository root):
  python3 src/test/bench/latency_ab.py --jar new=target/mcp-policy-proxy.jar --jar old=/path/old.jar \\
      --policy allow=allow.json --policy limits=limits.json [--rounds 7] [--calls 10000]
The JVM flags are the launcher's, without a class-data archive (one archive cannot match every jar):
the numbers compare the jars with each other, not with a launcher's start.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = ["python3", os.path.join(HERE, "fast_server.py")]
FLAGS = ["-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr",
         "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn4m", "-Xshare:off"]
INIT = (b'{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
        b'"capabilities":{},"clientInfo":{"name":"latency-ab","version":"1"}}}\n')


def labelled(spec):
    label, eq, path = spec.partition("=")
    if not eq or not label or not path:
        raise argparse.ArgumentTypeError(f"want LABEL=PATH, got {spec!r}")
    if not os.path.isfile(path):
        raise argparse.ArgumentTypeError(f"{path} is not a file")
    return label, path


def run(jar, policy, calls):
    """One proxy, CALLS sequential calls: (p50, p90) in microseconds over the last three quarters."""
    cmd = ["java", *FLAGS, "-jar", jar, "--policy", policy, "--state", "memory",
           "--violation-log", os.devnull, "--", *SERVER]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         bufsize=0)
    try:
        p.stdin.write(INIT)
        if b'"result"' not in p.stdout.readline():
            raise SystemExit(f"no initialize answer from {' '.join(cmd)}")
        p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        took = []
        for i in range(calls):
            frame = ('{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"echo",'
                     '"arguments":{"message":"call %d"}}}\n' % (i + 1, i)).encode()
            t = time.perf_counter_ns()
            p.stdin.write(frame)
            answer = p.stdout.readline()
            took.append(time.perf_counter_ns() - t)
            if b'"result"' not in answer:
                raise SystemExit(f"call {i} was not answered with a result: {answer[:200]!r}")
    finally:
        p.stdin.close()
        p.wait()
    kept = sorted(took[calls // 4:])
    return kept[len(kept) // 2] / 1000, kept[len(kept) * 9 // 10] / 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", type=labelled, action="append", required=True)
    ap.add_argument("--policy", type=labelled, action="append", required=True)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--calls", type=int, default=10000)
    a = ap.parse_args()
    pairs = [(j, p) for j in a.jar for p in a.policy]
    p50s = {(j[0], p[0]): [] for j, p in pairs}
    print(f"load average at the start: {os.getloadavg()}", flush=True)
    for r in range(a.rounds):
        for (jl, jar), (pl, policy) in pairs:
            p50, p90 = run(jar, policy, a.calls)
            p50s[(jl, pl)].append(p50)
            print(f"round {r + 1} {jl} {pl}: p50 {p50:.1f} us, p90 {p90:.1f} us", flush=True)
    print(f"load average at the end: {os.getloadavg()}")
    print(f"median over {a.rounds} rounds of each run's p50 (us):")
    for (jl, pl), v in p50s.items():
        print(f"  {jl} {pl}: {statistics.median(v):.1f}  (runs: {', '.join(f'{x:.0f}' for x in sorted(v))})")


if __name__ == "__main__":
    sys.exit(main())
