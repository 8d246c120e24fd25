package io.github.mcppolicyproxy.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multi round-trip calls of the 2026-07-28 revision: a server that needs input answers a
 * {@code tools/call} with {@code resultType: "input_required"}, and the client sends the same call
 * again with {@code inputResponses} (and the server's {@code requestState}). That retry finishes a
 * call the policy already allowed and charged, so it is judged again by the rules but takes no
 * quota. Only the server can open such a continuation (by answering {@code input_required} to a
 * call this proxy forwarded), each one is used once, and at most {@value #MAX} are kept (oldest
 * dropped): a client cannot mint them. Keys are the tool and the SHA-256 of its canonical arguments.
 * Thread-safe.
 */
public final class Continuations {
  static final int MAX = 10_000;

  private final Map<String, Boolean> open = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX;
    }
  };

  /** Calls a person approved (by key), so that the upstream's own continuations are not asked again. */
  private final Map<String, Boolean> approved = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX;
    }
  };

  /** The key of a call: its tool and arguments. */
  static String key(String tool, String argumentsSha256) {
    return tool + "\u0000" + argumentsSha256;
  }

  /** The server asked for input on the call with this key. */
  public synchronized void open(String key) {
    open.put(key, Boolean.TRUE);
  }

  /** A person approved the call with this key and it was forwarded. */
  public synchronized void approved(String key) {
    if (key != null) {
      approved.put(key, Boolean.TRUE);
    }
  }

  /**
   * True (once) when the call with this key, which continues one the server asked input for, was
   * approved by a person: the continuation is part of the approved call.
   */
  public synchronized boolean takeApproved(String key) {
    return approved.remove(key) != null;
  }

  /** True (once) when the call with this key continues one the server asked input for. */
  public synchronized boolean take(String key) {
    return open.remove(key) != null;
  }
}
