package dev.operatorsetup;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations as people write them: {@code 90s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m} or an ISO-8601 duration.
   *
   * @throws InvalidConfigurationException if the text is not a positive duration
   */
  public static Duration parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw invalid(field, text);
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    Duration result;
    if (t.startsWith("p")) {
      try {
        result = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw invalid(field, text);
      }
    } else {
      Matcher m = PART.matcher(t);
      int end = 0;
      result = Duration.ZERO;
      while (m.find()) {
        if (m.start() != end) {
          throw invalid(field, text);
        }
        try {
          long n = Long.parseLong(m.group(1));
          switch (m.group(2)) {
            case "ms" -> result = result.plusMillis(n);
            case "s" -> result = result.plusSeconds(n);
            case "m" -> result = result.plusMinutes(n);
            default -> result = result.plusHours(n);
          }
        } catch (NumberFormatException | ArithmeticException e) {
          // too many digits for a long, or more seconds than a Duration holds
          throw invalid(field, text);
        }
        end = m.end();
      }
      if (end != t.length() || end == 0) {
        throw invalid(field, text);
      }
    }
    if (result.isZero() || result.isNegative()) {
      throw invalid(field, text);
    }
    return result;
  }

  private static InvalidConfigurationException invalid(String field, String text) {
    return new InvalidConfigurationException(
        field,
        text,
        "must be a positive duration such as 90s, 5m or 1h30m",
        "write a number followed by ms, s, m or h, e.g. 10m");
  }

  /** Formats a duration compactly: {@code 1.2s}, {@code 3m05s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = d.getSeconds();
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
