package io.github.mcppolicyproxy.cli;

/**
 * The proxy's locale data: the JDK's root data, unless the user chose otherwise. Called first
 * thing in {@code main}, before anything looks up locale data (the JDK reads the choice once).
 *
 * <p>Why: the proxy prints nothing that should depend on the machine's locale, yet the JDK's
 * default (CLDR) data made it do so (under {@code ar_EG}, {@code String.format("%d", 17)} writes
 * Arabic-Indic digits, and some refusal texts are formatted), and it was the costliest part of
 * the start: the first {@code ObjectMapper} builds Jackson's date format, whose CLDR calendar data
 * alone took about 30 ms of CPU, on the start's critical path (measured in
 * docs/bench/issue14-session24.md). With {@code java.locale.providers=SPI} and no locale service
 * providers installed, the JDK uses its own root (English, ASCII digit) data for every locale.
 * A {@code -Djava.locale.providers} the user passed (MCP_POLICY_PROXY_JAVA_OPTS) is kept.
 */
final class LocaleData {
  static final String PROPERTY = "java.locale.providers";

  private LocaleData() {}

  /** Root locale data for this process, unless {@link #PROPERTY} is already set. */
  static void rootUnlessChosen() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "SPI");
    }
  }
}
