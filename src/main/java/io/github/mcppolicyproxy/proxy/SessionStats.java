package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.policy.Code;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one session did, for its summary when it ends: {@code tools/call} messages seen, forwarded
 * and refused (by code), approvals asked and granted, policy reloads applied. Thread-safe.
 */
public final class SessionStats {
  private final Instant started;
  private long seen;
  private long forwarded;
  private long asked;
  private long granted;
  private long reloads;
  private final Map<Code, Long> refused = new EnumMap<>(Code.class);

  public SessionStats(Instant started) {
    this.started = java.util.Objects.requireNonNull(started, "started");
  }

  synchronized void seen() {
    seen++;
  }

  synchronized void forwarded() {
    forwarded++;
  }

  /** A call refused (or, in monitor mode, that would have been) with {@code code}. */
  synchronized void refused(Code code) {
    refused.merge(code, 1L, Long::sum);
  }

  synchronized void asked() {
    asked++;
  }

  synchronized void granted() {
    granted++;
  }

  /** A new policy version came into force. */
  public synchronized void reloaded() {
    reloads++;
  }

  /** The summary's members, in the log's snake_case, as of {@code now}. */
  public synchronized Map<String, Object> summary(Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("calls_seen", seen);
    m.put("calls_forwarded", forwarded);
    Map<String, Long> byCode = new LinkedHashMap<>();
    refused.forEach((c, n) -> byCode.put(c.wire(), n));
    m.put("refused", byCode);
    m.put("approvals_asked", asked);
    m.put("approvals_granted", granted);
    m.put("reloads", reloads);
    m.put("duration_seconds", Duration.between(started, now).toMillis() / 1000.0);
    return m;
  }

  /** One human line: "12 calls, 9 forwarded, refused 2 denied 1 rate_limited, ...". */
  public synchronized String line(Instant now) {
    String byCode = refused.isEmpty() ? "none" : refused.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().wire()).collect(Collectors.joining(", "));
    long ms = Duration.between(started, now).toMillis();
    return seen + (seen == 1 ? " call" : " calls") + ", " + forwarded + " forwarded, refused: "
        + byCode + "; approvals " + granted + "/" + asked + " granted; " + reloads
        + (reloads == 1 ? " reload" : " reloads") + "; " + String.format(java.util.Locale.ROOT,
            "%.1f s", ms / 1000.0);
  }
}
