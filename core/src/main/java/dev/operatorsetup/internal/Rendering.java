package dev.operatorsetup.internal;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.spi.ChartRendererProvider;
import dev.operatorsetup.targets.RenderInput;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Renders the target's objects for this role and ServiceAccount. */
final class Rendering {
  private static final String LEGACY_CRD_API = "apiextensions.k8s.io/v1beta1";

  private Rendering() {}

  /** Whether v1beta1 CRDs must be converted to v1 for this server. */
  static boolean convertCrds(Run run, Kubernetes k8s) {
    return switch (run.settings().crdConversion()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> !run.call("kubernetes:discovery", k8s::serverInfo).serves(LEGACY_CRD_API);
    };
  }

  /** What a target renders from, loaded once per operation (the manifest, if it uses one). */
  record Loaded(Optional<Manifest> manifest) {}

  /** Loads the target's source: its manifest, or nothing for a chart-based target. */
  static Loaded load(Settings s) {
    return new Loaded(
        s.target().usesManifest() ? Optional.of(s.manifest().load()) : Optional.empty());
  }

  static List<KubeObject> render(Settings s, Facts facts, Loaded loaded, boolean convert) {
    ManifestPatch patch =
        new ManifestPatch.Builder()
            .roleArn(facts.roleArn())
            .serviceAccount(s.serviceAccount())
            .putAllImageOverrides(s.imageOverrides())
            .build();
    RenderInput input =
        new RenderInput(
            loaded.manifest(),
            patch,
            convert,
            s.cluster().region(),
            s.chart(),
            s.chartRenderer().or(Rendering::foundRenderer));
    return s.target().render(input);
  }

  /** The {@code helm} module's renderer, if it is on the class path. */
  private static Optional<ChartRenderer> foundRenderer() {
    return ServiceLoader.load(ChartRendererProvider.class, OperatorSetup.class.getClassLoader())
        .findFirst()
        .map(ChartRendererProvider::create);
  }
}
