package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CRDs the target shares with other controllers ({@link OperatorTarget#sharedCrdGroups()}; ACK:
 * FieldExport, IAMRoleSelector, AdoptedResource of {@code services.k8s.aws}). Uninstall keeps such
 * a CRD, "kept (shared)", while another of those controllers runs on the cluster (a Deployment the
 * target did not render, {@link OperatorTarget#isPeerController}) or any object of it exists:
 * deleting it would delete the other controllers' objects with it. Their objects are not the
 * target's custom resources either, so uninstall neither refuses for them nor deletes them.
 */
final class SharedCrds {
  private final Run run;
  private final Kubernetes k8s;
  private final Set<ObjectRef> ours;
  private Optional<String> peer;

  SharedCrds(Run run, Kubernetes k8s, List<KubeObject> desired) {
    this.run = run;
    this.k8s = k8s;
    this.ours =
        desired.stream()
            .filter(o -> o.kind().equals("Deployment"))
            .map(KubeObject::ref)
            .collect(Collectors.toSet());
  }

  /** Whether the object is a CRD of a group the target shares. */
  static boolean isShared(Run run, KubeObject object) {
    return object.kind().equals(ManifestStep.CRD_KIND)
        && run.settings().target().sharedCrdGroups().contains(object.at("/spec/group").asText(""));
  }

  /** Why uninstall keeps this CRD ("kept (shared): ..."), or empty when it may delete it. */
  Optional<String> keep(KubeObject crd) {
    if (!isShared(run, crd)) {
      return Optional.empty();
    }
    Optional<String> other = peer();
    if (other.isPresent()) {
      return Optional.of("kept (shared): another controller uses it, " + other.get());
    }
    List<KubeObject> objects =
        run.call("kubernetes:list", () -> k8s.listCustomResources(crd.name()));
    if (!objects.isEmpty()) {
      KubeObject first = objects.get(0);
      return Optional.of(
          "kept (shared): "
              + objects.size()
              + " object(s) of it exist, e.g. "
              + first.kind()
              + " "
              + first.namespace().map(ns -> ns + "/").orElse("")
              + first.name());
    }
    return Optional.empty();
  }

  /** Another controller that shares the CRDs (its Deployment), read once. */
  private Optional<String> peer() {
    if (peer == null) {
      OperatorTarget target = run.settings().target();
      List<KubeObject> deployments =
          run.call("kubernetes:list", () -> k8s.list("apps/v1", "Deployment", null, Map.of()));
      peer =
          deployments.stream()
              .filter(d -> !ours.contains(d.ref()) && target.isPeerController(d))
              .findFirst()
              .map(d -> "Deployment " + d.namespace().orElse("") + "/" + d.name());
    }
    return peer;
  }
}
