package dev.operatorsetup.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the tables write their figures: times, sizes, ratios, and the two shared table shapes. */
final class Markdown {
  private Markdown() {}

  /** Milliseconds below a second, seconds with two decimals above; "–" for no value. */
  static String fmt(double ms) {
    if (Double.isNaN(ms)) {
      return "–";
    }
    if (Math.abs(ms) < 1000) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024 * 1024));
  }

  /** A row of the install table: method, runs, median, min, max, speed-up, target, met. */
  static void row(
      StringBuilder b,
      String what,
      String runs,
      Samples s,
      double ratio,
      String target,
      String met) {
    b.append("| ")
        .append(what)
        .append(" | ")
        .append(runs)
        .append(" | ")
        .append(fmt(s.median()))
        .append(" | ")
        .append(fmt(s.min()))
        .append(" | ")
        .append(fmt(s.max()))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f×", ratio))
        .append(" | ")
        .append(target)
        .append(" | ")
        .append(met)
        .append(" |\n");
  }

  /** A row of a table without a target: method, runs, median, min, max, speed-up. */
  static void row(StringBuilder b, String what, String runs, Samples s, double ratio) {
    b.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s | %.1f× |%n",
            what,
            runs,
            fmt(s.median()),
            fmt(s.min()),
            fmt(s.max()),
            ratio));
  }

  /** A row of figures: what, samples, median, min, max. */
  static void row(StringBuilder b, String what, Samples s) {
    b.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %s | %s | %s |%n",
            what,
            s.count(),
            fmt(s.median()),
            fmt(s.min()),
            fmt(s.max())));
  }

  /** A "where the time goes" table: each phase's median and its share of the total. */
  static void phaseTable(StringBuilder b, Phases phases, double total) {
    b.append("| step | median | share |\n|---|---:|---:|\n");
    for (Map.Entry<String, List<Double>> e : phases.byPhase.entrySet()) {
      double m = Samples.median(e.getValue());
      b.append(
          String.format(
              Locale.ROOT, "| %s | %s | %.0f%% |%n", e.getKey(), fmt(m), 100 * m / total));
    }
    b.append(String.format(Locale.ROOT, "| **total (the median run)** | **%s** | |%n", fmt(total)));
  }
}
