package io.github.mcppolicyproxy.jsonrpc;

/**
 * A look at a long line's bytes while {@link FrameReader} reads them, so that what would be a
 * pass over a large frame after its last byte is done while the sender is still writing it.
 * Fed every byte of the line in order, in pieces of any size, then told its length: a look that
 * was not fed exactly that many bytes must know nothing. Not thread-safe: one per line.
 */
public interface LineLook {
  /** The line's next bytes, {@code b[from, to)}. */
  void feed(byte[] b, int from, int to);

  /** The line has ended, {@code length} bytes long. */
  void ended(int length);
}
