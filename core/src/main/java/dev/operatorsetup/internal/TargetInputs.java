package dev.operatorsetup.internal;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.targets.ChartValues;

/**
 * Refuses, before anything is read or written, options that do not apply to the chosen target: a
 * manifest for a chart-based target, chart values and the ACK switches for the legacy installer.
 */
final class TargetInputs {
  private TargetInputs() {}

  static void check(Settings s, boolean manifestGiven) {
    String target = s.target().id();
    if (!s.target().usesManifest() && manifestGiven) {
      refuse("manifest", "given", target, "withManifest(...) (--manifest)", "withChart(...)");
    }
    if (s.target().usesManifest()) {
      ChartValues chart = s.chart();
      String use = "withTarget(OperatorTarget.ack()) (--target ack)";
      if (chart.chart().isPresent()) {
        refuse("chart", "given", target, "withChart (--chart)", use);
      }
      if (!chart.sets().isEmpty()) {
        refuse("chart value", chart.sets().get(0), target, "set(...) (--set)", use);
      }
      if (!chart.valuesFiles().isEmpty()) {
        refuse(
            "values file",
            chart.valuesFiles().get(0).toString(),
            target,
            "withValuesFile (--values)",
            use);
      }
      if (chart.installScope().isPresent()) {
        refuse(
            "install scope",
            chart.installScope().get(),
            target,
            "installScope (--install-scope)",
            use);
      }
      if (!chart.watchNamespaces().isEmpty()) {
        refuse(
            "watch namespace",
            chart.watchNamespaces().get(0),
            target,
            "watchNamespace (--watch-namespace)",
            use);
      }
      if (s.takeOverHelmRelease()) {
        refuse(
            "take over Helm release",
            "true",
            target,
            "takeOverHelmRelease() (--take-over-helm-release)",
            use);
      }
    }
    if (s.retainAwsResources() && s.target().deletesCustomResources()) {
      refuse(
          "retain AWS resources",
          "true",
          target,
          "retainAwsResources() (--retain-aws-resources)",
          "withTarget(OperatorTarget.ack()) (--target ack)");
    }
  }

  private static void refuse(
      String field, String value, String target, String option, String instead) {
    throw new InvalidConfigurationException(
        field,
        value,
        "it does not apply to target " + target,
        "leave out " + option + ", or use " + instead);
  }
}
