"""Writes the record of an on-demand long differential run (README, "Differential test of the AWS
parser"; docs/differential/long-run-<commit>.md and its .summary.json).

Usage (from the repository root, after the run, before another overwrites the report):
  python3 src/test/bench/differential_record.py --commit C --command "MVN COMMAND" \
      --start ISO --end ISO --log MAVEN_LOG [--load FILE] [--title TEXT] \
      [--report target/differential-report.json] OUT_PREFIX
OUT_PREFIX.md gets the table of the run (totals, over-refusals by mutation, the verdicts of each
customization template); OUT_PREFIX.summary.json the report's counts without the per-command lists
(the full report is several hundred KB). --load is a file of 1-minute load averages, one a line
(sampled while the run went); --log is the run's Maven output, from which the generator's own
summary line is taken.
"""
import argparse
import json
import statistics

KEEP = ["run", "totals", "bypassesByClass", "bypassesByMutation", "overRefusalsByMutation",
        "warnings", "serverRefusalsByStage", "verdictsByCustomization"]


def oracle_versions():
    """The oracle's libraries as this python3 has them (the run's oracle uses the same)."""
    try:
        import sys
        import awscli
        import botocore
        import moto
        return "awscli %s, botocore %s, moto %s, Python %s" % (
            awscli.__version__, botocore.__version__, moto.__version__, sys.version.split()[0])
    except ImportError:
        return "versions unknown: awscli, botocore or moto is not importable here"


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--commit", required=True)
    a.add_argument("--command", required=True)
    a.add_argument("--start", required=True)
    a.add_argument("--end", required=True)
    a.add_argument("--log", required=True)
    a.add_argument("--load")
    a.add_argument("--title")
    a.add_argument("--report", default="target/differential-report.json")
    a.add_argument("out")
    o = a.parse_args()
    r = json.load(open(o.report))
    line = next((l.strip() for l in open(o.log) if l.startswith("differential (generated")), "")
    load = [float(x) for x in open(o.load).read().split()] if o.load else []
    summary = {k: r[k] for k in KEEP}
    summary["generatedSummaryLine"] = line
    if load:
        summary["loadAverage1min"] = {"min": min(load), "mean": round(statistics.mean(load), 2),
                                      "max": max(load), "samples": len(load)}
    json.dump(summary, open(o.out + ".summary.json", "w"), indent=2)

    run, tot = r["run"], r["totals"]
    by = {}  # the generated commands' counts, from the generator's line
    for part in line.split("{", 1)[1].split("}", 1)[0].split(", ") if "{" in line else []:
        k, v = part.split("=")
        by[k] = int(v)
    server_runs = by.get("BOTH_RAN", 0) + by.get("OVER_REFUSAL", 0)
    hand = tot["commands"] - run["generated"]
    out = []
    out.append("# " + (o.title or "Long differential run at `%s`" % o.commit))
    out.append("")
    out.append("`AwsDifferentialTest` (README, \"Differential test of the AWS parser\"), run on demand"
               " at commit `%s`:" % o.commit)
    out.append("")
    out.append("```")
    out.append(o.command)
    out.append("```")
    out.append("")
    loads = ("Load average (1 min, sampled every 60 s, %d samples): min %.1f, mean %.1f, max %.1f."
             % (len(load), min(load), statistics.mean(load), max(load))) if load else ""
    out.append("Started %s, ended %s; %d oracle processes (%s) on 2 cores shared with other work. %s"
               % (o.start, o.end, run["workers"], oracle_versions(), loads))
    out.append("")
    out.append("| | |")
    out.append("| --- | --- |")
    out.append("| generated commands (seed %d) | %s of %s requested, in %d s |"
               % (run["seed"], f'{run["generated"]:,}', f'{run["requested"]:,}', run["seconds"]))
    out.append("| of them from customization templates | %s |" % f'{run["customizationCommands"]:,}')
    out.append("| hand-made cases | %d |" % hand)
    out.append("| server runs (generated commands the server runs) | %s |" % f"{server_runs:,}")
    out.append("| **bypasses** | **%d** |" % tot["bypasses"])
    if server_runs:
        out.append("| over-refusals | %s = **%.1f %%** of the server runs |"
                   % (f'{by.get("OVER_REFUSAL", 0):,}', 100.0 * by.get("OVER_REFUSAL", 0) / server_runs))
    out.append("| both refused | %s (+ %d the proxy refused and the server started but made no call) |"
               % (f'{by.get("BOTH_REFUSED", 0):,}', by.get("PROXY_REFUSED_SERVER_FAILED", 0)))
    if by.get("INCONCLUSIVE"):
        out.append("| inconclusive (the oracle could not tell) | %d |" % by["INCONCLUSIVE"])
    out.append("| warnings (not failing, hand-made cases included) | %s |"
               % ", ".join("%s %d" % kv for kv in sorted(r["warnings"].items())))
    out.append("| with hand-made cases | %s commands, %d bypasses, %s over-refusals (%.1f %%) |"
               % (f'{tot["commands"]:,}', tot["bypasses"], f'{tot["overRefusals"]:,}',
                  100.0 * tot["overRefusalRate"]))
    out.append("")
    if r["bypassesByClass"]:
        out.append("Bypasses by class: " + ", ".join("`%s` %d" % kv for kv in r["bypassesByClass"].items()) + ".")
        out.append("")
    plain = sorted(((k, v) for k, v in r["overRefusalsByMutation"].items() if not k.startswith("custom:")),
                   key=lambda kv: -kv[1])[:8]
    out.append("Over-refusals by mutation (most frequent; a command may carry several): "
               + ", ".join("`%s` %d" % kv for kv in plain) + ".")
    out.append("")
    out.append("Verdicts of the commands of each customization template (`verdictsByCustomization` in"
               " the report; BOTH_RAN = the server ran it and the proxy judged every call):")
    out.append("")
    out.append("| customization | both ran | both refused | over-refusal | bypass |")
    out.append("| --- | --- | --- | --- | --- |")
    for name, v in sorted(r["verdictsByCustomization"].items()):
        out.append("| `%s` | %d | %d | %d | %d |" % (name, v.get("BOTH_RAN", 0), v.get("BOTH_REFUSED", 0),
                                                    v.get("OVER_REFUSAL", 0), v.get("BYPASS", 0)))
    out.append("")
    out.append("The full report (`target/differential-report.json`) is not committed; `%s.summary.json`"
               " holds its run, totals, counts by class, mutation, customization and server stage."
               % o.out.rsplit("/", 1)[-1])
    open(o.out + ".md", "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
