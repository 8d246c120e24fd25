package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates {@link Predicate}s against a call's values, failing closed.
 *
 * <p>A path walks objects by name; where it meets an array it continues into every element, and a
 * value that is an array stands for its elements (except for {@code contains} and {@code exists}).
 * So wrapping a value in an array never changes a decision: {@code require} must hold for every
 * value found (and at least one must be found), {@code deny_if} refuses when it holds for any.
 * A value that cannot be compared (a string where a number is expected, an object for a regex)
 * refuses under both. Numbers compare by value ({@code 1.0 eq 1}); a string that is a number
 * compares as that number for {@code lt}/{@code lte}/{@code gt}/{@code gte}, since servers coerce.
 */
public final class Predicates {
  private Predicates() {}

  private enum Tri {
    TRUE, FALSE, UNKNOWN;

    static Tri of(boolean b) {
      return b ? TRUE : FALSE;
    }
  }

  /** True when {@code p}, used in {@code require}, is satisfied by {@code root}. */
  public static boolean requireHolds(Predicate p, JsonNode root) {
    List<JsonNode> values = resolve(p, root);
    if (p.op() == Predicate.Op.EXISTS) {
      return (!values.isEmpty()) == expectExists(p);
    }
    if (values.isEmpty()) {
      return false;
    }
    for (JsonNode v : values) {
      if (test(p, v) != Tri.TRUE) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code p}, used in {@code deny_if}, refuses the call. */
  public static boolean denyMatches(Predicate p, JsonNode root) {
    List<JsonNode> values = resolve(p, root);
    if (p.op() == Predicate.Op.EXISTS) {
      return (!values.isEmpty()) == expectExists(p);
    }
    for (JsonNode v : values) {
      if (test(p, v) != Tri.FALSE) {
        return true;
      }
    }
    return false;
  }

  private static boolean expectExists(Predicate p) {
    return p.value() == null || p.value().asBoolean();
  }

  static List<JsonNode> resolve(Predicate p, JsonNode root) {
    // the usual case first: objects all the way down, one value found; no list is made until an
    // array is met (then the walk below goes on from there, into every element)
    List<String> path = p.path();
    JsonNode one = root;
    int step = 0;
    while (step < path.size() && one.isObject()) {
      one = one.get(path.get(step));
      if (one == null) {
        return List.of();
      }
      step++;
    }
    if (step == path.size() && !(one.isArray() && p.op() != Predicate.Op.CONTAINS
        && p.op() != Predicate.Op.EXISTS)) {
      return List.of(one);
    }
    if (step < path.size() && !one.isArray()) {
      return List.of(); // a value that is neither object nor array has no children
    }
    List<JsonNode> current = List.of(one);
    for (String segment : path.subList(step, path.size())) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        collect(n, segment, next);
      }
      current = next;
    }
    if (p.op() == Predicate.Op.CONTAINS || p.op() == Predicate.Op.EXISTS) {
      return current;
    }
    List<JsonNode> flat = new ArrayList<>();
    for (JsonNode n : current) {
      flatten(n, flat);
    }
    return flat;
  }

  private static void collect(JsonNode n, String segment, List<JsonNode> out) {
    if (n.isArray()) {
      for (JsonNode e : n) {
        collect(e, segment, out);
      }
    } else if (n.isObject()) {
      JsonNode child = n.get(segment);
      if (child != null) {
        out.add(child);
      }
    }
  }

  private static void flatten(JsonNode n, List<JsonNode> out) {
    if (n.isArray()) {
      for (JsonNode e : n) {
        flatten(e, out);
      }
    } else {
      out.add(n);
    }
  }

  private static Tri test(Predicate p, JsonNode v) {
    JsonNode want = p.value();
    return switch (p.op()) {
      case EQ -> Tri.of(same(v, want));
      case NEQ -> Tri.of(!same(v, want));
      case IN -> Tri.of(anySame(v, want));
      case NOT_IN -> Tri.of(!anySame(v, want));
      case LT, LTE, GT, GTE -> compare(p.op(), v, want);
      case REGEX -> v.isValueNode() && !v.isNull()
          ? Tri.of(p.regex().matcher(v.asText()).matches()) : Tri.UNKNOWN;
      case CONTAINS -> contains(v, want);
      case EXISTS -> Tri.TRUE;
    };
  }

  private static Tri contains(JsonNode v, JsonNode want) {
    if (v.isTextual() && want.isTextual()) {
      return Tri.of(v.asText().contains(want.asText()));
    }
    if (v.isArray()) {
      // Membership, looking through nested arrays. A string element that holds `want` as a
      // substring is ambiguous (["rm -rf x"] may be read by the server as "rm -rf x"): that
      // refuses under both, so wrapping a string in an array cannot slip past deny_if.
      Tri result = Tri.FALSE;
      for (JsonNode e : v) {
        if (same(e, want)) {
          return Tri.TRUE;
        }
        Tri inner = e.isArray() || (e.isTextual() && want.isTextual()) ? contains(e, want) : Tri.FALSE;
        if (inner == Tri.TRUE && e.isArray()) {
          return Tri.TRUE;
        }
        if (inner != Tri.FALSE) {
          result = Tri.UNKNOWN;
        }
      }
      return result;
    }
    return Tri.UNKNOWN;
  }

  private static Tri compare(Predicate.Op op, JsonNode v, JsonNode want) {
    BigDecimal a = number(v);
    if (a == null) {
      return Tri.UNKNOWN;
    }
    int c = a.compareTo(want.decimalValue());
    return Tri.of(switch (op) {
      case LT -> c < 0;
      case LTE -> c <= 0;
      case GT -> c > 0;
      default -> c >= 0;
    });
  }

  private static BigDecimal number(JsonNode v) {
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean anySame(JsonNode v, JsonNode choices) {
    for (JsonNode c : choices) {
      if (same(v, c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * JSON equality, with numbers compared by value; a string that is a number equals that number
   * (servers coerce "1000" to 1000, so {@code deny_if eq 1000} must catch it).
   */
  static boolean same(JsonNode a, JsonNode b) {
    if ((a.isNumber() || b.isNumber()) && !(a.isContainerNode() || b.isContainerNode())) {
      BigDecimal x = number(a);
      BigDecimal y = number(b);
      if (x != null && y != null) {
        return x.compareTo(y) == 0;
      }
    }
    return a.equals(b);
  }
}
