// Large tool results for the large-frame test and the memory harness: the text the big server
// returns, and a raw client that asks for it and hashes what arrives. The raw client is needed:
// the TS SDK 1.x StdioClientTransport refuses any frame over 10 MB (ReadBuffer maxBufferSize).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lineSplitter } from './lines.mjs';

const UNIT = Buffer.from('line of a large tool result: héllo wörld 😀 with a "quote" and a line end, padded with dots............\n');

/** Exactly `bytes` UTF-8 bytes: UNIT repeated (whole units only), then 'x' up to the size. */
export function bigText(bytes) {
  const units = Math.floor(bytes / UNIT.length);
  const buf = Buffer.alloc(bytes, 'x');
  for (let i = 0; i < units; i++) UNIT.copy(buf, i * UNIT.length);
  return buf.toString('utf8');
}

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/**
 * Spawns `command`, initializes (2025-06-18), and calls `big` once per size, one after another.
 * `onAnswer(size, child)` runs after each answer has arrived whole (the memory harness reads the
 * proxy's /proc status there). Resolves to one record per size: the answer frame's length and
 * SHA-256, the result text's UTF-8 length and SHA-256, and the milliseconds the call took.
 */
export async function fetchBig(command, sizes, { onAnswer = async () => {}, stderr = 'inherit', env } = {}) {
  const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', stderr], env: env ?? process.env });
  const waiting = new Map();
  const splitter = lineSplitter((line) => {
    const msg = JSON.parse(line.toString('utf8'));
    const w = waiting.get(msg.id);
    if (w) { waiting.delete(msg.id); w({ line, msg }); }
  });
  child.stdout.on('data', (chunk) => splitter.push(chunk));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const request = (id, method, params) => new Promise((resolve, reject) => {
    waiting.set(id, resolve);
    exited.then((e) => reject(new Error(`${command.join(' ')} exited (${e.code ?? e.signal}) before answering ${method} ${id}`)));
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
  });
  const results = [];
  try {
    await request(0, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'big-client', version: '1.0.0' } });
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    let id = 1;
    for (const size of sizes) {
      const t = performance.now();
      const { line, msg } = await request(id++, 'tools/call', { name: 'big', arguments: { bytes: size } });
      const ms = performance.now() - t;
      const text = msg.result?.content?.[0]?.text;
      if (typeof text !== 'string') throw new Error(`no text result for ${size} bytes: ${line.subarray(0, 300)}`);
      const textBytes = Buffer.from(text, 'utf8');
      results.push({ size, frameBytes: line.length, frameSha256: sha256(line), textBytes: textBytes.length, textSha256: sha256(textBytes), ms: Math.round(ms) });
      await onAnswer(size, child);
    }
  } finally {
    child.stdin.end();
    await exited;
  }
  return results;
}
