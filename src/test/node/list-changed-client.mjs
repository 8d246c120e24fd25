#!/usr/bin/env node
// The official TS SDK 1.x Client against the command after "--": lists the tools, prints
// {"step":"listed",...}, waits for notifications/tools/list_changed, lists again and prints
// {"step":"changed",...}. The test changes the proxy's policy file in between.
// Usage: node list-changed-client.mjs -- cmd [args...]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { splitCommand } from './lib/lines.mjs';

const { command } = splitCommand(process.argv.slice(2));
const transport = new StdioClientTransport({ command: command[0], args: command.slice(1), stderr: 'inherit' });
const client = new Client({ name: 'list-changed-client', version: '1.0.0' }, { capabilities: {} });
let notifications = 0;
let changed;
const notified = new Promise((resolve) => { changed = resolve; });
client.setNotificationHandler(ToolListChangedNotificationSchema, () => { notifications++; changed(); });

const watchdog = setTimeout(() => { console.error('list-changed-client: no list_changed within 60 s'); process.exit(2); }, 60_000);
const names = async () => (await client.listTools()).tools.map((t) => t.name).sort();
try {
  await client.connect(transport);
  const before = await names();
  const listChanged = client.getServerCapabilities()?.tools?.listChanged ?? null;
  process.stdout.write(JSON.stringify({ step: 'listed', before, listChanged }) + '\n');
  await notified;
  const after = await names();
  process.stdout.write(JSON.stringify({ step: 'changed', after, notifications }) + '\n');
} finally {
  clearTimeout(watchdog);
  await client.close();
}
