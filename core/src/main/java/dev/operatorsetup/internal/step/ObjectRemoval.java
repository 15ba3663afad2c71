package dev.operatorsetup.internal.step;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.port.Kubernetes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Deletes what uninstall removes on the cluster: custom resources first, then the objects. */
final class ObjectRemoval {
  private ObjectRemoval() {}

  /**
   * Deletes every custom resource of the manifest's CRDs and waits for them: their finalizers would
   * hang the deletion of the CRDs. The operator gets one grace period for all of them together.
   */
  static void customResources(Run run, Kubernetes k8s, List<KubeObject> desired) {
    List<KubeObject> resources = new ArrayList<>();
    for (KubeObject crd : desired) {
      if (!crd.kind().equals(ManifestStep.CRD_KIND)) {
        continue;
      }
      List<KubeObject> ofCrd =
          run.call("kubernetes:list", () -> k8s.listCustomResources(crd.name()));
      for (KubeObject cr : ofCrd) {
        run.change(
            Change.of(
                "kubernetes:" + cr.ref().display(),
                ChangeAction.DELETE,
                "custom resource of " + crd.name()),
            () -> run.call("kubernetes:delete", () -> k8s.delete(cr.ref())));
      }
      resources.addAll(ofCrd);
    }
    if (run.apply()) {
      awaitGone(run, k8s, resources);
    }
  }

  /** Deletes these custom resources and waits for them, as {@link #customResources} does. */
  static void deleteAll(Run run, Kubernetes k8s, List<KubeObject> resources, String detail) {
    for (KubeObject cr : resources) {
      run.change(
          Change.of("kubernetes:" + cr.ref().display(), ChangeAction.DELETE, detail),
          () -> run.call("kubernetes:delete", () -> k8s.delete(cr.ref())));
    }
    if (run.apply()) {
      awaitGone(run, k8s, resources);
    }
  }

  private static void awaitGone(Run run, Kubernetes k8s, List<KubeObject> resources) {
    Duration grace = min(run.forWait(), Duration.ofSeconds(30));
    long graceEnd = System.nanoTime() + grace.toNanos();
    List<String> stuck = new ArrayList<>();
    for (KubeObject cr : resources) {
      try {
        run.waiting("uninstall", cr.ref().display() + " to be deleted");
        k8s.awaitDeleted(cr.ref(), Duration.ofNanos(Math.max(0, graceEnd - System.nanoTime())));
      } catch (WaitTimeoutException e) {
        if (run.settings().removeFinalizers()) {
          run.call("kubernetes:removeFinalizers", () -> k8s.removeFinalizers(cr.ref()));
          k8s.awaitDeleted(cr.ref(), run.forWait());
        } else {
          stuck.add(cr.ref().display());
        }
      }
    }
    if (!stuck.isEmpty()) {
      throw new OperatorSetupException(
          "These custom resources are stuck on their finalizers: "
              + stuck
              + ". The operator removes them when it can reach SageMaker. Fix: make the operator"
              + " healthy and run uninstall again, or let uninstall drop the finalizers with"
              + " .removeFinalizers() / --remove-finalizers (the SageMaker jobs themselves are"
              + " then left running in AWS).");
    }
  }

  /**
   * Deletes the objects operator-setup created, in reverse order, CRDs last (but not the shared
   * ones still in use: {@link SharedCrds}), and waits for them.
   */
  static void objects(Run run, Kubernetes k8s, List<KubeObject> desired) {
    SharedCrds shared = new SharedCrds(run, k8s, desired);
    List<KubeObject> order = new ArrayList<>(desired);
    Collections.reverse(order);
    List<KubeObject> crdsLast =
        new ArrayList<>(
            order.stream().filter(o -> !o.kind().equals(ManifestStep.CRD_KIND)).toList());
    if (!run.settings().keepCrds()) {
      crdsLast.addAll(order.stream().filter(o -> o.kind().equals(ManifestStep.CRD_KIND)).toList());
    }
    List<ObjectRef> deleted = new ArrayList<>();
    for (KubeObject object : crdsLast) {
      if (delete(run, k8s, object, shared)) {
        deleted.add(object.ref());
      }
    }
    for (ObjectRef ref : run.apply() ? deleted : List.<ObjectRef>of()) {
      run.waiting("uninstall", ref.display() + " to be deleted");
      k8s.awaitDeleted(ref, run.forWait());
    }
  }

  private static boolean delete(Run run, Kubernetes k8s, KubeObject object, SharedCrds shared) {
    run.deadline().checkCancelled();
    String resource = "kubernetes:" + object.ref().display();
    Optional<KubeObject> live = run.call("kubernetes:get", () -> k8s.get(object.ref()));
    if (live.isEmpty()) {
      run.record(Change.of(resource, ChangeAction.UNCHANGED, "absent"));
      return false;
    }
    if (!Tags.isOurs(live.get().labels())) {
      run.record(
          Change.of(resource, ChangeAction.UNCHANGED, "kept: not created by operator-setup"));
      return false;
    }
    Optional<String> kept = shared.keep(object);
    if (kept.isPresent()) {
      run.record(Change.of(resource, ChangeAction.UNCHANGED, kept.get()));
      return false;
    }
    run.change(
        Change.of(resource, ChangeAction.DELETE, "created by operator-setup"),
        () -> run.call("kubernetes:delete", () -> k8s.delete(object.ref())));
    return true;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
