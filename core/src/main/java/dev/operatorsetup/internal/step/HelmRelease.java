package dev.operatorsetup.internal.step;

import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.Kubernetes;
import java.util.List;
import java.util.Map;

/**
 * A Helm release of the target's name: found by Helm's release records (Secrets of type {@code
 * helm.sh/release.v1} labelled {@code owner=helm,name=<release>} in the release namespace). Refused
 * before the first write unless the caller takes it over; then its records are deleted once its
 * objects carry this library's label.
 */
public final class HelmRelease {
  static final String RECORD_TYPE = "helm.sh/release.v1";

  private HelmRelease() {}

  /** Helm's release records of the target's release in the install namespace, oldest first. */
  public static List<KubeObject> records(Run run, Kubernetes k8s) {
    var release = run.settings().target().release();
    if (release.isEmpty()) {
      return List.of();
    }
    String ns = run.settings().serviceAccount().namespace();
    List<KubeObject> secrets =
        run.call(
            "kubernetes:list",
            () -> k8s.list("v1", "Secret", ns, Map.of("owner", "helm", "name", release.get())));
    return secrets.stream()
        .filter(s -> RECORD_TYPE.equals(s.at("/type").asText()))
        .filter(s -> s.name().startsWith("sh.helm.release.v1." + release.get() + ".v"))
        .toList();
  }

  /** Refuses a Helm release unless the caller takes it over; before any write. */
  public static void check(Run run, Scope scope) {
    if (scope.kubernetes().isEmpty()) {
      return;
    }
    List<KubeObject> records = records(run, scope.kubernetes().get());
    if (records.isEmpty() || run.settings().takeOverHelmRelease()) {
      return;
    }
    String ns = run.settings().serviceAccount().namespace();
    throw new ResourceConflictException(
        "The ACK controller is installed on this cluster by Helm: release "
            + ns
            + "/"
            + run.settings().target().release().orElseThrow()
            + " (records "
            + records.stream().map(KubeObject::name).toList()
            + "). operator-setup does not take over another tool's objects by surprise. Fix:"
            + " uninstall it with helm uninstall, or let install take it over with"
            + " .takeOverHelmRelease() / --take-over-helm-release (its objects are applied with"
            + " operator-setup's field manager and label, and Helm's release records deleted).");
  }

  /** After a takeover's apply: deletes Helm's release records, so Helm no longer owns them. */
  static void removeRecords(Run run, Kubernetes k8s) {
    if (!run.settings().takeOverHelmRelease()) {
      return;
    }
    for (KubeObject record : records(run, k8s)) {
      run.change(
          Change.of(
              "kubernetes:" + record.ref().display(),
              ChangeAction.DELETE,
              "Helm release record, taken over"),
          () -> run.call("kubernetes:delete", () -> k8s.delete(record.ref())));
    }
  }

  /**
   * Whether a live object belongs to the Helm release being taken over: Helm's release annotation
   * or label, or one of the chart's CRDs with no manager label at all (Helm installs a chart's
   * {@code crds/} as they are, without its label or annotation, so nothing else marks them).
   */
  static boolean takenOver(Run run, KubeObject live) {
    var release = run.settings().target().release();
    return run.settings().takeOverHelmRelease()
        && release.isPresent()
        && (release.get().equals(live.annotations().get("meta.helm.sh/release-name"))
            || "Helm".equals(live.labels().get("app.kubernetes.io/managed-by"))
            || (live.kind().equals(ManifestStep.CRD_KIND)
                && !live.labels().containsKey("app.kubernetes.io/managed-by")
                && ownGroup(run, live)));
  }

  /**
   * Helm installs a chart's {@code crds/} without labels, so an unlabelled CRD of the target's own
   * API group is the release's. CRDs of a group that other controllers share (ACK's {@code
   * services.k8s.aws}: FieldExport, IAMRoleSelector) are left to whoever else uses them.
   */
  private static boolean ownGroup(Run run, KubeObject crd) {
    String group = crd.at("/spec/group").asText("");
    return run.settings().target().customResourceGroups().stream()
        .filter(g -> !run.settings().target().sharedCrdGroups().contains(g))
        .anyMatch(group::equals);
  }
}
