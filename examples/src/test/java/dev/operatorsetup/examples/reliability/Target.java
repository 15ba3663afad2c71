package dev.operatorsetup.examples.reliability;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.helm.HelmCharts;
import dev.operatorsetup.targets.AckController;
import dev.operatorsetup.targets.OperatorTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The operator a reliability IT installs: the legacy SageMaker operator (its bundled installer
 * manifest) or the ACK SageMaker controller ({@code --target ack}, the bundled chart 1.9.1, its
 * chart rendered by the helm module). The ITs that run for both are {@code @ParameterizedClass}es
 * over {@link #selected()}; {@code -Dreliability.targets=ack} (or {@code legacy}) runs one.
 */
enum Target {
  LEGACY(Emulators.ROLE, null),
  ACK(AckController.RELEASE, AckController.NAMESPACE);

  /** The IAM role the installation's ServiceAccount assumes. */
  final String role;

  /** The namespace the target installs into by default; null: none (the manifest's own). */
  final String defaultNamespace;

  Target(String role, String defaultNamespace) {
    this.role = role;
    this.defaultNamespace = defaultNamespace;
  }

  /** The targets to run, from {@code -Dreliability.targets} (comma-separated; default all). */
  static List<Target> selected() {
    String names = System.getProperty("reliability.targets", "").trim();
    if (names.isEmpty()) {
      return List.of(values());
    }
    return Arrays.stream(names.split(","))
        .map(n -> valueOf(n.trim().toUpperCase(Locale.ROOT)))
        .toList();
  }

  /** The Java API's options for this target (the chart: {@code chart}, or bundled if null). */
  OperatorSetup.Options options(OperatorSetup.Options options, String chart) {
    if (this == LEGACY) {
      return options;
    }
    return options
        .withTarget(OperatorTarget.ack())
        .withChartRenderer(HelmCharts.renderer())
        .withChart(chart == null ? "bundled" : chart);
  }

  /** The command's options for this target (the chart: {@code chart}, or bundled if null). */
  List<String> args(String chart) {
    List<String> args = new ArrayList<>();
    if (this == ACK) {
      args.addAll(List.of("--target", "ack"));
      if (chart != null) {
        args.addAll(List.of("--chart", chart));
      }
    }
    return args;
  }

  /**
   * The one namespace of a test class that installs and uninstalls in turn: the target's default
   * ({@code ack-system}), or the class's {@code label} namespace.
   */
  String home(Emulators em, String label) {
    return defaultNamespace == null ? em.namespace(label) : em.track(defaultNamespace);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
