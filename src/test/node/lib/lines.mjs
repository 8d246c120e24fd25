// Splits a byte stream into newline-delimited frames without decoding it, so that whoever
// consumes a frame sees exactly the bytes that were on the wire (a trailing \r stays part of it).

/**
 * Returns a chunk handler that calls onLine(Buffer) for every complete line (without its \n),
 * and a flush() that returns the unterminated rest, if any.
 */
export function lineSplitter(onLine) {
  let pending = [];
  let pendingLength = 0;
  function push(chunk) {
    let start = 0;
    let nl;
    while ((nl = chunk.indexOf(0x0a, start)) !== -1) {
      let line = chunk.subarray(start, nl);
      if (pendingLength > 0) {
        pending.push(line);
        line = Buffer.concat(pending, pendingLength + line.length);
        pending = [];
        pendingLength = 0;
      }
      onLine(line);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pending.push(rest);
      pendingLength += rest.length;
    }
  }
  function flush() {
    if (pendingLength === 0) return null;
    const rest = Buffer.concat(pending, pendingLength);
    pending = [];
    pendingLength = 0;
    return rest;
  }
  return { push, flush };
}

/** Splits argv at the first "--": options before it, the command after it. */
export function splitCommand(argv) {
  const i = argv.indexOf('--');
  if (i < 0 || i === argv.length - 1) {
    throw new Error('expected "-- <command> [args...]" at the end of the arguments');
  }
  return { options: argv.slice(0, i), command: argv.slice(i + 1) };
}

/** Reads "--name value" pairs (repeatable names collect into arrays when listed in `repeatable`). */
export function parseOptions(args, repeatable = []) {
  const out = {};
  for (const name of repeatable) out[name] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const name = a.slice(2);
    const value = i + 1 < args.length && !args[i + 1].startsWith('--') ? args[++i] : 'true';
    if (repeatable.includes(name)) out[name].push(value);
    else out[name] = value;
  }
  return out;
}
