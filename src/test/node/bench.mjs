#!/usr/bin/env node
// Benchmarks. `--suite floor` (bench-floor.mjs) is the issue 14 yardstick: direct, the floor (a Java
// line relay with the launcher's flags), the Node pass-through and the proxy (allow-all and 1,000
// rules), with ratios to the floor; see README.md, Performance. Without --suite (or --suite echo):
// Benchmark: the TS SDK 1.x client against server-everything's `echo`, side by side, (1) direct,
// (2) through each proxy under test given with --proxy, (3) through passthrough.mjs.
// Per variant: spawn-to-initialize-answer time; p50/p99 latency and calls/s of sequential calls;
// calls/s and p50/p99 with concurrent callers over one client. Runs are interleaved across
// variants; the table shows medians over runs and the ratio to direct.
// Usage: node bench.mjs [--runs 5] [--calls 2000] [--concurrency 8] [--warmup 200]
//          [--json bench.json] [--proxy 'label=cmd prefix ending in --' ...] [--no-passthrough]
//        node bench.mjs --suite floor [--rounds 5] [--quick] [--long] [--json out.json] [--md out.md]
// e.g.   node bench.mjs --proxy "java=java -jar ../../../target/mcp-policy-proxy.jar --policy allow.json --"
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseOptions } from './lib/lines.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const argv = process.argv.slice(2);
const suiteAt = argv.indexOf('--suite');
const suite = suiteAt < 0 ? 'echo' : argv[suiteAt + 1];
const rest = suiteAt < 0 ? argv : [...argv.slice(0, suiteAt), ...argv.slice(suiteAt + 2)];
if (suite === 'floor') await (await import('./bench-floor.mjs')).runFloorSuite(rest);
else if (suite === 'echo') await echoSuite(parseOptions(rest, ['proxy']));
else throw new Error(`--suite wants floor or echo, got: ${suite}`);

/** The echo suite: direct, each --proxy and passthrough.mjs, ratios to direct. */
async function echoSuite(opts) {
  const RUNS = Number(opts.runs ?? 5);
  const CALLS = Number(opts.calls ?? 2000);
  const CONCURRENCY = Number(opts.concurrency ?? 8);
  const WARMUP = Number(opts.warmup ?? 200);
  const SERVER = ['node', join(HERE, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'];

  const variants = [{ label: 'direct', prefix: [] }];
  for (const spec of opts.proxy) {
    const eq = spec.indexOf('=');
    if (eq < 1) throw new Error(`--proxy wants label=command prefix, got: ${spec}`);
    variants.push({ label: spec.slice(0, eq), prefix: shellWords(spec.slice(eq + 1)) });
  }
  if (opts['no-passthrough'] !== 'true') variants.push({ label: 'passthrough.mjs', prefix: ['node', join(HERE, 'passthrough.mjs'), '--'] });

  function shellWords(s) {
    const words = [];
    const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
    let m;
    while ((m = re.exec(s)) !== null) words.push(m[1] ?? m[2] ?? m[3]);
    return words;
  }

  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

  async function measure(variant) {
    const argv = [...variant.prefix, ...SERVER];
    const transport = new StdioClientTransport({ command: argv[0], args: argv.slice(1), stderr: 'ignore' });
    const client = new Client({ name: 'bench', version: '1.0.0' }, { capabilities: {} });
    const spawnedAt = nowMs();
    let initializedAt;
    const start = transport.start.bind(transport);
    transport.start = async () => {
      await start();
      const onmessage = transport.onmessage;
      transport.onmessage = (m, extra) => {
        if (initializedAt === undefined && m.result?.protocolVersion) initializedAt = nowMs();
        onmessage?.(m, extra);
      };
    };
    await client.connect(transport);
    const echo = (i) => client.callTool({ name: 'echo', arguments: { message: `call ${i}` } });
    try {
      for (let i = 0; i < WARMUP; i++) await echo(i);

      const seq = new Array(CALLS);
      const seqStart = nowMs();
      for (let i = 0; i < CALLS; i++) { const t = nowMs(); await echo(i); seq[i] = nowMs() - t; }
      const seqElapsed = nowMs() - seqStart;

      const conc = [];
      const perCaller = Math.ceil(CALLS / CONCURRENCY);
      const concStart = nowMs();
      await Promise.all(Array.from({ length: CONCURRENCY }, async (_, c) => {
        for (let i = 0; i < perCaller; i++) { const t = nowMs(); await echo(c * perCaller + i); conc.push(nowMs() - t); }
      }));
      const concElapsed = nowMs() - concStart;

      seq.sort((a, b) => a - b);
      conc.sort((a, b) => a - b);
      return {
        startupMs: initializedAt - spawnedAt,
        seqP50Ms: percentile(seq, 50), seqP99Ms: percentile(seq, 99), seqCallsPerS: (CALLS / seqElapsed) * 1000,
        concP50Ms: percentile(conc, 50), concP99Ms: percentile(conc, 99), concCallsPerS: (conc.length / concElapsed) * 1000,
      };
    } finally {
      await client.close();
    }
  }

  const METRICS = [
    ['startupMs', 'spawn→initialize answer (ms)'],
    ['seqP50Ms', 'sequential p50 (ms)'], ['seqP99Ms', 'sequential p99 (ms)'], ['seqCallsPerS', 'sequential calls/s'],
    ['concP50Ms', `${CONCURRENCY} callers p50 (ms)`], ['concP99Ms', `${CONCURRENCY} callers p99 (ms)`], ['concCallsPerS', `${CONCURRENCY} callers calls/s`],
  ];

  const runs = Object.fromEntries(variants.map((v) => [v.label, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const v of variants) {
      runs[v.label].push(await measure(v));
      console.error(`run ${r + 1}/${RUNS} ${v.label} done`);
    }
  }
  const medians = Object.fromEntries(variants.map((v) => [v.label,
    Object.fromEntries(METRICS.map(([k]) => [k, median(runs[v.label].map((x) => x[k]))]))]));

  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  const header = ['metric (median of ' + RUNS + ' runs)', ...variants.flatMap((v) => v.label === 'direct' ? ['direct'] : [v.label, '× direct'])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const [k, name] of METRICS) {
    const d = medians.direct[k];
    const cells = variants.flatMap((v) => v.label === 'direct' ? [fmt(d)] : [fmt(medians[v.label][k]), (medians[v.label][k] / d).toFixed(2)]);
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  const env = { node: process.version, runs: RUNS, calls: CALLS, concurrency: CONCURRENCY, warmup: WARMUP, date: new Date().toISOString() };
  console.log(lines.join('\n'));
  console.log(`\n${CALLS} echo calls per phase after ${WARMUP} warm-up calls; node ${process.version}; variants: ${variants.map((v) => `${v.label}=[${v.prefix.join(' ')}]`).join(', ')}`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ env, variants, medians, runs }, null, 2) + '\n');
}
