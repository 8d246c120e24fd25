package io.github.mcppolicyproxy.audit;

/**
 * Where refusals are recorded. {@link #append} returns only after the record is durable enough for
 * an operator's {@code tail -f} (written and flushed), or after it was written whole to stderr with a
 * marker when the log cannot be written.
 */
public interface ViolationLog extends AutoCloseable {
  /**
   * Records {@code v}. Returns true when it reached the log, false when the log is down and the
   * record went to stderr instead. Never throws for I/O failures.
   */
  boolean append(Violation v);

  /**
   * Records an event that is not a refusal (a reload, a session's summary), under the same rules as
   * {@link #append}. A log that keeps only refusals may ignore events; it returns true then.
   */
  default boolean appendEvent(LogEvent e) {
    return true;
  }

  /**
   * Makes ready, without writing anything, what writing {@code sample} would need (the first record
   * of a session otherwise pays for it: its serializers, its parser). A log with nothing to make
   * ready ignores it.
   */
  default void warmUp(Violation sample) {}

  /** True while the last write (or reopen) succeeded. */
  boolean healthy();

  @Override
  void close();
}
