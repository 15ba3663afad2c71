package dev.operatorsetup.internal;

import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.port.Kubernetes;
import java.util.List;

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

  static List<KubeObject> render(Settings s, Facts facts, Manifest manifest, boolean convert) {
    ManifestPatch patch =
        new ManifestPatch.Builder()
            .roleArn(facts.roleArn())
            .serviceAccount(s.serviceAccount())
            .putAllImageOverrides(s.imageOverrides())
            .build();
    return s.target().render(manifest, patch, convert);
  }
}
