"""Time from spawn to the first initialize answer: a trivial upstream directly, through the proxy
started with `java -jar`, and through the launcher. Interleaved runs; prints medians.

Run from the repository root after `mvn -q package -DskipTests`:  python3 src/test/bench/startup.py [RUNS]
Prints the machine's load average before and after, since every absolute number moves with it.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(os.path.dirname(here)))
server = ["python3", os.path.join(here, "fast_server.py")]
log = os.path.join(tempfile.gettempdir(), "mcp-policy-proxy-startup.jsonl")
jar = os.path.join(top, "target", "mcp-policy-proxy.jar")
policy = os.path.join(top, "config", "aws-api-mcp-server.policy.json")
proxy_args = ["--policy", policy, "--violation-log", log, "--"] + server
launcher = [os.path.join(top, "bin", "mcp-policy-proxy")] + proxy_args
# name -> (command, extra environment)
variants = {
    "direct": (server, {}),
    "java -jar": (["java", "-jar", jar] + proxy_args, {}),
    "bin/mcp-policy-proxy": (launcher, {}),
    "launcher, no archive": (launcher, {"MCP_POLICY_PROXY_CDS": "0"}),
}
init = (b'{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
        b'"capabilities":{},"clientInfo":{"name":"startup","version":"1"}}}\n')
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
# The launcher's class-data archive is made by `mvn package` (target/mcp-policy-proxy-<version>.jsa).
times = {k: [] for k in variants}
load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
for _ in range(runs):
    for name, (cmd, env) in variants.items():
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env={**os.environ, **env})
        p.stdin.write(init)
        p.stdin.flush()
        p.stdout.readline()
        times[name].append((time.perf_counter() - start) * 1000)
        p.stdin.close()
        p.wait()
print("load average before/after: %s / %s" % (load_before, " ".join(f"{x:.2f}" for x in os.getloadavg())))
base = statistics.median(times["direct"])
for name, t in times.items():
    m = statistics.median(t)
    print(f"{name:22s} median {m:6.0f} ms  (+{m - base:4.0f} ms over direct; min {min(t):.0f}, max {max(t):.0f})")
