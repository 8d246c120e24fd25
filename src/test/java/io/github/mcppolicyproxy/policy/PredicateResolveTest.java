package io.github.mcppolicyproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Predicates#resolve} walks objects without making lists until it meets an array; this test
 * holds it equal to the plain walk (every segment over every value, arrays entered, the result
 * flattened but for {@code contains} and {@code exists}) on generated trees and paths.
 */
class PredicateResolveTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] NAMES = {"a", "b", "c"};
  private static final String[] OPS = {"eq", "regex", "contains", "exists", "in", "gt"};

  @Test
  void theWalkFindsWhatThePlainWalkFinds() {
    Random random = new Random(14);
    int nonEmpty = 0;
    int throughArrays = 0;
    java.util.Map<String, Predicate> predicates = new java.util.HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      JsonNode root = NODES.objectNode().set("args", tree(random, 1));
      List<String> path = new ArrayList<>(List.of("args"));
      int length = 1 + random.nextInt(3);
      for (int s = 0; s < length; s++) {
        path.add(NAMES[random.nextInt(NAMES.length)]);
      }
      String op = OPS[random.nextInt(OPS.length)];
      Predicate p = predicates.computeIfAbsent(String.join(".", path) + " " + op, k -> PredicatesTest.predicate(
          "{\"path\":\"" + String.join(".", path) + "\",\"op\":\"" + op + "\",\"value\":"
              + (op.equals("in") ? "[\"x\"]" : op.equals("exists") ? "true" : op.equals("gt") ? "1" : "\"x\"") + "}"));
      List<JsonNode> expected = plainWalk(p, root);
      List<JsonNode> actual = Predicates.resolve(p, root);
      assertThat(actual).as("%s over %s", p.path(), root).containsExactlyElementsOf(expected);
      for (int k = 0; k < expected.size(); k++) {
        assertThat(actual.get(k)).as("the same node, not a copy").isSameAs(expected.get(k));
      }
      nonEmpty += expected.isEmpty() ? 0 : 1;
      throughArrays += root.toString().contains("[") && !expected.isEmpty() ? 1 : 0;
    }
    assertThat(nonEmpty).as("paths that find something").isGreaterThan(2_000);
    assertThat(throughArrays).as("finds in trees with arrays").isGreaterThan(1_500);
  }

  /** A small tree of objects (keys a, b, c), arrays, strings, numbers and nulls. */
  private static JsonNode tree(Random random, int depth) {
    int roll = random.nextInt(20); // objects 8 in 20, arrays 5, values 7; only values at depth 4
    int kind = depth >= 4 ? 2 + roll % 3 : roll < 8 ? 0 : roll < 13 ? 1 : 2 + roll % 3;
    switch (kind) {
      case 0 -> {
        ObjectNode o = NODES.objectNode();
        for (String name : NAMES) {
          if (random.nextInt(3) > 0) {
            o.set(name, tree(random, depth + 1));
          }
        }
        return o;
      }
      case 1 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          a.add(tree(random, depth + 1));
        }
        return a;
      }
      case 2 -> {
        return NODES.textNode(random.nextBoolean() ? "x" : "y");
      }
      case 3 -> {
        return NODES.numberNode(random.nextInt(3));
      }
      default -> {
        return NODES.nullNode();
      }
    }
  }

  /**
   * The walk as the specification says it, written recursively (an oracle independent of the
   * engine's loop): objects are entered by name, arrays into every element at every step, and the
   * values found stand for their elements (arrays flattened) but for {@code contains} and
   * {@code exists}.
   */
  private static List<JsonNode> plainWalk(Predicate p, JsonNode root) {
    List<JsonNode> found = new ArrayList<>();
    walk(root, p.path(), 0, found);
    if (p.op() == Predicate.Op.CONTAINS || p.op() == Predicate.Op.EXISTS) {
      return found;
    }
    List<JsonNode> flat = new ArrayList<>();
    found.forEach(n -> flatten(n, flat));
    return flat;
  }

  private static void walk(JsonNode n, List<String> path, int step, List<JsonNode> out) {
    if (step == path.size()) {
      out.add(n);
    } else if (n.isArray()) {
      n.forEach(e -> walk(e, path, step, out));
    } else if (n.isObject() && n.get(path.get(step)) != null) {
      walk(n.get(path.get(step)), path, step + 1, out);
    }
  }

  private static void flatten(JsonNode n, List<JsonNode> out) {
    if (n.isArray()) {
      n.forEach(e -> flatten(e, out));
    } else {
      out.add(n);
    }
  }
}
