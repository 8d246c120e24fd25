package io.github.mcppolicyproxy.jsonrpc;

/** Searches in a frame's bytes, before (or instead of) parsing it. */
public final class Bytes {
  private Bytes() {}

  /** The index of the first {@code needle} in {@code hay}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
