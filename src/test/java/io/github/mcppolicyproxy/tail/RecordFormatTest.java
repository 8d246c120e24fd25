package io.github.mcppolicyproxy.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
  private static final String REFUSAL = """
      {"time":"2026-12-02T06:00:00Z","session":"s1","request_id":7,"tool":"call_aws",\
      "operations":["s3:DeleteBucket"],"code":"denied","rule":"/operations/*:Delete*",\
      "reason":"deleting is not allowed","retry_after_seconds":null,"outcome":"refused",\
      "mode":"enforce","policy_sha256":"ab"}""";
  private static final String RELOAD = """
      {"time":"2026-12-02T06:01:00Z","session":"s2","event":"policy_reloaded",\
      "trigger":"SIGHUP","old_policy_sha256":"aaaaaaaaaaaaaaaa","policy":"p.json",\
      "policy_sha256":"bbbbbbbbbbbbbbbb"}""";

  @Test
  void aRefusalIsOnePlainLineWithTimeSessionToolOperationsCodeReasonAndRule() {
    assertThat(new RecordFormat(false).format(REFUSAL)).isEqualTo("2026-12-02T06:00:00Z  s1"
        + "  call_aws [s3:DeleteBucket]  denied  deleting is not allowed  /operations/*:Delete*");
  }

  @Test
  void pinReloadsAreOneReadableLineEach() {
    assertThat(new RecordFormat(false).format("""
        {"time":"2026-12-02T06:02:00Z","session":"s3","event":"pins_reloaded","trigger":"file \
        changed","file":"/p/pins.json","tools":4,"accepted":["echo"],"changed":["add","sum"]}"""))
        .isEqualTo("2026-12-02T06:02:00Z  s3  pins_reloaded  4 pins from /p/pins.json (file"
            + " changed); accepted again: echo; now differ from their pin: add, sum");
    assertThat(new RecordFormat(false).format("""
        {"time":"2026-12-02T06:03:00Z","session":"s3","event":"pins_reload_failed","trigger":\
        "file changed","file":"/p/pins.json","reason":"not JSON"}"""))
        .isEqualTo("2026-12-02T06:03:00Z  s3  pins_reload_failed  kept the pins in force;"
            + " /p/pins.json: not JSON");
  }

  @Test
  void aCounterStoreNoticeIsItsWords() {
    assertThat(new RecordFormat(false).format("""
        {"time":"2026-12-02T06:04:00Z","session":"s4","event":"counter_store","notice":"the \
        counter store redis://127.0.0.1:6379 answers again","policy_sha256":"ab"}"""))
        .isEqualTo("2026-12-02T06:04:00Z  s4  counter_store  the counter store"
            + " redis://127.0.0.1:6379 answers again");
  }

  @Test
  void colourMarksTheCodeAndPlainHasNoEscapes() {
    assertThat(new RecordFormat(true).format(REFUSAL)).contains("\u001b[31mdenied\u001b[0m");
    assertThat(new RecordFormat(false).format(RELOAD)).doesNotContain("\u001b")
        .isEqualTo("2026-12-02T06:01:00Z  s2  policy_reloaded  aaaaaaaaaaaa -> bbbbbbbbbbbb"
            + " (SIGHUP)");
  }

  @Test
  void filtersMatchCodesOrEventsToolsAsGlobsSessionsAndTime() {
    assertThat(new RecordFilter(List.of("denied"), List.of(), List.of(), null).test(REFUSAL))
        .isTrue();
    assertThat(new RecordFilter(List.of("policy_reloaded"), List.of(), List.of(), null)
        .test(RELOAD)).isTrue();
    assertThat(new RecordFilter(List.of("rate_limited"), List.of(), List.of(), null)
        .test(REFUSAL)).isFalse();
    assertThat(new RecordFilter(List.of(), List.of("call_*"), List.of(), null).test(REFUSAL))
        .isTrue();
    assertThat(new RecordFilter(List.of(), List.of("call_*"), List.of(), null).test(RELOAD))
        .isFalse();
    assertThat(new RecordFilter(List.of(), List.of(), List.of("s2"), null).test(REFUSAL))
        .isFalse();
    Instant t = Instant.parse("2026-12-02T06:00:30Z");
    assertThat(new RecordFilter(List.of(), List.of(), List.of(), t).test(REFUSAL)).isFalse();
    assertThat(new RecordFilter(List.of(), List.of(), List.of(), t).test(RELOAD)).isTrue();
    assertThat(new RecordFilter(List.of(), List.of(), List.of(), null).test("not json")).isTrue();
  }

  @Test
  void durationsAsOperatorsTypeThem() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse("soon"))
        .hasMessageContaining("90s");
  }
}
