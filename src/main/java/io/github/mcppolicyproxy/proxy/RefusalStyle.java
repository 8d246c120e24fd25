package io.github.mcppolicyproxy.proxy;

/** How a refused {@code tools/call} is answered. */
public enum RefusalStyle {
  /** A normal tool result with {@code isError: true} that the model can read (the default). */
  RESULT,
  /** A JSON-RPC error (code -32001) with the same details in {@code data}. */
  ERROR
}
