package dev.operatorsetup.examples.cli;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.targets.OperatorTarget;
import java.nio.file.Path;

/**
 * The command's target and chart options, checked before anything is read or written. A chart spec
 * is checked by {@code Charts.parse} (bundled, 1.9.1, 1.6.0, DIR, FILE.tgz, pinned https).
 */
final class ChartInputs {
  private ChartInputs() {}

  static void apply(OperatorSetup.Options o, ManifestOptions m) {
    OperatorTarget target = target(m.target);
    o.withTarget(target);
    if (m.chart != null) {
      o.withChart(m.chart);
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
}
