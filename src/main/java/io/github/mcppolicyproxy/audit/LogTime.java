package io.github.mcppolicyproxy.audit;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A log record's {@code time}: exactly what {@link Instant#toString} writes
 * ({@code 2026-12-03T19:37:04.123456Z}: the fraction in groups of three digits, none when zero),
 * without {@code java.time.format}. {@code Instant.toString} initializes {@code DateTimeFormatter},
 * whose static initializer builds every predefined formatter: ~6 ms in the interpreter (measured
 * with async-profiler), paid by a session's first refusal and by every session's last record.
 * Instants outside the years 1970-9999 are left to {@code Instant.toString}. {@code LogTimeTest}
 * holds the two equal.
 */
final class LogTime {
  /** 10000-01-01T00:00:00Z in epoch seconds. */
  private static final long YEAR_10000 = 253_402_300_800L;

  private LogTime() {}

  static String format(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < 0 || seconds >= YEAR_10000) {
      return t.toString();
    }
    LocalDate day = LocalDate.ofEpochDay(seconds / 86_400);
    int ofDay = (int) (seconds % 86_400);
    char[] c = new char[30];
    int n = 0;
    n = digits(c, n, day.getYear(), 4);
    c[n++] = '-';
    n = digits(c, n, day.getMonthValue(), 2);
    c[n++] = '-';
    n = digits(c, n, day.getDayOfMonth(), 2);
    c[n++] = 'T';
    n = digits(c, n, ofDay / 3600, 2);
    c[n++] = ':';
    n = digits(c, n, ofDay / 60 % 60, 2);
    c[n++] = ':';
    n = digits(c, n, ofDay % 60, 2);
    int nanos = t.getNano();
    if (nanos != 0) {
      c[n++] = '.';
      if (nanos % 1_000_000 == 0) {
        n = digits(c, n, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        n = digits(c, n, nanos / 1_000, 6);
      } else {
        n = digits(c, n, nanos, 9);
      }
    }
    c[n++] = 'Z';
    return new String(c, 0, n);
  }

  /** Writes {@code value} as exactly {@code width} decimal digits (zero-padded) at {@code at}. */
  private static int digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
