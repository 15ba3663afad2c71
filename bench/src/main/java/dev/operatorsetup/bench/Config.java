package dev.operatorsetup.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's command line: {@code --name value} pairs. {@code --aws-endpoint} and {@code
 * --kubeconfig} are required; {@code bench/run} documents the others and their defaults.
 */
record Config(
    URI awsEndpoint,
    Path kubeconfig,
    String region,
    Path command,
    Path seedScript,
    Path work,
    int seedRuns,
    int warmups,
    int warmRuns,
    int freshRuns,
    int coldRuns,
    int cdsRuns,
    int noopRuns,
    List<Integer> fleet,
    Path markdown,
    String issuerHost,
    List<String> sections,
    Path planePids,
    Path motoPid,
    Path helm,
    Path ackScript,
    int ackRuns,
    int renderJvms,
    int renderWarm) {

  /** The sections {@code --sections} can name, in the order their tables are written. */
  static final List<String> SECTIONS = List.of("installs", "noop", "fleet", "ack");

  static Config parse(String[] args) {
    Map<String, String> a = pairs(args);
    String endpoint = a.remove("aws-endpoint");
    String kubeconfig = a.remove("kubeconfig");
    if (endpoint == null || kubeconfig == null) {
      throw new IllegalArgumentException("--aws-endpoint and --kubeconfig are required");
    }
    Config c =
        new Config(
            URI.create(endpoint),
            Path.of(kubeconfig),
            take(a, "region", "us-east-1"),
            Path.of(take(a, "command", "bin/operator-setup")),
            Path.of(take(a, "seed-script", "bench/seed-procedure.sh")),
            Path.of(take(a, "work", "bench/target/work")),
            count(a, "seed-runs", "3"),
            count(a, "warmups", "2"),
            count(a, "warm-runs", "5"),
            count(a, "fresh-runs", "5"),
            count(a, "cold-runs", "3"),
            count(a, "cds-runs", "3"),
            count(a, "noop-runs", "5"),
            list(take(a, "fleet", "1,10,50")).stream()
                .filter(s -> !s.isBlank())
                .map(Integer::parseInt)
                .toList(),
            path(a.remove("markdown")),
            take(a, "issuer-host", "oidc.bench.local"),
            list(take(a, "sections", String.join(",", SECTIONS))),
            path(a.remove("plane-pids")),
            path(a.remove("moto-pid")),
            Path.of(take(a, "helm", "helm")),
            Path.of(take(a, "ack-script", "bench/ack-procedure.sh")),
            count(a, "ack-runs", "3"),
            count(a, "render-jvms", "5"),
            count(a, "render-warm", "5"));
    if (!a.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + a.keySet());
    }
    if (c.seedRuns < 1
        || c.warmRuns < 1
        || c.coldRuns < 1
        || c.noopRuns < 1
        || c.ackRuns < 1
        || c.renderJvms < 1
        || c.renderWarm < 1) {
      throw new IllegalArgumentException("every run count must be at least 1");
    }
    return c;
  }

  boolean runs(String section) {
    return sections.contains(section);
  }

  private static Map<String, String> pairs(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: Benchmark --aws-endpoint URL --kubeconfig FILE [--name value]...; got "
                + args[i]);
      }
      a.put(args[i].substring(2), args[++i]);
    }
    return a;
  }

  private static String take(Map<String, String> a, String name, String otherwise) {
    String v = a.remove(name);
    return v == null ? otherwise : v;
  }

  private static int count(Map<String, String> a, String name, String otherwise) {
    return Integer.parseInt(take(a, name, otherwise));
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }
}
