package io.github.mcppolicyproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Entry}'s equals and hashCode are written out (the generated ones go through method
 * handles, slow on the launcher's C1): they must still be value equality over every component.
 */
class EntryEqualityTest {
  private static final Limit LIMIT = new Limit("/tools/t/limits/0", "c", Duration.ofMinutes(1), "minute", 5,
      Limit.Scope.SESSION);
  private static final Predicate DENY = PredicatesTest.predicate("{\"path\":\"args.x\",\"op\":\"eq\",\"value\":1}");

  private static Entry base() {
    return new Entry("/tools/t", Policy.Action.ALLOW, Optional.of("why"), List.of(LIMIT), List.of(), List.of(DENY),
        Optional.of(30), Optional.empty());
  }

  @Test
  void equalValuesAreEqualWithEqualHashes() {
    Entry a = base();
    Entry b = base();
    assertThat(a).isNotSameAs(b).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(a).isEqualTo(a).isNotEqualTo(null).isNotEqualTo("/tools/t");
  }

  @Test
  void everyComponentTakesPart() {
    List<UnaryOperator<Entry>> changes = List.of(
        e -> new Entry("/tools/u", e.action(), e.reason(), e.limits(), e.require(), e.denyIf(),
            e.approvalTimeoutSeconds(), e.argumentsSchema()),
        e -> new Entry(e.pointer(), Policy.Action.DENY, e.reason(), e.limits(), e.require(), e.denyIf(),
            e.approvalTimeoutSeconds(), e.argumentsSchema()),
        e -> new Entry(e.pointer(), e.action(), Optional.empty(), e.limits(), e.require(), e.denyIf(),
            e.approvalTimeoutSeconds(), e.argumentsSchema()),
        e -> new Entry(e.pointer(), e.action(), e.reason(), List.of(), e.require(), e.denyIf(),
            e.approvalTimeoutSeconds(), e.argumentsSchema()),
        e -> new Entry(e.pointer(), e.action(), e.reason(), e.limits(), List.of(DENY), e.denyIf(),
            e.approvalTimeoutSeconds(), e.argumentsSchema()),
        e -> new Entry(e.pointer(), e.action(), e.reason(), e.limits(), e.require(), List.of(),
            e.approvalTimeoutSeconds(), e.argumentsSchema()),
        e -> new Entry(e.pointer(), e.action(), e.reason(), e.limits(), e.require(), e.denyIf(),
            Optional.of(31), e.argumentsSchema()),
        e -> new Entry(e.pointer(), e.action(), e.reason(), e.limits(), e.require(), e.denyIf(),
            e.approvalTimeoutSeconds(), Optional.of(schema())));
    for (UnaryOperator<Entry> change : changes) {
      Entry changed = change.apply(base());
      assertThat(changed).as("%s", changed).isNotEqualTo(base());
      assertThat(base()).isNotEqualTo(changed);
    }
  }

  private static ArgumentsSchema schema() {
    try {
      return new PolicyLoader().parse("p.json", ("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":"
          + "{\"arguments_schema\":{\"type\":\"object\"}}}}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .tools().values().iterator().next().argumentsSchema().orElseThrow();
    } catch (PolicyException e) {
      throw new AssertionError(e);
    }
  }
}
