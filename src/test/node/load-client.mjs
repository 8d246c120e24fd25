#!/usr/bin/env node
// Load for the ordering test: the TS SDK 1.x Client drives server-everything (the command after
// "--") with --callers concurrent callers making --calls tool calls in total over one connection.
// Every --progress-every'th call is trigger-long-running-operation with 3 steps and a progress
// token, so progress notifications interleave with the answers; simulated logging is switched on
// at debug level so that log notifications interleave too. Every echo answer must carry its own
// call's text back (no cross-wired answers) and each long run's 3 progress notifications must reach
// the client's transport. (They are counted there, not with onprogress: the 1.x Client drops a
// progress notification that it dispatches after the answer it belongs to, which happens for the
// last step of a zero-duration run even without any proxy; `sdkOnprogress` shows how many it kept.)
// Usage: node load-client.mjs [--calls 10000] [--callers 8] [--progress-every 10] -- cmd [args...]
// Prints one JSON line: {"calls":..,"echoes":..,"longRuns":..,"progress":..,"expectedProgress":..,
//   "sdkOnprogress":..,"logs":..,"mismatches":..,"errors":..,"elapsedMs":..}; exits 1 if anything
//   was missing or wrong.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { splitCommand, parseOptions } from './lib/lines.mjs';

const { options, command } = splitCommand(process.argv.slice(2));
const opts = parseOptions(options);
const CALLS = Number(opts.calls ?? 10000);
const CALLERS = Number(opts.callers ?? 8);
const PROGRESS_EVERY = Number(opts['progress-every'] ?? 10);
const STEPS = 3;

const transport = new StdioClientTransport({ command: command[0], args: command.slice(1), stderr: 'inherit' });
const client = new Client({ name: 'mcp-policy-proxy-load-client', version: '1.0.0' }, { capabilities: {} });
const watchdog = setTimeout(() => { console.error('load-client: took over 120 s'); process.exit(2); }, 120_000);

const stats = { calls: 0, echoes: 0, longRuns: 0, progress: 0, expectedProgress: 0, sdkOnprogress: 0, logs: 0, mismatches: 0, errors: 0 };
const progressByToken = new Map();
const start = transport.start.bind(transport);
transport.start = async () => {
  await start();
  const onmessage = transport.onmessage;
  transport.onmessage = (m, extra) => {
    if (m.method === 'notifications/progress') {
      stats.progress++;
      progressByToken.set(m.params.progressToken, (progressByToken.get(m.params.progressToken) ?? 0) + 1);
    } else if (m.method === 'notifications/message') {
      stats.logs++;
    }
    onmessage?.(m, extra);
  };
};
let next = 0;
async function caller(c) {
  while (next < CALLS) {
    const i = next++;
    try {
      if (i % PROGRESS_EVERY === PROGRESS_EVERY - 1) {
        let seen = 0;
        const r = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0, steps: STEPS } },
          undefined, { onprogress: () => { seen++; } });
        stats.longRuns++;
        stats.expectedProgress += STEPS;
        stats.sdkOnprogress += seen;
        if (!String(r.content?.[0]?.text).startsWith('Long running operation completed')) stats.mismatches++;
      } else {
        const message = `caller ${c} call ${i} ✓`;
        const r = await client.callTool({ name: 'echo', arguments: { message } });
        stats.echoes++;
        if (r.content?.[0]?.text !== `Echo: ${message}`) stats.mismatches++;
      }
    } catch (e) {
      stats.errors++;
      if (stats.errors <= 5) console.error(`load-client: call ${i} failed: ${e.message ?? e}`);
    }
    stats.calls++;
  }
}

let ok = false;
try {
  await client.connect(transport);
  await client.setLoggingLevel('debug');
  await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  const started = Date.now();
  await Promise.all(Array.from({ length: CALLERS }, (_, c) => caller(c)));
  stats.elapsedMs = Date.now() - started;
  await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  await client.ping();
  stats.progressTokens = progressByToken.size;
  const short = [...progressByToken.values()].filter((n) => n !== STEPS).length;
  ok = stats.calls === CALLS && stats.errors === 0 && stats.mismatches === 0 && short === 0
    && stats.progressTokens === stats.longRuns && stats.progress === stats.expectedProgress;
  process.stdout.write(JSON.stringify(stats) + '\n');
} finally {
  clearTimeout(watchdog);
  await client.close();
}
process.exitCode = ok ? 0 : 1;
