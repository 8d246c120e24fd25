package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.audit.ViolationLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A violation log that keeps what it is given, for the proxy's tests; always healthy. */
final class RecordingLog implements ViolationLog {
  /** The refusals appended, in order. */
  final List<Violation> records = Collections.synchronizedList(new ArrayList<>());
  /** The events appended, in order. */
  final List<LogEvent> events = Collections.synchronizedList(new ArrayList<>());
  /** The samples {@link #warmUp} was given (nothing of them is a record). */
  final List<Violation> warmUps = Collections.synchronizedList(new ArrayList<>());

  @Override
  public boolean append(Violation v) {
    records.add(v);
    return true;
  }

  @Override
  public boolean appendEvent(LogEvent e) {
    events.add(e);
    return true;
  }

  @Override
  public void warmUp(Violation sample) {
    warmUps.add(sample);
  }

  @Override
  public boolean healthy() {
    return true;
  }

  @Override
  public void close() {}
}
