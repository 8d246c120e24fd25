#!/usr/bin/env node
// On demand (not a test): how the proxy's memory grows with the size of a frame it relays.
// For each size, starts `java -XX:+UseSerialGC [JVM options] -jar JAR --policy allow.json -- node
// big-server.mjs`, asks for one tool result of that size with the raw client of
// lib/big-frames.mjs, and once the answer has arrived whole (the proxy is still running) reads
// VmHWM (peak RSS) and VmRSS from /proc/<java pid>/status. Then finds the smallest -Xmx (in MB,
// by bisection) with which the largest size still passes byte-exact.
// Usage: node frame-memory.mjs [--jar ../../../target/mcp-policy-proxy.jar]
//          [--sizes 0,1000000,20000000,60000000] [--xmx-low 16] [--xmx-high 512] [--jvm '-Xshare:auto']
// Linux only (/proc). Prints a Markdown table and the -Xmx result.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { fetchBig, bigText, sha256 } from './lib/big-frames.mjs';
import { parseOptions } from './lib/lines.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const opts = parseOptions(process.argv.slice(2));
const JAR = resolve(opts.jar ?? join(HERE, '../../../target/mcp-policy-proxy.jar'));
const SIZES = String(opts.sizes ?? '0,1000000,20000000,60000000').split(',').map(Number);
const EXTRA = opts.jvm ? opts.jvm.split(' ').filter(Boolean) : [];
const SERVER = ['node', join(HERE, 'big-server.mjs')];

function status(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1]);
  return { hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
}

async function run(size, jvm) {
  const command = ['java', '-XX:+UseSerialGC', ...jvm, ...EXTRA, '-jar', JAR, '--policy', join(HERE, 'allow.json'),
    '--violation-log', '/dev/null', '--', ...SERVER];
  let mem;
  const [r] = await fetchBig(command, [size], {
    stderr: 'ignore',
    onAnswer: async (_, child) => { mem = status(child.pid); },
  });
  if (r.textSha256 !== sha256(Buffer.from(bigText(size), 'utf8'))) throw new Error(`${size} bytes: result differs`);
  return { ...r, ...mem };
}

const fmt = (x) => x.toFixed(0);
console.log('| result text (bytes) | answer frame (bytes) | proxy peak RSS VmHWM (MB) | RSS after (MB) | growth over no frame (MB) | growth / frame size |');
console.log('| --- | --- | --- | --- | --- | --- |');
let base;
for (const size of SIZES) {
  const r = await run(size, []);
  base ??= r.hwmMB;
  const growth = r.hwmMB - base;
  console.log(`| ${size} | ${r.frameBytes} | ${fmt(r.hwmMB)} | ${fmt(r.rssMB)} | ${fmt(growth)} | ${size ? (growth / (r.frameBytes / 2 ** 20)).toFixed(2) : '-'} |`);
}

const largest = Math.max(...SIZES);
const passes = async (mb) => {
  try { await run(largest, [`-Xmx${mb}m`]); return true; } catch { return false; }
};
let lo = Number(opts['xmx-low'] ?? 16); // fails (checked below)
let hi = Number(opts['xmx-high'] ?? 512); // passes (checked below)
if (await passes(lo)) {
  console.log(`\n-Xmx${lo}m already passes a ${largest}-byte result`);
} else if (!(await passes(hi))) {
  console.log(`\neven -Xmx${hi}m fails a ${largest}-byte result`);
} else {
  while (hi - lo > 4) {
    const mid = Math.floor((lo + hi) / 2);
    if (await passes(mid)) hi = mid; else lo = mid;
  }
  console.log(`\nsmallest -Xmx that passes a ${largest}-byte result (answer frame ~${(largest * 1.028 / 1e6).toFixed(1)} MB): ${hi} MB (fails at ${lo} MB), with ${['-XX:+UseSerialGC', ...EXTRA].join(' ')}`);
}
