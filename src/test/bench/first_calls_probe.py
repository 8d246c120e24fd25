"""The latency of a session's first calls of each kind, one by one (issue 14, sessions 27-28).

Usage (from the repository root, after `mvn -q package -DskipTests`):
  python3 src/test/bench/first_calls_probe.py JAR POLICY SESSIONS
Each session starts the proxy as session_cpu.py does (the launcher's JVM flags, the jar's class-data
archive beside it when there is one, the trivial upstream src/test/bench/fast_server.py), answers
`initialize`, waits 0.5 s (an agent's first call comes after its `tools/list` and a model's turn),
then sends in order: `tools/list`, two `echo` calls, two calls of `denied_tool`, two `call_aws`
calls of `aws iam delete-user`, each after the answer to the one before, and times each from its
write to its answer. Prints the median over the sessions for each step. The policy should allow
`echo` and refuse the other two, e.g.
  {"version":"1","default":"allow","tools":{"denied_tool":{"action":"deny","reason":"no"},"call_aws":{}},
   "operations":{"*:Describe*":{},"iam:*":{"action":"deny","reason":"no IAM"}}}
Run two jars in turn, several times, to compare builds side by side.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import session_cpu  # noqa: E402  (the proxy's command line, the initialize frame)

STEPS = [("tools/list", None), ("echo", {"message": "a"}), ("echo", {"message": "b"}),
         ("denied_tool", {"x": 1}), ("denied_tool", {"x": 2}),
         ("call_aws", {"cli_command": "aws iam delete-user --user-name x"}),
         ("call_aws", {"cli_command": "aws iam delete-user --user-name y"})]


def main():
    jar, policy, sessions = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    times = [[] for _ in STEPS]
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(sessions):
            cmd = session_cpu.command(jar, [], policy, os.path.join(tmp, "log.jsonl"))
            p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, bufsize=0)
            p.stdin.write(session_cpu.INIT)
            p.stdout.readline()
            p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
            time.sleep(0.5)
            for i, (name, args) in enumerate(STEPS):
                if name == "tools/list":
                    frame = {"jsonrpc": "2.0", "id": 100 + i, "method": "tools/list"}
                else:
                    frame = {"jsonrpc": "2.0", "id": 100 + i, "method": "tools/call",
                             "params": {"name": name, "arguments": args}}
                t = time.perf_counter()
                p.stdin.write((json.dumps(frame) + "\n").encode())
                if not p.stdout.readline():
                    raise SystemExit("the proxy closed its stdout at step %d (%s)" % (i, name))
                times[i].append((time.perf_counter() - t) * 1000)
            p.stdin.close()
            p.wait()
    seen = {}
    labels = []
    for name, args in STEPS:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if args is None else "%s#%d" % (name, seen[name]))
    print(jar + ": " + ", ".join("%s %.1f ms" % (labels[i], statistics.median(t))
                                 for i, t in enumerate(times)))


if __name__ == "__main__":
    main()
