#!/usr/bin/env node
// A byte-exact tee for stdio MCP: spawns the command after "--", relays stdin/stdout chunks
// unchanged (not even re-chunked), and appends every newline-delimited frame to the log as
//   {"dir":"c2s"|"s2c","frame":<the frame's exact bytes>}
// or, when a line is not JSON, {"dir":...,"text":"<the line as a JSON string>"}.
// Usage: node wiretap.mjs --log FILE -- cmd [args...]
import { spawn } from 'node:child_process';
import { openSync, writeSync, closeSync } from 'node:fs';
import { lineSplitter, splitCommand, parseOptions } from './lib/lines.mjs';

const { options, command } = splitCommand(process.argv.slice(2));
const opts = parseOptions(options);
if (!opts.log) throw new Error('wiretap: --log FILE is required');
const log = openSync(opts.log, 'a');

const PREFIX = { c2s: Buffer.from('{"dir":"c2s","frame":'), s2c: Buffer.from('{"dir":"s2c","frame":') };
const SUFFIX = Buffer.from('}\n');

function record(dir, line, partial = false) {
  let isJson = !partial && line.length > 0;
  if (isJson) {
    try { JSON.parse(line.toString('utf8')); } catch { isJson = false; }
  }
  const entry = isJson
    ? Buffer.concat([PREFIX[dir], line, SUFFIX])
    : Buffer.from(JSON.stringify({ dir, text: line.toString('utf8'), ...(partial ? { partial } : {}) }) + '\n');
  writeSync(log, entry);
}

const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
child.on('error', (e) => { console.error(`wiretap: cannot start ${command[0]}: ${e.message}`); process.exit(127); });

function tee(dir, from, to) {
  const splitter = lineSplitter((line) => record(dir, line));
  from.on('data', (chunk) => {
    splitter.push(chunk);
    if (!to.write(chunk)) { from.pause(); to.once('drain', () => from.resume()); }
  });
  return splitter;
}

const c2s = tee('c2s', process.stdin, child.stdin);
process.stdin.on('end', () => {
  const rest = c2s.flush();
  if (rest) record('c2s', rest, true);
  child.stdin.end();
});
child.stdin.on('error', () => {}); // the child may exit before reading everything; its exit code tells

const s2c = tee('s2c', child.stdout, process.stdout);
child.on('close', (code, signal) => {
  const rest = s2c.flush();
  if (rest) record('s2c', rest, true);
  closeSync(log);
  process.exitCode = code ?? (signal ? 128 + 15 : 1);
  process.stdin.destroy();
});
process.stdout.on('error', () => child.kill('SIGTERM')); // the reader went away
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
