#!/usr/bin/env node
// The TypeScript SDK v2 client (@modelcontextprotocol/client 2.x, protocol 2026-07-28) answering
// the policy proxy's own approval question: the proxy's input request is recognised by its form
// (one boolean "approve") and answered with --answer accept|decline; the upstream's own questions
// (v2-server.mjs's confirm tool) are always accepted. Calls echo, then confirm, and prints every
// result (or error) as one JSON line.
// Usage: node approval-v2-client.mjs --answer accept|decline -- cmd...
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { splitCommand, parseOptions } from './lib/lines.mjs';

const { options, command } = splitCommand(process.argv.slice(2));
const opts = parseOptions(options);
const answer = opts.answer ?? 'accept';
const asked = [];

const client = new Client(
  { name: 'mcp-policy-proxy-approval-client', version: '1.0.0' },
  { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
);
client.setRequestHandler('elicitation/create', async (request) => {
  const params = request.params ?? {};
  const fromProxy = params.requestedSchema?.properties?.approve !== undefined;
  asked.push({ fromProxy, message: params.message });
  if (!fromProxy) return { action: 'accept', content: { confirm: true, who: 'Zoë' } };
  return answer === 'accept' ? { action: 'accept', content: { approve: true } } : { action: 'decline' };
});

const steps = [];
const step = async (name, fn) => {
  try {
    steps.push({ name, result: await fn() });
  } catch (e) {
    steps.push({ name, error: String(e?.message ?? e) });
  }
};
const watchdog = setTimeout(() => { console.error('approval-v2-client: took over 60 s'); process.exit(2); }, 60_000);
try {
  await client.connect(new StdioClientTransport({ command: command[0], args: command.slice(1), stderr: 'inherit' }));
  await step('echo', () => client.callTool({ name: 'echo', arguments: { message: 'ship it' } }));
  await step('confirm', () => client.callTool({ name: 'confirm', arguments: { action: 'deploy' } }));
  process.stdout.write(JSON.stringify({ answer, asked, steps }) + '\n');
} finally {
  clearTimeout(watchdog);
  await client.close();
}
