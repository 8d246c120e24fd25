#!/usr/bin/env node
// The floor of a parsing stdio proxy: spawns the command after "--" and, in each direction,
// JSON.parses every line and writes the original line bytes unchanged. Used as the stand-in
// proxy under test and as a benchmark baseline.
// Usage: node passthrough.mjs -- cmd [args...]
import { spawn } from 'node:child_process';
import { lineSplitter, splitCommand } from './lib/lines.mjs';

const { command } = splitCommand(process.argv.slice(2));
const NL = Buffer.from('\n');
const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
child.on('error', (e) => { console.error(`passthrough: cannot start ${command[0]}: ${e.message}`); process.exit(127); });

function relay(from, to) {
  const splitter = lineSplitter((line) => {
    try { JSON.parse(line.toString('utf8')); } catch { /* forwarded all the same */ }
    to.write(line);
    if (!to.write(NL)) { from.pause(); to.once('drain', () => from.resume()); }
  });
  from.on('data', (chunk) => splitter.push(chunk));
  return splitter;
}

const up = relay(process.stdin, child.stdin);
process.stdin.on('end', () => {
  const rest = up.flush();
  if (rest) child.stdin.write(rest);
  child.stdin.end();
});
child.stdin.on('error', () => {});
const down = relay(child.stdout, process.stdout);
child.on('close', (code, signal) => {
  const rest = down.flush();
  if (rest) process.stdout.write(rest);
  process.exitCode = code ?? (signal ? 128 + 15 : 1);
  process.stdin.destroy();
});
process.stdout.on('error', () => child.kill('SIGTERM')); // the reader went away
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
