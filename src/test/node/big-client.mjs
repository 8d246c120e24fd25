#!/usr/bin/env node
// Asks big-server.mjs (the command after "--", directly or behind a proxy) for tool results of the
// given sizes and prints, as one JSON line per size, the answer frame's length and SHA-256 and the
// result text's length and SHA-256 (see lib/big-frames.mjs).
// Usage: node big-client.mjs --sizes 20000000,60000000 -- cmd [args...]
import { fetchBig } from './lib/big-frames.mjs';
import { splitCommand, parseOptions } from './lib/lines.mjs';

const { options, command } = splitCommand(process.argv.slice(2));
const opts = parseOptions(options);
const sizes = String(opts.sizes ?? '20000000,60000000').split(',').map(Number);
for (const r of await fetchBig(command, sizes)) process.stdout.write(JSON.stringify(r) + '\n');
