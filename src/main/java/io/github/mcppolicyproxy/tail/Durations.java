package io.github.mcppolicyproxy.tail;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as an operator types them: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, or ISO {@code PT15M}. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

  private Durations() {}

  /** @throws IllegalArgumentException with the accepted forms, for anything else */
  public static Duration parse(String text) {
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration such as 90s, 15m,"
          + " 2h, 1d or PT15M", e);
    }
  }
}
