package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** Streaming look-ups inside a JSON object, for the answers the proxy rewrites in place. */
final class JsonMembers {
  private JsonMembers() {}

  /**
   * Advances {@code p}, positioned inside an object, to the value of its member {@code name},
   * skipping the others whole; false (the object read to its end) when there is no such member.
   */
  static boolean seek(JsonParser p, String name) throws IOException {
    String n;
    while ((n = p.nextFieldName()) != null) {
      p.nextToken();
      if (n.equals(name)) {
        return true;
      }
      p.skipChildren();
    }
    return false;
  }
}
