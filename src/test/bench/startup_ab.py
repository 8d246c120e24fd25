"""Spawn -> first initialize answer of two or more proxy jars side by side, each through the
launcher in a tree of its own with its own start-up archive (so neither uses the other's), with a
trivial upstream, in interleaved runs; prints medians and the added time over direct.

Run from the repository root after `mvn -q package -DskipTests`:
  python3 src/test/bench/startup_ab.py [--runs N] [--policy FILE] [--opts LABEL=JVM_OPTIONS ...] \
      LABEL=JAR [LABEL=JAR ...]
`--opts` adds a variant: the first jar's tree with MCP_POLICY_PROXY_JAVA_OPTS set (say,
`cldr=-Djava.locale.providers=CLDR,COMPAT`). Trees are made under $TMPDIR/startup-ab/.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(os.path.dirname(here)))
server = ["python3", os.path.join(here, "fast_server.py")]
init = (b'{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
        b'"capabilities":{},"clientInfo":{"name":"startup-ab","version":"1"}}}\n')
JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable"]


def java_version():
    out = subprocess.run(["java", "-XshowSettings:properties", "-version"], capture_output=True,
                         text=True).stderr
    return next(l.split("=", 1)[1].strip() for l in out.splitlines() if "java.version =" in l)


def tree(label, jar, root):
    """A launcher tree for `jar`: bin/, config/, target/ with the jar and its own archive."""
    d = os.path.join(root, label)
    shutil.rmtree(d, ignore_errors=True)
    for sub in ("bin", "config", "target"):
        os.makedirs(os.path.join(d, sub))
    shutil.copy(os.path.join(top, "bin", "mcp-policy-proxy"), os.path.join(d, "bin"))
    for f in os.listdir(os.path.join(top, "config")):
        shutil.copy(os.path.join(top, "config", f), os.path.join(d, "config"))
    j = os.path.join(d, "target", "mcp-policy-proxy.jar")
    shutil.copy(jar, j)
    listing = os.path.join(d, "target", "training.classlist")
    subprocess.run(["java", "-XX:DumpLoadedClassList=" + listing] + JVM + ["-cp", j,
                    "io.github.mcppolicyproxy.cli.ArchiveTraining", "--policy",
                    os.path.join(d, "config", "aws-api-mcp-server.policy.json"), "--violation-log",
                    "-", "--", "mcp-policy-proxy", "stand-in"], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    subprocess.run(["java", "-Xshare:dump", "-XX:SharedClassListFile=" + listing,
                    "-XX:SharedArchiveFile=" + os.path.join(d, "target", "mcp-policy-proxy-%s.jsa"
                                                            % java_version())] + JVM + ["-cp", j],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return os.path.join(d, "bin", "mcp-policy-proxy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--policy", default=os.path.join(top, "src", "test", "node", "allow.json"))
    ap.add_argument("--opts", action="append", default=[])
    ap.add_argument("jars", nargs="+")
    a = ap.parse_args()
    root = os.path.join(tempfile.gettempdir(), "startup-ab")
    log = os.path.join(root, "violations.jsonl")
    variants = {"direct": (server, {})}
    first = None
    for spec in a.jars:
        label, jar = spec.split("=", 1)
        launcher = tree(label, jar, root)
        first = first or launcher
        variants[label] = ([launcher, "--policy", a.policy, "--violation-log", log, "--"] + server, {})
    for spec in a.opts:
        label, opts = spec.split("=", 1)
        variants[label] = ([first, "--policy", a.policy, "--violation-log", log, "--"] + server,
                           {"MCP_POLICY_PROXY_JAVA_OPTS": opts})
    times = {k: [] for k in variants}
    before = os.getloadavg()
    for _ in range(a.runs):
        for name, (cmd, env) in variants.items():
            start = time.perf_counter()
            p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, env={**os.environ, **env})
            p.stdin.write(init)
            p.stdin.flush()
            line = p.stdout.readline()
            times[name].append((time.perf_counter() - start) * 1000)
            if b'"result"' not in line:
                raise SystemExit("%s: no initialize answer: %r" % (name, line))
            p.stdin.close()
            p.wait()
    after = os.getloadavg()
    print("%d interleaved runs, policy %s, load %.2f -> %.2f" % (a.runs, os.path.basename(a.policy),
                                                                before[0], after[0]))
    base = statistics.median(times["direct"])
    for name, t in times.items():
        m = statistics.median(t)
        print("%-12s median %6.1f ms  added %6.1f ms  (min %.0f, max %.0f)" % (name, m, m - base,
                                                                             min(t), max(t)))


if __name__ == "__main__":
    main()
