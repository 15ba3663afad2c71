package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.Markdown.fmt;
import static dev.operatorsetup.bench.Markdown.mib;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The fleet section's Markdown: the sizes side by side, the target, and the CPU each used. */
final class FleetTables {
  private FleetTables() {}

  static String write(List<Fleet.Size> sizes) {
    StringBuilder b = new StringBuilder();
    b.append("### Fleet: concurrent installs from one JVM\n\n");
    b.append(
        "N EKS clusters in moto, each with its own issuer and role; on the Kubernetes side one"
            + " namespaced install per cluster (`Manifests.bundled(Variant.NAMESPACED)`,"
            + " `withNamespace(\"fleet-<i>\")`), all on the one control plane. The 8 CRDs of the"
            + " namespaced installer are cluster-scoped and shared by all N installs. A thread pool"
            + " of N; the AWS ports are shared, each install opens its own Kubernetes client"
            + " (`withKubeconfig`), as it would for N real clusters. One namespaced install before"
            + " the first size, not measured, warms the JVM up. Peak heap is the sum of the"
            + " heap pools' peaks after resetting them (an upper bound: the pools peak at different"
            + " moments).\n\n");
    b.append(
        "| clusters | total wall time | vs 1 cluster | install time, median / max | peak heap | heap in use before | -Xmx |\n");
    b.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    double one = Double.NaN;
    double fifty = Double.NaN;
    for (Fleet.Size s : sizes) {
      if (s.clusters() == 1) {
        one = s.wallMillis();
      }
      if (s.clusters() == 50) {
        fifty = s.wallMillis();
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s / %s | %s | %s | %s |%n",
              s.clusters(),
              fmt(s.wallMillis()),
              Double.isNaN(one) ? "" : String.format(Locale.ROOT, "%.2f×", s.wallMillis() / one),
              fmt(s.medianMillis()),
              fmt(s.maxMillis()),
              mib(s.peakHeap()),
              mib(s.heapBefore()),
              mib(Runtime.getRuntime().maxMemory())));
    }
    if (!Double.isNaN(one) && !Double.isNaN(fifty)) {
      b.append(
          String.format(
              Locale.ROOT,
              "%nTarget: 50 clusters in at most 3× the time of one: %.2f× → %s.%n%n",
              fifty / one,
              fifty / one <= 3 ? "met" : "**missed**"));
    } else {
      b.append("\n");
    }
    if (!sizes.isEmpty()) {
      cpu(b, sizes, one);
    }
    return b.toString();
  }

  private static void cpu(StringBuilder b, List<Fleet.Size> sizes, double one) {
    b.append(
        "CPU seconds used during each fleet run (from /proc), against what the machine had"
            + " (nproc × wall time); \"machine\" includes other work on it:\n\n");
    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, Double> columns = sizes.get(0).cpu();
    b.append("| clusters | wall time | available (nproc × wall) |");
    columns.keySet().forEach(k -> b.append(" ").append(k).append(" |"));
    b.append("\n|---:|---:|---:|");
    columns.keySet().forEach(k -> b.append("---:|"));
    b.append("\n");
    for (Fleet.Size s : sizes) {
      double wall = s.wallMillis();
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f s | %.2f s |",
              s.clusters(),
              wall / 1000,
              wall / 1000 * cores));
      s.cpu().values().forEach(v -> b.append(String.format(Locale.ROOT, " %.2f s |", v)));
      b.append("\n");
    }
    Fleet.Size largest = sizes.get(sizes.size() - 1);
    double needed = emulatorsAndJvm(largest.cpu());
    b.append(
        String.format(
            Locale.ROOT,
            "%nFor %d clusters the control plane, moto and this JVM together needed %.1f CPU"
                + " seconds: on %d cores at least %s of wall time, %.1f× the fleet of 1, even"
                + " with nothing else running.%n%n",
            largest.clusters(),
            needed,
            cores,
            fmt(needed / cores * 1000),
            needed / cores * 1000 / one));
  }

  /** The CPU seconds of the watched processes and this JVM (all but the whole machine's). */
  static double emulatorsAndJvm(Map<String, Double> cpu) {
    return cpu.entrySet().stream()
        .filter(e -> !e.getKey().equals("machine") && !Double.isNaN(e.getValue()))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
