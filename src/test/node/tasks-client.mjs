#!/usr/bin/env node
// Calls tools as tasks with the official Tasks requester (@modelcontextprotocol/ext-tasks) on the
// TypeScript SDK v2 client, speaking 2025-11-25 (the era ext-tasks drives without a raw dispatch
// path) to the command after "--": an echo task that completes, then a slow task cancelled with
// tasks/cancel, then the same slow tool again (a policy limit of one a minute lets it run only if
// the cancelled task's permit came back), cancelled too. Prints {"steps":[...]} on stdout.
// Usage: node tasks-client.mjs -- cmd...
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  createTaskSessionFromClient,
  resultFromTaskOutcome,
  toolDeclarationFromMcpTool,
} from '@modelcontextprotocol/ext-tasks/client';
import { splitCommand } from './lib/lines.mjs';

const { command } = splitCommand(process.argv.slice(2));
const client = new Client(
  { name: 'mcp-policy-proxy-tasks-client', version: '1.0.0' },
  { capabilities: {}, versionNegotiation: { mode: 'legacy' } },
);
const steps = [];
const step = async (name, fn) => {
  try {
    steps.push({ name, result: await fn() });
  } catch (e) {
    steps.push({ name, error: String(e?.message ?? e) });
  }
};
const watchdog = setTimeout(() => { console.error('tasks-client: scenario took over 60 s'); process.exit(2); }, 60_000);
await client.connect(new StdioClientTransport({ command: command[0], args: command.slice(1), stderr: 'inherit' }));
// The application decides to run every listed tool as a task (the server allows it: "optional").
const listed = (await client.listTools()).tools;
const declarations = new Map(listed.map((t) => [t.name, { ...toolDeclarationFromMcpTool(t), taskSupport: 'required' }]));
const session = createTaskSessionFromClient(client, {
  endpointId: 'mcp-policy-proxy-it',
  tools: { currentTool: (name) => declarations.get(name) },
});
try {
  await step('capabilities', async () => client.getServerCapabilities()?.tasks ?? null);
  await step('echo', async () => {
    const { outcome } = await (await session.callTool('standin_echo', { marker: 'task-peer' })).settle();
    return { status: outcome.status, result: resultFromTaskOutcome(outcome) };
  });
  for (const name of ['slow', 'slow again']) {
    await step(name, async () => {
      const execution = await session.callTool('standin_sleep', { millis: 60000 });
      await execution.cancelTask();
      const settled = await execution.settle().then((s) => s.outcome.status, (e) => `settle: ${e?.message ?? e}`);
      return { kind: execution.kind, settled };
    });
  }
} finally {
  clearTimeout(watchdog);
  await session.close();
  await client.close();
}
process.stdout.write(JSON.stringify({ steps }) + '\n');
