package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Nargs} against argparse's own regexes (as {@code ArgParse} built and matched them before
 * the matcher replaced them), on every pattern string over {@code O}, {@code A} and {@code -} up to
 * a length, from every start.
 */
class NargsTest {

  private static final String[] KINDS = {"T", "F", "1", "?", "*", "+", "R", "2", "0"};
  private static final char[] LETTERS = {'A', 'O', '-'};

  /** argparse's {@code _get_nargs_pattern}, as the regex version wrote it. */
  private static String regexOf(String kind, boolean positional) {
    String pat = switch (kind) {
      case "T", "F", "K", "V" -> "(-*-*)";
      case "1" -> "(-*A-*)";
      case "?" -> "(-*A?-*)";
      case "*" -> "(-*[A-]*)";
      case "+" -> "(-*A[A-]*)";
      case "R" -> "([-AO]*)";
      default -> "(-*" + String.join("-*", Collections.nCopies(Integer.parseInt(kind), "A")) + "-*)";
    };
    return positional ? pat : pat.replace("-*", "").replace("-", "");
  }

  private static final java.util.Map<String, Pattern> COMPILED = new java.util.HashMap<>();

  private static Pattern compiled(String regex) {
    return COMPILED.computeIfAbsent(regex, Pattern::compile);
  }

  private static int regexOptional(String kind, String p, int from) {
    Matcher m = compiled(regexOf(kind, false)).matcher(p);
    m.region(from, p.length());
    return m.lookingAt() ? m.group(1).length() : -1;
  }

  /** argparse's {@code _match_arguments_partial}, as the regex version did it. */
  private static List<Integer> regexPartial(List<String> kinds, String p, int from) {
    for (int i = kinds.size(); i > 0; i--) {
      StringBuilder regex = new StringBuilder();
      for (String k : kinds.subList(0, i)) {
        regex.append(regexOf(k, true));
      }
      Matcher m = compiled(regex.toString()).matcher(p);
      m.region(from, p.length());
      if (m.lookingAt()) {
        List<Integer> counts = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
          counts.add(m.group(g).length());
        }
        return counts;
      }
    }
    return List.of();
  }

  private static List<String> patterns(int maxLength) {
    List<String> out = new ArrayList<>(List.of(""));
    List<String> last = List.of("");
    for (int n = 1; n <= maxLength; n++) {
      List<String> next = new ArrayList<>();
      for (String s : last) {
        for (char c : LETTERS) {
          next.add(s + c);
        }
      }
      out.addAll(next);
      last = next;
    }
    return out;
  }

  private static Action[] positionals(List<String> kinds) {
    return kinds.stream().map(k -> new Action(List.of(), "p", k, false)).toArray(Action[]::new);
  }

  private static List<Integer> counts(int[] counts) {
    return Arrays.stream(counts).boxed().toList();
  }

  @Test
  void anOptionTakesAsManyWordsAsItsRegexWould() {
    int checked = 0;
    for (String p : patterns(7)) {
      for (int from = 0; from <= p.length(); from++) {
        for (String kind : KINDS) {
          assertThat(Nargs.optional(kind, p.toCharArray(), from))
              .as("nargs %s on %s from %d", kind, p, from).isEqualTo(regexOptional(kind, p, from));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(100_000);
  }

  @Test
  void positionalsTakeTheWordsTheirJoinedRegexWould() {
    List<List<String>> lists = new ArrayList<>();
    for (String a : KINDS) {
      lists.add(List.of(a));
      for (String b : KINDS) {
        lists.add(List.of(a, b));
      }
    }
    for (String a : new String[] {"1", "?", "*", "+", "2"}) {
      for (String b : new String[] {"1", "?", "*", "+", "R"}) {
        for (String c : new String[] {"1", "?", "*", "2"}) {
          lists.add(List.of(a, b, c));
        }
      }
    }
    int checked = 0;
    for (List<String> kinds : lists) {
      Action[] actions = positionals(kinds);
      for (String p : patterns(kinds.size() == 3 ? 5 : 6)) {
        for (int from = 0; from <= p.length(); from++) {
          assertThat(counts(Nargs.matchPartial(actions, 0, p.toCharArray(), from)))
              .as("positionals %s on %s from %d", kinds, p, from).isEqualTo(regexPartial(kinds, p, from));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(500_000);
  }

  @Test
  void positionalsAlreadyConsumedAreSkipped() {
    Action[] actions = positionals(List.of("1", "?", "*"));
    assertThat(counts(Nargs.matchPartial(actions, 1, "AAA".toCharArray(), 0))).containsExactly(1, 2);
    assertThat(counts(Nargs.matchPartial(actions, 3, "AAA".toCharArray(), 0))).isEmpty();
  }

  @Test
  void aBadCountFailsAsTheRegexVersionDid() {
    assertThatThrownBy(() -> Nargs.optional("x", "A".toCharArray(), 0)).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Nargs.matchPartial(positionals(List.of("-1")), 0, "A".toCharArray(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
