#!/usr/bin/env node
// Sends a script of raw frames to the command after "--" and records every line of its stdout
// byte-exactly. The script is read as bytes; each line is one of:
//   a frame          sent exactly as written (plus "\n")
//   @wait-id ID      wait for a response (or a batch member) whose id, as JSON, is ID
//   @wait-method M   wait for one more request/notification with method M than seen so far
//   @sleep MS        pause
//   # comment, or a blank line: ignored
// Usage: node raw-client.mjs --script FILE [--out FILE] [--transcript FILE] [--timeout MS]
//          [--grace MS] -- cmd...
import { spawn } from 'node:child_process';
import { readFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { lineSplitter, splitCommand, parseOptions } from './lib/lines.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const { options, command } = splitCommand(process.argv.slice(2));
const opts = parseOptions(options);
if (!opts.script) throw new Error('raw-client: --script FILE is required');
const stepTimeout = Number(opts.timeout ?? 10_000);
const argv = opts.transcript
  ? ['node', join(HERE, 'wiretap.mjs'), '--log', opts.transcript, '--', ...command]
  : command;

const out = opts.out ? openSync(opts.out, 'w') : null;
const waitCounts = {};
const received = [];          // parsed view of each stdout line (null when not JSON)
let waiter = null;
const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
child.on('error', (e) => { console.error(`raw-client: cannot start ${argv[0]}: ${e.message}`); process.exit(127); });
const splitter = lineSplitter((line) => {
  if (out !== null) writeSync(out, Buffer.concat([line, Buffer.from('\n')]));
  let parsed = null;
  try { parsed = JSON.parse(line.toString('utf8')); } catch { /* recorded all the same */ }
  received.push(parsed);
  if (waiter?.check()) waiter = null;
});
child.stdout.on('data', (chunk) => splitter.push(chunk));
const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));

const messages = () => received.flatMap((m) => (Array.isArray(m) ? m : m === null ? [] : [m]));
const countMethod = (method) => messages().filter((m) => m?.method === method).length;

function waitUntil(description, predicate) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { waiter = null; reject(new Error(`raw-client: timed out waiting for ${description}`)); }, stepTimeout);
    const w = { check: () => { if (!predicate()) return false; clearTimeout(timer); resolve(); return true; } };
    if (!w.check()) waiter = w;
  });
}

let status = 0;
try {
  const script = readFileSync(opts.script);
  let start = 0;
  while (start < script.length) {
    let end = script.indexOf(0x0a, start);
    if (end < 0) end = script.length;
    const line = script.subarray(start, end);
    start = end + 1;
    const text = line.toString('utf8').trim();
    if (text === '' || text.startsWith('#')) continue;
    if (text.startsWith('@wait-id ')) {
      const id = text.slice('@wait-id '.length).trim();
      await waitUntil(`a response with id ${id}`, () => messages().some((m) =>
        !('method' in m) && 'id' in m && JSON.stringify(m.id) === JSON.stringify(JSON.parse(id))));
    } else if (text.startsWith('@wait-method ')) {
      const method = text.slice('@wait-method '.length).trim();
      const target = (waitCounts[method] = (waitCounts[method] ?? 0) + 1);
      await waitUntil(`${method} #${target}`, () => countMethod(method) >= target);
    } else if (text.startsWith('@sleep ')) {
      await new Promise((r) => setTimeout(r, Number(text.slice('@sleep '.length))));
    } else if (text.startsWith('@')) {
      throw new Error(`raw-client: unknown directive ${text}`);
    } else {
      child.stdin.write(Buffer.concat([line, Buffer.from('\n')]));
    }
  }
} catch (e) {
  console.error(e.message);
  status = 3;
}

child.stdin.end();
const timer = setTimeout(() => child.kill("SIGTERM"), Number(opts.grace ?? 1_000)); // servers need not exit on EOF
const code = await exited;
clearTimeout(timer);
const rest = splitter.flush();
if (rest && out !== null) writeSync(out, rest);
if (out !== null) closeSync(out);
process.exitCode = status || (code === null ? 0 : 0);
