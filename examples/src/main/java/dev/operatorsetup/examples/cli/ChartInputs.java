package dev.operatorsetup.examples.cli;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.target.OperatorTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The command's target and chart options, checked before anything is read or written. Chart specs
 * that name a version or a URL are resolved by the {@code helm} module's {@code Charts}; until it
 * is on the class path, only a chart directory or {@code .tgz} is accepted.
 */
final class ChartInputs {
  private static final Pattern PINNED_URL = Pattern.compile("https://\\S+#sha256=[0-9a-f]{64}");

  private ChartInputs() {}

  static void apply(OperatorSetup.Options o, ManifestOptions m) {
    OperatorTarget target = target(m.target);
    o.withTarget(target);
    if (m.chart != null) {
      o.withChart(chart(m.chart));
    }
    for (String set : m.sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new InvalidConfigurationException(
            "--set", set, "a chart value is KEY=VALUE", "e.g. --set resources.limits.memory=512Mi");
      }
      o.set(set.substring(0, eq), set.substring(eq + 1));
    }
    for (String file : m.valuesFiles) {
      o.withValuesFile(Path.of(file));
    }
    if (m.installScope != null) {
      o.installScope(m.installScope);
    }
    if (!m.watchNamespaces.isEmpty()) {
      o.watchNamespace(m.watchNamespaces.toArray(String[]::new));
    }
  }

  static OperatorTarget target(String target) {
    if (target == null || target.equals("legacy")) {
      return OperatorTarget.legacy();
    }
    if (target.equals("ack")) {
      return OperatorTarget.ack();
    }
    throw new InvalidConfigurationException(
        "--target",
        target,
        "the target is legacy (the SageMaker Operator for Kubernetes) or ack (the ACK SageMaker"
            + " controller)",
        "use --target legacy or --target ack");
  }

  private static Path chart(String spec) {
    boolean named = spec.equals("bundled") || spec.matches("\\d+\\.\\d+\\.\\d+");
    if (named || PINNED_URL.matcher(spec).matches()) {
      throw new InvalidConfigurationException(
          "--chart",
          spec,
          "this build has no helm module to resolve a bundled or downloaded chart",
          "pass a chart directory or .tgz (helm pull aws-controllers-k8s/sagemaker-chart)");
    }
    if (spec.startsWith("http://") || spec.startsWith("https://")) {
      throw new InvalidConfigurationException(
          "--chart",
          spec,
          "a chart URL is https and pinned by its sha256",
          "write https-URL#sha256=<64 hex digits>");
    }
    Path path = Path.of(spec);
    if (!Files.exists(path)) {
      throw new InvalidConfigurationException(
          "--chart",
          spec,
          "it is not bundled, 1.9.1, 1.6.0, an existing DIR or FILE.tgz, or https-URL#sha256=HEX",
          "pass one of those, e.g. --chart 1.9.1");
    }
    return path;
  }
}
