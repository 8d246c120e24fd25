package io.github.mcppolicyproxy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;

/**
 * A log record's detail values as JSON nodes: strings, numbers, booleans, nulls, nodes, and maps
 * (with string keys) and lists of them are made directly; anything else goes through the
 * mapper's {@code valueToTree}, as every value did before. The mapper's serializer lookup for
 * the plain types cost a session's first record (its summary, as it ends) ~40 ms of CPU in a cold
 * JVM. The JSON written is the same either way ({@code DetailNodesTest}).
 */
final class DetailNodes {
  private DetailNodes() {}

  static JsonNode node(ObjectMapper mapper, Object v) {
    if (v == null) {
      return NullNode.getInstance();
    }
    if (v instanceof JsonNode n) {
      return n;
    }
    if (v instanceof String s) {
      return TextNode.valueOf(s);
    }
    if (v instanceof Boolean b) {
      return BooleanNode.valueOf(b);
    }
    if (v instanceof Integer i) {
      return IntNode.valueOf(i);
    }
    if (v instanceof Long l) {
      return LongNode.valueOf(l);
    }
    if (v instanceof Double d) {
      return DoubleNode.valueOf(d);
    }
    if (v instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
      ObjectNode o = mapper.createObjectNode();
      m.forEach((k, x) -> o.set((String) k, node(mapper, x)));
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = mapper.createArrayNode();
      l.forEach(x -> a.add(node(mapper, x)));
      return a;
    }
    return mapper.valueToTree(v);
  }
}
