"""The process CPU of whole proxy sessions, several variants side by side (issue 14): each session
starts the proxy with the launcher's JVM flags, answers `initialize`, relays CALLS `echo` calls
(IN_FLIGHT at a time) to a trivial upstream, stays idle IDLE seconds, and is closed; its CPU is the
user + system time of the Java process (all its threads, ended ones included, from /proc/PID/stat).
Variants run in turn, ROUNDS times; prints medians and each round's value.

Usage (from the repository root, after `mvn -q package -DskipTests`):
  python3 src/test/bench/session_cpu.py [--calls N] [--in-flight N] [--idle S] [--rounds N]
      [--policy FILE] [--through-exit] VARIANT...
A VARIANT is LABEL=JAR[,JVM-FLAG...]: the jar (its class-data archive beside it, as `mvn package`
makes it, is used when present) and extra JVM flags, e.g.
  main=target/mcp-policy-proxy.jar  old=/tmp/old/target/mcp-policy-proxy.jar
  sampler=target/mcp-policy-proxy.jar,-XX:PerfDataSamplingInterval=1000
The CPU of an idle proxy per second: `--calls 0 --idle 20` against `--idle 0`.
`--aws` sends `call_aws` calls instead (four services in turn, a new command text each call; use it
with `--policy config/aws-api-mcp-server.policy.json`, which allows them: at most 60 a minute), after
`--pause` seconds (the agent's first call comes after its `tools/list`; the proxy's warm-up runs in
that time), and prints the latency of each service's first call (medians over the rounds); with
echo calls, one at a time, it prints the latency of the session's first call.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = ["python3", os.path.join(HERE, "fast_server.py")]
LAUNCHER = os.path.join(HERE, "..", "..", "..", "bin", "mcp-policy-proxy")


def launcher_flags():
    """The launcher's JVM flags, from its jvm="..." line, as the yardstick takes them
    (src/test/node/bench-floor.mjs, launcherJvmFlags); its archive is chosen per jar below."""
    with open(LAUNCHER) as f:
        m = re.search(r'^jvm="([^"$]+)"$', f.read(), re.M)
    if not m:
        raise SystemExit(LAUNCHER + ': no jvm="..." line without variables to take the JVM flags from')
    return m.group(1).split()


FLAGS = launcher_flags()
INIT = (b'{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
        b'"capabilities":{},"clientInfo":{"name":"session-cpu","version":"1"}}}\n')


def java_version():
    out = subprocess.run(["java", "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    return next(l.split("=", 1)[1].strip() for l in out.splitlines() if "java.version =" in l)


def command(jar, flags, policy, log):
    archive = jar[:-len(".jar")] + "-" + java_version() + ".jsa"
    cds = ["-XX:SharedArchiveFile=" + archive] if os.path.exists(archive) else []
    return (["java"] + FLAGS + cds + flags + ["-jar", jar, "--policy", policy, "--violation-log", log,
                                              "--state", "memory", "--"] + SERVER)


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


AWS_COMMANDS = [
    "aws ec2 describe-instances --instance-ids i-{n} --region us-west-2",
    "aws s3api list-objects-v2 --bucket b{n} --prefix logs/ --max-items 10",
    "aws omics start-read-set-export-job --sequence-store-id {n} --destination s3://genomics-exports/run/"
    " --role-arn arn:aws:iam::1:role/r --sources readSetId=rs-1 --region us-east-1",
    "aws logs describe-log-groups --log-group-name-prefix g{n} --region eu-west-1",
]


def session(cmd, calls, in_flight, idle, through_exit, aws=False, pause=0.0, firsts=None):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
    p.stdin.write(INIT)
    if not p.stdout.readline():
        raise SystemExit("no initialize answer from: " + " ".join(cmd))
    p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')

    def frame(i):
        if aws:
            params = {"name": "call_aws",
                      "arguments": {"cli_command": AWS_COMMANDS[i % len(AWS_COMMANDS)].format(n=i)}}
        else:
            params = {"name": "echo", "arguments": {"message": f"call {i}"}}
        return (json.dumps({"jsonrpc": "2.0", "id": i + 1, "method": "tools/call", "params": params}) + "\n").encode()
    time.sleep(pause)
    sent = got = 0
    started = {}
    while sent < min(in_flight, calls):
        started[sent] = time.perf_counter()
        p.stdin.write(frame(sent))
        sent += 1
    while got < calls:
        if not p.stdout.readline():
            raise SystemExit("the proxy closed its output after %d answers" % got)
        if firsts is not None and got < (len(AWS_COMMANDS) if aws else 1):  # in flight 1: answer `got`
            firsts.setdefault(got, []).append((time.perf_counter() - started[got]) * 1000)
        got += 1
        if sent < calls:
            started[sent] = time.perf_counter()
            p.stdin.write(frame(sent))
            sent += 1
    time.sleep(idle)
    cpu = ticks(p.pid) / os.sysconf("SC_CLK_TCK")
    p.stdin.close()
    if not through_exit:
        p.wait()
        return cpu
    # the JVM's own rusage at its exit: what it did after its stdin closed (the session's summary,
    # the log's close) counts too, and so does the upstream it reaped (the same in every variant)
    _, _, usage = os.wait4(p.pid, 0)
    p.returncode = 0
    return usage.ru_utime + usage.ru_stime


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--calls", type=int, default=100)
    a.add_argument("--in-flight", type=int, default=1)
    a.add_argument("--idle", type=float, default=1.5)
    a.add_argument("--rounds", type=int, default=9)
    a.add_argument("--policy")
    a.add_argument("--aws", action="store_true", help="call_aws calls (see above) instead of echo")
    a.add_argument("--pause", type=float, default=0.0, help="seconds between initialize and the first call")
    a.add_argument("--through-exit", action="store_true",
                   help="measure until the JVM has exited (its rusage, which includes the upstream it reaped)")
    a.add_argument("variants", nargs="+")
    o = a.parse_args()
    tmp = tempfile.mkdtemp(prefix="session-cpu-")
    policy = o.policy or os.path.join(tmp, "allow.json")
    if not o.policy:
        with open(policy, "w") as f:
            f.write('{"version":"1","default":"allow"}\n')
    variants = {}
    for v in o.variants:
        label, spec = v.split("=", 1)
        jar, *flags = spec.split(",")
        variants[label] = command(os.path.abspath(jar), flags, policy, os.path.join(tmp, label + ".jsonl"))
    cpu = {k: [] for k in variants}
    firsts = {k: {} for k in variants}
    load = os.getloadavg()
    for _ in range(o.rounds):
        for k, cmd in variants.items():
            cpu[k].append(session(cmd, o.calls, o.in_flight, o.idle, o.through_exit, o.aws, o.pause,
                                  firsts[k] if o.in_flight == 1 else None))
    print("load average before/after: %s / %s" % (" ".join("%.2f" % x for x in load),
                                                  " ".join("%.2f" % x for x in os.getloadavg())))
    print(f"sessions of {o.calls} calls ({o.in_flight} in flight) and {o.idle} s idle, {o.rounds} rounds:")
    for k, xs in cpu.items():
        print(f"  {k:12s} process CPU median {statistics.median(xs):.3f} s  ({' '.join('%.2f' % x for x in xs)})")
        if firsts[k] and o.aws:
            print(f"  {'':12s} first call of each service, ms (median): " + ", ".join(
                "%s %.1f" % (AWS_COMMANDS[i].split()[1], statistics.median(ms)) for i, ms in sorted(firsts[k].items())))
        elif firsts[k]:
            print(f"  {'':12s} first call, ms (median): %.1f" % statistics.median(firsts[k][0]))


if __name__ == "__main__":
    sys.exit(main())
