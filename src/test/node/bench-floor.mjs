// The issue 14 yardstick: `node bench.mjs --suite floor [options]` (see README.md, Performance).
// Compares in one interleaved run: direct (client ↔ server), the floor (FloorRelay, a Java byte
// relay started with the launcher's JVM flags), the Node pass-through, the proxy through the
// launcher with an allow-all policy, and the proxy with a generated 1,000-rule policy. Every
// metric is a median over rounds and is reported with its ratio to the floor's.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchBig } from './lib/big-frames.mjs';
import { parseOptions } from './lib/lines.mjs';
import { limitsOf1000, policy1000 } from './lib/policy-1000.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const TOP = join(HERE, '..', '..', '..');
const LAUNCHER = join(TOP, 'bin', 'mcp-policy-proxy');
const JAR = join(TOP, 'target', 'mcp-policy-proxy.jar');
const TEST_CLASSES = join(TOP, 'target', 'test-classes');
const FLOOR_CLASS = 'io.github.mcppolicyproxy.bench.FloorRelay';
const EVERYTHING = ['node', join(HERE, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'];
const BIG_SERVER = ['node', join(HERE, 'big-server.mjs')];
const FAST_SERVER = ['python3', join(TOP, 'src', 'test', 'bench', 'fast_server.py')];
const MIB = 1 << 20;
const BIG_BYTES = 20_000_000;

const USAGE = `node bench.mjs --suite floor [--rounds 5] [--quick] [--long] [--json FILE] [--md FILE]
  [--calls 2000] [--concurrent-calls 4000] [--in-flight 8] [--warmup 500] [--startups 3]
  [--mib-echoes 5] [--big-results 3] [--rss-calls 200000] [--futex-calls 5000 (0: none)]
  [--variants direct,floor,node,allow,rules1000,limits3] [--baseline-jar JAR[=LABEL]]
  node bench.mjs --suite floor --from-json FILE [--md FILE]   (the table of a saved run again)
Needs: mvn -q package -DskipTests (the jar, its start-up archive, target/test-classes) and npm ci here.`;

/** Settings from the command line; --quick is one short round to prove the harness works. */
function settings(argv) {
  const o = parseOptions(argv);
  if (o.help) { console.log(USAGE); process.exit(0); }
  const quick = o.quick === 'true';
  const num = (name, normal, small) => Number(o[name] ?? (quick ? small : normal));
  return {
    quick,
    rounds: num('rounds', 5, 1),
    calls: num('calls', 2000, 200),
    concurrentCalls: num('concurrent-calls', 4000, 400),
    inFlight: num('in-flight', 8, 8),
    warmup: num('warmup', 500, 50),
    startups: num('startups', 3, 1),
    mibEchoes: num('mib-echoes', 5, 1),
    bigResults: num('big-results', 3, 1),
    rssCalls: num('rss-calls', o.long === 'true' ? 1_000_000 : 200_000, 2000),
    futexCalls: num('futex-calls', 5000, 300),
    idleMs: quick ? 500 : 3000,
    variants: (o.variants ?? 'direct,floor,node,allow,rules1000').split(','),
    baselineJar: o['baseline-jar'],
    json: o.json,
    md: o.md,
  };
}

// --- the machine and the processes ------------------------------------------------------------

const CLK_TCK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { return 100; } })();

/** user + system CPU seconds of one process (its own threads, not its children), from /proc. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime: fields 14 and 15
}

/** Voluntary context switches of all live threads of a process (a thread hand-off costs one or two). */
function voluntarySwitches(pid) {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'))[1]);
    } catch { /* the thread ended meanwhile */ }
  }
  return total;
}

/** VmRSS and VmHWM of a process in MB (10^6 bytes). */
function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: (kb('VmRSS') * 1024) / 1e6, hwm: (kb('VmHWM') * 1024) / 1e6 };
}

const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const median = (xs) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); if (!s.length) return NaN; const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The java the launcher would pick: JAVA_HOME's, else the PATH's. */
function launcherJava() {
  const home = process.env.JAVA_HOME;
  if (home) {
    try { accessSync(join(home, 'bin', 'java'), constants.X_OK); return join(home, 'bin', 'java'); } catch { /* the PATH's */ }
  }
  return 'java';
}

/**
 * The launcher's JVM flags, read from its `jvm="..."` line so that the floor cannot drift from
 * them; the launcher adds its class-data archive and the descriptor switch on top.
 */
export function launcherJvmFlags(text = readFileSync(LAUNCHER, 'utf8')) {
  const m = /^jvm="([^"]+)"$/m.exec(text);
  if (!m) throw new Error(`${LAUNCHER}: no jvm="..." line to take the JVM flags from`);
  if (m[1].includes('$')) throw new Error(`${LAUNCHER}: the jvm="..." line uses a variable, which the floor cannot follow: ${m[1]}`);
  return m[1].trim().split(/\s+/);
}

/**
 * The floor's class path and class-data archive, made like the launcher's (CDS cannot archive
 * classes from a directory): FloorRelay.class in target/bench/floor-relay.jar, and the archive of a
 * training run in target/bench/floor-relay-<java version>.jsa; both remade when the class is newer.
 * Without the JDK's `jar` tool the floor runs from target/test-classes with the JDK's default archive.
 */
function floorClassPath(java, flags) {
  const dir = join(TOP, 'target', 'bench');
  mkdirSync(dir, { recursive: true });
  const cls = join(...FLOOR_CLASS.split('.')) + '.class';
  const built = statSync(join(TEST_CLASSES, cls)).mtimeMs;
  const jar = join(dir, 'floor-relay.jar');
  const jarTool = join(dirname(realpathSync(which(java))), 'jar');
  if (!existsSync(jar) || statSync(jar).mtimeMs < built) {
    if (!existsSync(jarTool)) {
      console.error(`no ${jarTool}: the floor runs from ${TEST_CLASSES} without a class-data archive of its own`);
      return ['-cp', TEST_CLASSES];
    }
    execFileSync(jarTool, ['cf', jar, '-C', TEST_CLASSES, cls]);
  }
  const archive = join(dir, `floor-relay-${javaVersion(java)}.jsa`);
  if (!existsSync(archive) || statSync(archive).mtimeMs < statSync(jar).mtimeMs) {
    console.error(`making the floor's class-data archive ${archive}`);
    spawnSync(java, [`-XX:ArchiveClassesAtExit=${archive}`, ...flags, '-cp', jar, FLOOR_CLASS, '--', 'true'], { stdio: 'ignore' });
  }
  return [...(existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`] : []), '-cp', jar];
}

/** The absolute path of a command found on the PATH (or the path itself when it has a slash). */
function which(cmd) {
  if (cmd.includes('/')) return cmd;
  for (const d of (process.env.PATH ?? '').split(':')) {
    try { accessSync(join(d, cmd), constants.X_OK); return join(d, cmd); } catch { /* next */ }
  }
  throw new Error(`${cmd} is not on the PATH`);
}

/**
 * The environment that makes the launcher run another jar (an earlier build, for a before/after
 * column in the same run) with a class-data archive of its own, made here as the launcher makes
 * one: target/bench/baseline-<size>-<java version>.jsa.
 */
function baselineEnv(java, flags, jar, tmp) {
  if (!existsSync(jar)) throw new Error(`--baseline-jar: ${jar} does not exist`);
  const archive = join(TOP, 'target', 'bench', `baseline-${statSync(jar).size}-${javaVersion(java)}.jsa`);
  if (!existsSync(archive)) {
    console.error(`making the baseline jar's class-data archive ${archive}`);
    spawnSync(java, [`-XX:ArchiveClassesAtExit=${archive}`, ...flags, '-jar', jar, '--policy', join(TOP, 'config', 'aws-api-mcp-server.policy.json'),
      '--violation-log', '-', '--state', 'memory', '--', 'true'], { stdio: 'ignore', cwd: tmp });
  }
  return {
    MCP_POLICY_PROXY_JAR: jar,
    MCP_POLICY_PROXY_CDS: '0',
    MCP_POLICY_PROXY_JAVA_OPTS: existsSync(archive) ? `-XX:SharedArchiveFile=${archive}` : '',
  };
}

function checkBuilt() {
  const missing = [[JAR, 'mvn -q package -DskipTests (in the repository root)'],
    [join(TEST_CLASSES, ...FLOOR_CLASS.split('.')) + '.class', 'mvn -q package -DskipTests (compiles the test classes too)'],
    [EVERYTHING[1], `npm ci (in ${HERE})`]].filter(([f]) => !existsSync(f));
  if (missing.length) throw new Error(missing.map(([f, how]) => `${f} is missing: run ${how}`).join('\n'));
}

/** The variants: a label and the command prefix that goes in front of the server's command. */
function makeVariants(keys, tmp, baselineJar) {
  const java = launcherJava();
  const flags = launcherJvmFlags();
  writeFileSync(join(tmp, 'allow.json'), '{"version":"1","default":"allow"}\n');
  writeFileSync(join(tmp, 'rules1000.json'), JSON.stringify(policy1000(), null, 1) + '\n');
  writeFileSync(join(tmp, 'limits3.json'), JSON.stringify(limitsOf1000(), null, 1) + '\n');
  const proxy = (policy) => [LAUNCHER, '--policy', join(tmp, `${policy}.json`), '--violation-log', join(tmp, `${policy}.violations.jsonl`), '--state', 'memory', '--'];
  const all = {
    direct: { label: 'direct', prefix: [] },
    floor: { label: 'floor (Java line relay)', prefix: [java, ...flags, ...floorClassPath(java, flags), FLOOR_CLASS, '--'] },
    node: { label: 'Node pass-through', prefix: ['node', join(HERE, 'passthrough.mjs'), '--'] },
    allow: { label: 'proxy, launcher, allow-all', prefix: proxy('allow') },
    rules1000: { label: 'proxy, 1,000-rule policy', prefix: proxy('rules1000') },
    limits3: { label: "proxy, the 1,000-rule policy's 3 limits alone", prefix: proxy('limits3') },
  };
  if (baselineJar) {
    const eq = baselineJar.indexOf('=');
    const [jar, name] = eq < 0 ? [baselineJar, baselineJar.replace(/^.*\//, '')] : [baselineJar.slice(0, eq), baselineJar.slice(eq + 1)];
    all.baseline = { label: `proxy, allow-all, ${name}`, prefix: proxy('allow'), env: baselineEnv(java, flags, jar, tmp) };
    keys = [...keys, 'baseline'];
  }
  for (const k of keys) if (!all[k]) throw new Error(`unknown variant ${k}; known: ${Object.keys(all).join(', ')}`);
  if (!keys.includes('direct') || !keys.includes('floor')) throw new Error('--variants must include direct and floor (the ratios need them)');
  return keys.map((key) => ({ key, env: {}, ...all[key] }));
}

// --- the measurements -----------------------------------------------------------------------

/**
 * Milliseconds from spawn to the first line of the answer to `initialize` (trivial upstream), and
 * from then on to the answer of the session's first `tools/call` (sent at once: a session's first
 * call pays whatever the relay does first for a call and its result).
 */
function startupOnce({ prefix, env }) {
  const argv = [...prefix, ...FAST_SERVER];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    let ms;
    let callSent;
    let firstCallMs;
    let lines = 0;
    child.stdout.on('data', (chunk) => {
      for (const byte of chunk) {
        if (byte !== 0x0a) continue;
        lines++;
        if (lines === 1) {
          ms = performance.now() - t0;
          callSent = performance.now();
          child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
            + '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"first"}}}\n');
        } else if (lines === 2) {
          firstCallMs = performance.now() - callSent;
          child.stdin.end();
        }
      }
    });
    child.on('error', reject);
    child.on('close', () => (firstCallMs === undefined
      ? reject(new Error(`${argv.join(' ')}: no ${ms === undefined ? 'initialize' : 'tools/call'} answer`))
      : resolve({ ms, firstCallMs })));
    child.stdin.write('{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"yardstick","version":"1"}}}\n');
  });
}

async function connect({ prefix, env }) {
  const argv = [...prefix, ...EVERYTHING];
  const transport = new StdioClientTransport({ command: argv[0], args: argv.slice(1), stderr: 'ignore', env: { ...process.env, ...env } });
  const client = new Client({ name: 'yardstick', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  const echo = async (message) => {
    const r = await client.callTool({ name: 'echo', arguments: { message } });
    if (r.isError || r.content?.[0]?.text !== `Echo: ${message}`) throw new Error(`wrong echo answer: ${JSON.stringify(r).slice(0, 300)}`);
  };
  return { client, echo, pid: transport.pid };
}

/** `count` calls spread over `inFlight` callers; resolves to the elapsed milliseconds. */
async function inFlightCalls(echo, count, inFlight) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < count) await echo(`call ${next++}`);
  }));
  return performance.now() - t0;
}

/** One session against server-everything: latency, throughput, the relay's CPU, a 1 MiB echo. */
async function echoSession(variant, s) {
  const { client, echo, pid } = await connect(variant);
  try {
    for (let i = 0; i < s.warmup; i++) await echo(`warm ${i}`);
    const relay = variant.key !== 'direct';
    const cpu0 = relay ? cpuSeconds(pid) : 0;
    const switches0 = relay ? voluntarySwitches(pid) : 0;
    const seq = new Array(s.calls);
    const seqStart = performance.now();
    for (let i = 0; i < s.calls; i++) { const t = performance.now(); await echo(`call ${i}`); seq[i] = performance.now() - t; }
    const seqElapsed = performance.now() - seqStart;
    const concElapsed = await inFlightCalls(echo, s.concurrentCalls, s.inFlight);
    const cpu = relay ? cpuSeconds(pid) - cpu0 : NaN;
    const switches = relay ? voluntarySwitches(pid) - switches0 : NaN;
    const mib = 'm'.repeat(MIB);
    await echo(mib); // first one warms the large-frame path
    const mibMs = [];
    for (let i = 0; i < s.mibEchoes; i++) { const t = performance.now(); await echo(mib); mibMs.push(performance.now() - t); }
    seq.sort((a, b) => a - b);
    return {
      seqP50Ms: percentile(seq, 50), seqP99Ms: percentile(seq, 99),
      seqCallsPerS: (s.calls / seqElapsed) * 1000, concCallsPerS: (s.concurrentCalls / concElapsed) * 1000,
      cpuSPer10k: (cpu / (s.calls + s.concurrentCalls)) * 10_000,
      switchesPerCall: switches / (s.calls + s.concurrentCalls),
      mibEchoMs: median(mibMs),
    };
  } finally {
    await client.close();
  }
}

/** 20 MB tool results from big-server.mjs (raw client: the SDK refuses frames over 10 MB). */
async function bigSession(variant, s) {
  const sizes = [1000, ...Array(s.bigResults).fill(BIG_BYTES)];
  const records = await fetchBig([...variant.prefix, ...BIG_SERVER], sizes, { stderr: 'ignore', env: { ...process.env, ...variant.env } });
  const big = records.slice(1);
  for (const r of big) if (r.textBytes !== BIG_BYTES) throw new Error(`${variant.label}: a 20 MB result came back with ${r.textBytes} bytes of text (refused?)`);
  return { bigMs: median(big.map((r) => r.ms)), bigFrameSha256: big[0].frameSha256, bigFrameBytes: big[0].frameBytes };
}

/** RSS of the relay idle after the handshake, then after `rssCalls` calls; CPU over those calls. */
async function rssSession(variant, s) {
  const { client, echo, pid } = await connect(variant);
  try {
    await sleep(s.idleMs);
    const idle = memoryMb(pid);
    const cpu0 = cpuSeconds(pid);
    const ms = await inFlightCalls(echo, s.rssCalls, s.inFlight);
    const cpu = cpuSeconds(pid) - cpu0;
    const after = memoryMb(pid);
    return { rssIdleMb: idle.rss, rssAfterMb: after.rss, rssPeakMb: after.hwm, longCpuSPer10k: (cpu / s.rssCalls) * 10_000, longCallsPerS: (s.rssCalls / ms) * 1000 };
  } finally {
    await client.close();
  }
}

/**
 * futex calls per sequential call, counted by `strace -c -f -e trace=futex` attached to the relay
 * for `futexCalls` calls in a session of its own (strace slows the relay, so nothing else is timed
 * there); NaN when strace is missing or may not attach.
 */
async function futexSession(variant, s, tmp) {
  const { client, echo, pid } = await connect(variant);
  try {
    for (let i = 0; i < 200; i++) await echo(`warm ${i}`);
    const out = join(tmp, `strace-${variant.key}.txt`);
    const strace = spawn('strace', ['-c', '-f', '-e', 'trace=futex', '-o', out, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    const attached = await new Promise((resolve) => {
      let text = '';
      strace.on('error', () => resolve(false));
      strace.on('close', () => resolve(false));
      strace.stderr.on('data', (d) => { text += d; if (text.includes('attached')) resolve(true); });
    });
    if (!attached) return { futexPerCall: NaN };
    await sleep(300); // -f attaches to every thread
    for (let i = 0; i < s.futexCalls; i++) await echo(`call ${i}`);
    const done = new Promise((resolve) => strace.on('close', resolve));
    strace.kill('SIGINT');
    await done;
    const calls = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?futex\s*$/m.exec(readFileSync(out, 'utf8'))?.[1];
    return { futexPerCall: Number(calls ?? 0) / s.futexCalls };
  } finally {
    await client.close();
  }
}

// --- the report -----------------------------------------------------------------------------

/**
 * Rows of the table: how each variant's value is derived from the rounds. `added` rows subtract
 * direct's value of the same round before the median; `relay` rows have no value for direct.
 */
function rowsFor(s) {
  const rows = [
    { key: 'addedP50Ms', label: 'added p50 over direct, sequential (ms)', from: 'seqP50Ms', added: true, digits: 3 },
    { key: 'seqCallsPerS', label: 'throughput, sequential (calls/s)', from: 'seqCallsPerS', digits: 0 },
    { key: 'concCallsPerS', label: `throughput, ${s.inFlight} in flight (calls/s)`, from: 'concCallsPerS', digits: 0 },
    { key: 'cpuSPer10k', label: 'CPU per 10,000 calls (s, relay process only)', from: 'cpuSPer10k', relay: true, digits: 2 },
    { key: 'switchesPerCall', label: 'voluntary context switches per call (relay, all threads)', from: 'switchesPerCall', relay: true, digits: 1 },
    { key: 'futexPerCall', label: `futex calls per call (relay, strace, ${s.futexCalls.toLocaleString('en-US')} sequential calls)`, from: 'futexPerCall', relay: true, once: true, digits: 2 },
    { key: 'addedP99Ms', label: 'added p99 over direct, sequential (ms)', from: 'seqP99Ms', added: true, digits: 2 },
    { key: 'mibAddedMs', label: '1 MiB echo, added (ms)', from: 'mibEchoMs', added: true, digits: 1 },
    { key: 'mibMs', label: '1 MiB echo, whole call (ms)', from: 'mibEchoMs', digits: 1 },
    { key: 'bigAddedMs', label: '20 MB tool result, added (ms)', from: 'bigMs', added: true, digits: 0 },
    { key: 'bigMs', label: '20 MB tool result, whole call (ms)', from: 'bigMs', digits: 0 },
    { key: 'startupAddedMs', label: 'spawn → first `initialize` answer, added (ms, trivial upstream)', from: 'startupMs', added: true, digits: 0 },
    { key: 'firstCallAddedMs', label: 'then the first `tools/call` answer, added (ms)', from: 'firstCallMs', added: true, digits: 1 },
    { key: 'rssIdleMb', label: 'RSS idle (MB)', from: 'rssIdleMb', relay: true, once: true, digits: 0 },
    { key: 'rssAfterMb', label: `RSS after ${s.rssCalls.toLocaleString('en-US')} calls (MB)`, from: 'rssAfterMb', relay: true, once: true, digits: 0 },
    { key: 'rssPeakMb', label: 'peak RSS over that run (MB)', from: 'rssPeakMb', relay: true, once: true, digits: 0 },
    { key: 'longCpuSPer10k', label: `CPU per 10,000 calls over those ${s.rssCalls.toLocaleString('en-US')} (s)`, from: 'longCpuSPer10k', relay: true, once: true, digits: 2 },
  ];
  // a phase asked not to run (a count of 0) has no row
  const skipped = new Set([
    ...(s.futexCalls > 0 ? [] : ['futexPerCall']),
    ...(s.mibEchoes > 0 ? [] : ['mibAddedMs', 'mibMs']),
    ...(s.bigResults > 0 ? [] : ['bigAddedMs', 'bigMs']),
    ...(s.startups > 0 ? [] : ['startupAddedMs', 'firstCallAddedMs']),
    ...(s.rssCalls > 0 ? [] : ['rssAfterMb', 'rssPeakMb', 'longCpuSPer10k']),
  ]);
  return rows.filter((r) => !skipped.has(r.key));
}

function summarize(rows, variants, rounds, rss) {
  const out = {};
  for (const row of rows) {
    out[row.key] = {};
    for (const v of variants) {
      let value;
      if (row.relay && v.key === 'direct') value = NaN;
      else if (row.once) value = median(rss.map((r) => r[v.key]?.[row.from]));
      else if (row.added) value = v.key === 'direct' ? median(rounds.map((r) => r.direct[row.from])) : median(rounds.map((r) => r[v.key][row.from] - r.direct[row.from]));
      else value = median(rounds.map((r) => r[v.key][row.from]));
      out[row.key][v.key] = value;
    }
  }
  return out;
}

const fmt = (x, digits) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');

function markdown(rows, variants, summary, env) {
  const head = ['metric (median of ' + env.settings.rounds + (env.settings.rounds === 1 ? ' round' : ' rounds') + '; value (ratio to the floor))', ...variants.map((v) => v.label)];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const floor = summary[row.key].floor;
    const cells = variants.map((v) => {
      const x = summary[row.key][v.key];
      if (!Number.isFinite(x)) return '—';
      if (row.added && v.key === 'direct') return `own: ${fmt(x, row.digits)}`;
      // a ratio to a floor at or below zero (an added time lost in the noise) would mislead
      return `${fmt(x, row.digits)} (${Number.isFinite(floor) && floor > 0 ? (x / floor).toFixed(2) : '—'})`;
    });
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`);
  }
  const st = env.settings;
  lines.push('', `${env.date}, commit ${env.commit}, ${env.cpus} cores, ${env.java}, Node ${env.node}; load average (1/5/15 min) ${env.loadStart.join(' / ')} at the start, ${env.loadEnd.join(' / ')} at the end.`,
    `Per round and variant: ${st.warmup} warm-up calls, ${st.calls} sequential \`echo\` calls, ${st.concurrentCalls} with ${st.inFlight} in flight (CPU over both), ${st.mibEchoes} × a 1 MiB echo, ${st.bigResults} × a 20 MB result, ${st.startups} × start-up; RSS after one run of ${st.rssCalls.toLocaleString('en-US')} calls ${st.inFlight} in flight per variant. "added" rows: the variant's value minus direct's in the same round (direct's column: "own", its own value).`);
  lines.push('', ...goals(summary).map((g) => `- ${g}`));
  return lines.join('\n') + '\n';
}

/** The goals of issue 14, checked for both proxy variants against the floor of the same run. */
function goals(sum) {
  const out = [];
  const ratio = (k, v) => (sum[k].floor > 0 ? sum[k][v] / sum[k].floor : NaN);
  for (const v of ['allow', 'rules1000', 'baseline'].filter((x) => sum.addedP50Ms[x] !== undefined)) {
    // when the floor adds nothing measurable to a large frame, the whole call's ratio is what is left
    const frameGoal = (name, added, whole) => (Number.isFinite(ratio(added, v))
      ? [[`${name} added ≤ 1.5x`, ratio(added, v) <= 1.5, ratio(added, v)]]
      : [[`${name} whole call ≤ 1.5x (the floor adds nothing measurable)`, ratio(whole, v) <= 1.5, ratio(whole, v)]]);
    const checks = [
      ['added p50 ≤ 1.2x the floor\'s', ratio('addedP50Ms', v) <= 1.2, ratio('addedP50Ms', v)],
      ['throughput ≥ 0.95x, sequential', ratio('seqCallsPerS', v) >= 0.95, ratio('seqCallsPerS', v)],
      [`throughput ≥ 0.95x, in flight`, ratio('concCallsPerS', v) >= 0.95, ratio('concCallsPerS', v)],
      ...(sum.mibMs ? frameGoal('1 MiB', 'mibAddedMs', 'mibMs') : []),
      ...(sum.bigMs ? frameGoal('20 MB', 'bigAddedMs', 'bigMs') : []),
      ['CPU per call ≤ 1.2x', ratio('cpuSPer10k', v) <= 1.2, ratio('cpuSPer10k', v)],
    ].map(([name, ok, r]) => (Number.isFinite(r) ? `${name}: ${ok ? 'met' : 'missed'} (${r.toFixed(2)})` : `${name}: not measurable (the floor's value is not above zero)`));
    if (sum.startupAddedMs) {
      const startup = sum.startupAddedMs[v] - sum.startupAddedMs.floor;
      checks.push(`first initialize ≤ the floor's + 100 ms: ${startup <= 100 ? 'met' : 'missed'} (+${fmt(startup, 0)} ms)`);
    }
    if (sum.rssAfterMb) {
      const rss = sum.rssAfterMb[v];
      checks.push(`RSS ≤ 64 MB: ${rss <= 64 && sum.rssPeakMb[v] <= 64 ? 'met' : 'missed'} (${fmt(rss, 0)} MB after, ${fmt(sum.rssPeakMb[v], 0)} MB peak)`);
    }
    out.push(`${{ allow: 'proxy, allow-all', rules1000: 'proxy, 1,000 rules', baseline: 'proxy, allow-all, baseline jar' }[v]} against the issue 14 goals: ${checks.join('; ')}.`);
  }
  if (sum.addedP50Ms.allow !== undefined && sum.addedP50Ms.rules1000 !== undefined) {
    out.push(`1,000 rules against allow-all: added p50 ${(sum.addedP50Ms.rules1000 / sum.addedP50Ms.allow).toFixed(2)}x, CPU per call ${(sum.cpuSPer10k.rules1000 / sum.cpuSPer10k.allow).toFixed(2)}x (goal: within noise).`);
  }
  if (sum.addedP50Ms.limits3 !== undefined && sum.addedP50Ms.rules1000 !== undefined) {
    out.push(`1,000 rules against their 3 limits alone: added p50 ${(sum.addedP50Ms.rules1000 / sum.addedP50Ms.limits3).toFixed(2)}x, CPU per call ${(sum.cpuSPer10k.rules1000 / sum.cpuSPer10k.limits3).toFixed(2)}x (the rules' own cost)`
      + (sum.addedP50Ms.allow !== undefined ? `; the 3 limits against allow-all: added p50 ${(sum.addedP50Ms.limits3 / sum.addedP50Ms.allow).toFixed(2)}x, CPU per call ${(sum.cpuSPer10k.limits3 / sum.cpuSPer10k.allow).toFixed(2)}x.` : '.'));
  }
  return out;
}

function gitCommit() {
  try {
    const head = execFileSync('git', ['-C', TOP, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', TOP, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch { return 'unknown'; }
}

/** Prints (and with --md writes) the table of a run saved with --json, measuring nothing. */
function rerender(file, mdFile) {
  const { env, variants, rounds, rss } = JSON.parse(readFileSync(file, 'utf8'));
  const rows = rowsFor(env.settings);
  const md = markdown(rows, variants, summarize(rows, variants, rounds, rss), env);
  console.log(md);
  if (mdFile) writeFileSync(mdFile, md);
}

/** Runs the suite; argv are the options after `--suite floor`. */
export async function runFloorSuite(argv) {
  const fromJson = argv.indexOf('--from-json');
  if (fromJson >= 0) {
    const mdAt = argv.indexOf('--md');
    return rerender(argv[fromJson + 1], mdAt >= 0 ? argv[mdAt + 1] : undefined);
  }
  const s = settings(argv);
  checkBuilt();
  const tmp = mkdtempSync(join(tmpdir(), 'yardstick-'));
  const variants = makeVariants(s.variants, tmp, s.baselineJar);
  const java = launcherJava();
  const env = {
    date: new Date().toISOString(), commit: gitCommit(), cpus: cpus().length, node: process.version,
    java: `Java ${javaVersion(java)}`, loadStart: load(), settings: s,
  };
  const rotate = (r) => variants.map((_, i) => variants[(i + r) % variants.length]);
  const rounds = [];
  const say = (m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
  try {
    let expectedBig;
    for (let r = 0; r < s.rounds; r++) {
      const round = Object.fromEntries(variants.map((v) => [v.key, {}]));
      for (const v of s.startups > 0 ? rotate(r) : []) {
        const ms = [];
        const firstCalls = [];
        for (let i = 0; i < s.startups; i++) {
          const once = await startupOnce(v);
          ms.push(once.ms);
          firstCalls.push(once.firstCallMs);
        }
        round[v.key].startupMs = median(ms);
        round[v.key].firstCallMs = median(firstCalls);
      }
      say(`round ${r + 1}/${s.rounds}: start-up done`);
      for (const v of rotate(r)) Object.assign(round[v.key], await echoSession(v, s));
      say(`round ${r + 1}/${s.rounds}: echo done`);
      for (const v of s.bigResults > 0 ? rotate(r) : []) {
        const big = await bigSession(v, s);
        expectedBig ??= big.bigFrameSha256;
        if (big.bigFrameSha256 !== expectedBig) throw new Error(`${v.label}: the 20 MB answer frame differs from the first variant's (not byte-exact)`);
        Object.assign(round[v.key], big);
      }
      say(`round ${r + 1}/${s.rounds}: 20 MB done (load ${load().join(' ')})`);
      rounds.push(round);
    }
    const rss = [{}];
    for (const v of variants.filter((x) => x.key !== 'direct')) {
      rss[0][v.key] = await rssSession(v, s);
      say(`RSS run of ${s.rssCalls} calls: ${v.label} done`);
    }
    if (s.futexCalls > 0) {
      for (const v of variants.filter((x) => x.key !== 'direct')) Object.assign(rss[0][v.key], await futexSession(v, s, tmp));
      say('futex counts done');
    }
    env.loadEnd = load();
    const rows = rowsFor(s);
    const summary = summarize(rows, variants, rounds, rss);
    const md = markdown(rows, variants, summary, env);
    console.log(md);
    if (s.json) writeFileSync(s.json, JSON.stringify({ env, variants, summary, rounds, rss }, null, 2) + '\n');
    if (s.md) writeFileSync(s.md, md);
    return { env, summary };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The version of a java (e.g. 17.0.15), as the launcher names its archives. */
function javaVersion(java) {
  const r = spawnSync(java, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  return /java\.version = (\S+)/.exec(r.stderr ?? '')?.[1] ?? 'unknown';
}
