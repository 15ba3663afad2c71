package dev.operatorsetup.internal.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.manifest.ManifestRenderer;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.port.Kubernetes;
import java.util.Optional;

/**
 * Reconciles one object: reads it, decides what to do, and applies it if the run writes. Objects
 * operator-setup created carry its label and are force-applied (drift is taken back from other
 * field managers); objects that existed before are forced only when the caller asks.
 */
final class Reconcile {
  /** The pod-template annotation that rolls the controller's pods when the role changes. */
  static final String ROLE_ARN_TEMPLATE_ANNOTATION = ManifestRenderer.POD_ROLE_ARN_ANNOTATION;

  /** What reconciling one object found, decided and (if the run writes) did. */
  record Outcome(KubeObject object, Optional<KubeObject> live, Change change, boolean applied) {}

  private Reconcile() {}

  static Outcome object(Run run, Kubernetes k8s, KubeObject object) {
    run.deadline().checkCancelled();
    Optional<KubeObject> live = run.call("kubernetes:get", () -> k8s.get(object.ref()));
    boolean ours =
        live.isEmpty()
            || Tags.isOurs(live.get().labels())
            || HelmRelease.takenOver(run, live.get());
    KubeObject want = ours ? owned(object) : object;
    String resource = "kubernetes:" + object.ref().display();
    Change change;
    if (live.isEmpty()) {
      change = Change.of(resource, ChangeAction.CREATE, "apply " + object.apiVersion());
    } else if (live.get().contains(want)) {
      change = Change.of(resource, ChangeAction.UNCHANGED, "matches the manifest");
    } else {
      change = Change.of(resource, ChangeAction.UPDATE, describeUpdate(live.get(), want));
    }
    boolean applied = false;
    if (run.apply() && change.action() != ChangeAction.UNCHANGED) {
      boolean force = ours || run.settings().forceConflicts();
      String manager = run.settings().fieldManager();
      run.call("kubernetes:apply", () -> k8s.apply(want, manager, force));
      applied = true;
    }
    return new Outcome(object, live, change, applied);
  }

  private static String describeUpdate(KubeObject live, KubeObject want) {
    if (want.kind().equals("ServiceAccount")) {
      String have = live.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION);
      String need = want.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION);
      if (need != null && !need.equals(have)) {
        return "role annotation " + (have == null ? "missing" : have) + " -> " + need;
      }
    }
    if (want.kind().equals("Deployment")) {
      String pointer =
          "/spec/template/metadata/annotations/" + ROLE_ARN_TEMPLATE_ANNOTATION.replace("/", "~1");
      JsonNode have = live.at(pointer);
      JsonNode need = want.at(pointer);
      if (!have.equals(need)) {
        return "role changed: the controller's pods restart";
      }
    }
    return "differs from the manifest";
  }

  private static KubeObject owned(KubeObject object) {
    return object.editLabels(labels -> labels.put(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE));
  }
}
