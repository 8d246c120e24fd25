#!/usr/bin/env node
// Drives a scripted session with the official TS SDK 1.x Client over stdio against the command
// after "--". Every step waits for what it caused, so that each direction's frame sequence is
// the same on every run. With --transcript FILE the command is started behind wiretap.mjs.
// Usage: node ts-client.mjs --scenario NAME [--protocol VERSION] [--transcript FILE]
//          [--root DIR] -- cmd [args...]
// Scenarios: handshake, everything, filesystem, v2server-legacy (transparency: the same frames with
// and without the proxy), enforcement (what a client sees of a policy that refuses calls) and
// standin (the built-in stand-in behind the seed policy).
// Prints one JSON line on stdout: {"scenario":...,"protocolVersion":...,"steps":[...]}.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ObservedTransport, isMethod, isLog } from './lib/observed-transport.mjs';
import { splitCommand, parseOptions } from './lib/lines.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const { options, command } = splitCommand(process.argv.slice(2));
const opts = parseOptions(options);
const scenarios = { handshake, everything, filesystem, 'v2server-legacy': v2serverLegacy, enforcement, standin };
const scenario = scenarios[opts.scenario];
if (!scenario) throw new Error(`unknown --scenario ${opts.scenario}; one of ${Object.keys(scenarios)}`);

const argv = opts.transcript
  ? ['node', join(HERE, 'wiretap.mjs'), '--log', opts.transcript, '--', ...command]
  : command;
const stdio = new StdioClientTransport({ command: argv[0], args: argv.slice(1), stderr: 'inherit' });
const transport = new ObservedTransport(stdio, { protocolVersion: opts.protocol });

const NON_ASCII = 'héllo wörld — 日本語 — 😀 𝄞 — \u2028 end';
const ROOTS = [{ uri: 'file:///tmp/r%C3%A9pertoire', name: 'répertoire 😀' }];
// Scenarios whose client declares sampling, elicitation and roots (and answers them).
const INTERACTIVE = ['everything', 'v2server-legacy', 'enforcement'].includes(opts.scenario);
const steps = [];
const step = async (name, fn) => {
  const result = await fn();
  steps.push({ name, result });
  return result;
};

const client = new Client(
  { name: 'mcp-policy-proxy-ts-client', version: '1.0.0' },
  {
    capabilities: INTERACTIVE ? { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } : {},
  },
);
if (INTERACTIVE) answerServerRequests();

function answerServerRequests() {
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant', model: 'scripted-model', stopReason: 'endTurn',
    content: { type: 'text', text: `sampled: ${NON_ASCII}` },
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({
    action: 'accept', content: { name: 'Zoë 😀', check: true, integer: 7, number: 1.5, confirm: true, who: 'Zoë 😀' },
  }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: ROOTS }));
}

const watchdog = setTimeout(() => { console.error('ts-client: scenario took over 60 s'); process.exit(2); }, 60_000);
try {
  await client.connect(transport);
  steps.push({ name: 'initialize', result: { server: client.getServerVersion() } });
  await scenario();
  process.stdout.write(JSON.stringify({ scenario: opts.scenario, requested: opts.protocol ?? 'sdk-default', steps }) + '\n');
} finally {
  clearTimeout(watchdog);
  await client.close();
}

async function handshake() {
  await step('ping', () => client.ping());
  await step('tools/list', async () => (await client.listTools()).tools.map((t) => t.name));
  await step('echo', () => client.callTool({ name: 'echo', arguments: { message: NON_ASCII } }));
}

async function everything() {
  // server-everything registers its capability-gated tools on notifications/initialized and
  // asks for roots 350 ms later; wait for both so that later frames keep their order.
  await step('roots/list from server', () => transport.waitFor('roots/list', isMethod('roots/list')));
  await step('roots logged', () => transport.waitFor('"Roots updated" log', isLog('Roots updated')));
  await step('ping', () => client.ping());
  await step('logging/setLevel', () => client.setLoggingLevel('debug'));

  await step('tools/list (all pages)', listAllTools);
  await step('tools/list with a foreign cursor', () =>
    client.listTools({ cursor: 'not-a-cursor-of-this-server' }).then((r) => r.tools.length, (e) => `error: ${e.message}`));

  await step('echo non-ASCII', () => client.callTool({ name: 'echo', arguments: { message: NON_ASCII } }));
  await step('binary (base64 image)', () => client.callTool({ name: 'get-tiny-image', arguments: {} }));
  await step('structured content', () => client.callTool({ name: 'get-structured-content', arguments: { location: 'New York' } }));

  await step('progress', async () => {
    const progress = [];
    const result = await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    return { progress, result };
  });

  await step('cancellation', async () => {
    // Cancelled on the first progress notification; the server still sends its second
    // (it does not watch the abort signal) and never answers the request.
    const controller = new AbortController();
    const call = client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } },
      undefined,
      { signal: controller.signal, onprogress: () => controller.abort('scripted cancel') },
    ).then(() => 'answered', (e) => `rejected: ${e.message ?? e}`);
    const outcome = await call;
    const lastProgress = await transport.waitFor('the progress sent after cancel',
      (m) => m.method === 'notifications/progress' && m.params.progress === 2 && m.params.total === 2);
    return { outcome, lastProgress: lastProgress.params.progress };
  });

  await step('sampling/createMessage', () =>
    client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: `say ${NON_ASCII}`, maxTokens: 20 } }));
  await step('elicitation/create', () => client.callTool({ name: 'trigger-elicitation-request', arguments: {} }));
  await step('get-roots-list', () => client.callTool({ name: 'get-roots-list', arguments: {} }));
  await step('roots list_changed', async () => {
    await client.sendRootsListChanged();
    await transport.waitFor('second roots/list', isMethod('roots/list'), { count: 2 });
    return transport.waitFor('second "Roots updated" log', isLog('Roots updated'), { count: 2 });
  });

  const resources = await step('resources/list', async () => (await client.listResources()).resources.map((r) => r.uri));
  await step('resources/templates/list', () => client.listResourceTemplates());
  await step('resources/read static', () => client.readResource({ uri: resources[0] }));
  await step('resources/read dynamic text', () => client.readResource({ uri: 'demo://resource/dynamic/text/1' }));
  const uri = 'demo://resource/dynamic/text/2';
  await step('resources/subscribe', () => client.subscribeResource({ uri }));
  await step('notifications/resources/updated', async () => {
    await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    const updated = await transport.waitFor('resources/updated', isMethod('notifications/resources/updated'));
    await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    return updated;
  });
  await step('resources/unsubscribe', () => client.unsubscribeResource({ uri }));

  await step('prompts/list', () => client.listPrompts());
  await step('prompts/get simple', () => client.getPrompt({ name: 'simple-prompt' }));
  await step('prompts/get args non-ASCII', () => client.getPrompt({ name: 'args-prompt', arguments: { city: 'Zürich', state: 'Genève 😀' } }));
  await step('completion/complete prompt', () => client.complete({
    ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'E' },
  }));
  await step('completion/complete template', () => client.complete({
    ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' }, argument: { name: 'resourceId', value: '3' },
  }));
  await step('tools/call unknown tool', () => client.callTool({ name: 'no-such-tool', arguments: {} }).catch((e) => `error: ${e.message}`));
  await step('final ping', () => client.ping());
}

async function v2serverLegacy() {
  // The v2 SDK server's 2025 path still sends server-to-client requests: a ping, an elicitation.
  await step('tools/list', async () => (await client.listTools()).tools.map((t) => t.name));
  await step('server-to-client ping', () => client.callTool({ name: 'ping-client', arguments: {} }));
  await step('server-to-client elicitation', () => client.callTool({ name: 'confirm', arguments: { action: 'deploy' } }));
  await step('ping', () => client.ping());
}

async function filesystem() {
  const root = opts.root;
  if (!root) throw new Error('--root DIR is required for the filesystem scenario');
  await step('tools/list', async () => (await client.listTools()).tools.map((t) => t.name));
  await step('list_allowed_directories', () => client.callTool({ name: 'list_allowed_directories', arguments: {} }));
  await step('list_directory', () => client.callTool({ name: 'list_directory', arguments: { path: root } }));
  await step('read_text_file non-ASCII name', () =>
    client.callTool({ name: 'read_text_file', arguments: { path: join(root, 'résumé 😀.txt') } }));
  await step('read_media_file (base64)', () =>
    client.callTool({ name: 'read_media_file', arguments: { path: join(root, 'pixel.png') } }));
  await step('directory_tree', () => client.callTool({ name: 'directory_tree', arguments: { path: root } }));
  await step('read outside the root is refused by the server', () =>
    client.callTool({ name: 'read_text_file', arguments: { path: '/etc/hostname' } }));
}

/** The names of every tool, following nextCursor through all pages. */
async function listAllTools() {
  const names = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    names.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

async function standin() {
  // The built-in stand-in (`mcp-policy-proxy stand-in`) behind the proxy with the seed policy: the
  // README's way to try the proxy in a client without AWS. Reports what the client saw.
  await step('tools/list', listAllTools);
  const call = (name, args) => client.callTool({ name, arguments: args })
    .catch((e) => ({ thrown: String(e.message ?? e) }));
  await step('StartAHOReadSetExportJob', () => call('StartAHOReadSetExportJob', {
    sequence_store_id: '1234567890', destination_s3_uri: 's3://genomics-exports/run-1/',
    role_arn: 'arn:aws:iam::123456789012:role/OmicsExport', read_set_ids: ['rs-1'],
  }));
  await step('call_aws (denied)', () => call('call_aws', { cli_command: 'aws s3api delete-bucket --bucket prod-data' }));
}

async function enforcement() {
  // Meant to run through the proxy with a policy that denies get-sum, hides
  // trigger-sampling-request and allows echo 3 times a minute; reports what the client saw, the
  // caller asserts. server-everything registers the capability-gated tools (among them the hidden
  // one) on notifications/initialized and then announces them: list the tools after that.
  await step('tools/list_changed', () => transport.waitFor('tools/list_changed', isMethod('notifications/tools/list_changed')));
  await step('tools/list', listAllTools);
  const call = (name, args, options) => client.callTool({ name, arguments: args }, undefined, options)
    .catch((e) => ({ thrown: String(e.message ?? e) }));
  await step('get-sum (denied)', () => call('get-sum', { a: 2, b: 3 }));
  await step('get-tiny-image (allowed)', () => call('get-tiny-image', {}));
  for (let i = 1; i <= 4; i++) await step(`echo #${i}`, () => call('echo', { message: `echo ${i} ${NON_ASCII}` }));
  await step('trigger-long-running-operation (allowed, with progress)', async () => {
    const sdkOnprogress = [];
    const result = await call('trigger-long-running-operation', { duration: 0.3, steps: 3 },
      { onprogress: (p) => sdkOnprogress.push(p) });
    // Counted at the transport, in arrival order: the 1.x Client's onprogress sometimes drops the
    // last progress, which the server sends right before the result (seen without any proxy too).
    const progress = transport.seen.filter(isMethod('notifications/progress'))
      .map((m) => ({ progress: m.params.progress, total: m.params.total }));
    return { progress, sdkOnprogress: sdkOnprogress.length, result };
  });
  await step('trigger-sampling-request (hidden)', () =>
    call('trigger-sampling-request', { prompt: 'hello', maxTokens: 5 }));
  await step('ping', () => client.ping());
}
