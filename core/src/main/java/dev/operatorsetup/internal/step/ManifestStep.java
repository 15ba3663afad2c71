package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Conditions;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.internal.step.Reconcile.Outcome;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Rollout;
import dev.operatorsetup.port.Kubernetes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The target's objects on the cluster: applied stage by stage with server-side apply, then waited
 * for (CRDs Established, controllers rolled out). Removal is {@link ObjectRemoval}'s job.
 */
public final class ManifestStep implements Step {
  static final String CRD_KIND = "CustomResourceDefinition";

  @Override
  public void converge(Run run, Scope scope) {
    if (scope.kubernetes().isEmpty()) {
      return;
    }
    Kubernetes k8s = scope.kubernetes().get();
    Waits waits = new Waits();
    List<List<KubeObject>> stages = StagedApply.stages(scope.desired());
    try (StagedApply staged = new StagedApply(run, k8s, stages)) {
      for (List<KubeObject> stage : stages) {
        run.deadline().checkCancelled();
        if (run.apply() && waits.crdsNeededBy(stage)) {
          awaitCrds(run, k8s, waits);
        }
        StagedApply.Result result = staged.reconcile(stage);
        result.outcomes().forEach(outcome -> record(run, outcome, waits));
        result
            .outcomes()
            .forEach(
                o -> scope.saw(o.object().ref(), new Scope.Seen(o.live(), o.change().action())));
        if (result.failure() != null) {
          throw result.failure();
        }
      }
    }
    Inventory.prune(run, k8s, scope.desired());
    HelmRelease.removeRecords(run, k8s);
    if (!run.apply()) {
      return;
    }
    awaitCrds(run, k8s, waits);
    for (ObjectRef deployment : waits.deployments) {
      awaitRollout(run, k8s, deployment);
    }
  }

  /**
   * CRDs to wait for, and the types they define ("group/Kind"). The wait comes before the first
   * object of such a type, else after the last apply: the API server establishes the CRDs while the
   * other objects are applied and the controller rolls out.
   */
  private static final class Waits {
    final List<String> crds = new ArrayList<>();
    final Set<String> crdTypes = new HashSet<>();
    final List<ObjectRef> deployments = new ArrayList<>();
    boolean crdsAwaited;

    boolean crdsNeededBy(List<KubeObject> stage) {
      return !crdsAwaited
          && !crds.isEmpty()
          && stage.stream().anyMatch(o -> crdTypes.contains(o.ref().group() + "/" + o.kind()));
    }
  }

  private static void record(Run run, Outcome r, Waits waits) {
    run.record(r.change());
    if (r.applied()) {
      run.changed(r.change());
    }
    // Nothing to wait for when nothing was applied and the object is already there.
    boolean done = r.change().action() == ChangeAction.UNCHANGED;
    KubeObject object = r.object();
    if (object.kind().equals(CRD_KIND)) {
      waits.crdTypes.add(
          object.at("/spec/group").asText() + "/" + object.at("/spec/names/kind").asText());
      if (!(done && Conditions.isTrue(r.live().get(), "Established"))) {
        waits.crds.add(object.name());
      }
    } else if (object.kind().equals("Deployment") && !(done && Rollout.done(r.live().get()))) {
      waits.deployments.add(object.ref());
    }
  }

  private static void awaitCrds(Run run, Kubernetes k8s, Waits waits) {
    if (waits.crdsAwaited) {
      return;
    }
    waits.crdsAwaited = true;
    for (String crd : waits.crds) {
      run.waiting("crds", "CustomResourceDefinition " + crd + " to be Established");
      k8s.awaitCrdEstablished(crd, run.forWait());
    }
  }

  static void awaitRollout(Run run, Kubernetes k8s, ObjectRef deployment) {
    String ns = deployment.namespace().orElse("");
    run.waiting("rollout", "Deployment " + ns + "/" + deployment.name() + " to roll out");
    k8s.awaitRollout(ns, deployment.name(), run.forWait());
  }

  @Override
  public void uninstall(Run run, Scope scope) {
    if (scope.kubernetes().isPresent()) {
      ObjectRemoval.objects(run, scope.kubernetes().get(), scope.desired());
    }
  }

  @Override
  public void check(Checkup checkup) {
    if (checkup.kubernetes().isEmpty()) {
      return;
    }
    ManifestChecks.crds(checkup);
    ManifestChecks.serviceAccount(checkup);
    ManifestChecks.deployment(checkup);
    AckChecks.region(checkup);
    AckChecks.coexistence(checkup);
    HelmReleaseCheck.check(checkup);
  }
}
