#!/usr/bin/env node
// Drives a scripted session with the TypeScript SDK v2 client (@modelcontextprotocol/client 2.x)
// against the command after "--". --mode pin (default) speaks 2026-07-28 only: server/discover,
// then requests carrying the io.modelcontextprotocol/* _meta envelope; --mode auto probes with
// server/discover on a short-lived sibling process first and falls back to initialize.
// Usage: node v2-client.mjs [--mode pin|auto] [--scenario v2server|legacy] [--transcript FILE] -- cmd...
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { splitCommand, parseOptions } from './lib/lines.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const { options, command } = splitCommand(process.argv.slice(2));
const opts = parseOptions(options);
const mode = opts.mode ?? 'pin';
const scenario = opts.scenario ?? 'v2server';
const argv = opts.transcript
  ? ['node', join(HERE, 'wiretap.mjs'), '--log', opts.transcript, '--', ...command]
  : command;

const NON_ASCII = 'héllo — 日本語 — 😀 𝄞';
const client = new Client(
  { name: 'mcp-policy-proxy-v2-client', version: '1.0.0' },
  {
    capabilities: { elicitation: { form: {} } },
    versionNegotiation: { mode: mode === 'pin' ? { pin: '2026-07-28' } : 'auto' },
  },
);
client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { confirm: true, who: 'Zoë 😀' } }));

const steps = [];
const step = async (name, fn) => { const result = await fn(); steps.push({ name, result }); return result; };
const watchdog = setTimeout(() => { console.error('v2-client: scenario took over 30 s'); process.exit(2); }, 30_000);
try {
  await client.connect(new StdioClientTransport({ command: argv[0], args: argv.slice(1), stderr: 'inherit' }));
  steps.push({ name: 'connect', result: client.getServerVersion() });
  await step('tools/list', async () => (await client.listTools()).tools.map((t) => t.name));
  if (scenario === 'v2server') {
    await step('echo', () => client.callTool({ name: 'echo', arguments: { message: NON_ASCII } }));
    await step('progress', async () => {
      const progress = [];
      const result = await client.callTool({ name: 'slow', arguments: { steps: 3, delayMs: 50 } }, { onprogress: (p) => progress.push(p) });
      return { progress, result };
    });
    await step('input required (multi round-trip)', () => client.callTool({ name: 'confirm', arguments: { action: 'deploy' } }));
  } else {
    await step('echo', () => client.callTool({ name: 'echo', arguments: { message: NON_ASCII } }));
  }
  process.stdout.write(JSON.stringify({ mode, scenario, steps }) + '\n');
} finally {
  clearTimeout(watchdog);
  await client.close();
}
