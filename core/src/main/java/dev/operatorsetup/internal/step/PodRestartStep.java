package dev.operatorsetup.internal.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.internal.check.Pods;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller's pods. The EKS pod identity webhook injects AWS_ROLE_ARN and the token only into
 * pods created after the ServiceAccount got its role annotation. If the pods are older than the
 * annotation (someone annotated by hand, or the annotation was removed and set again), they run
 * without AWS credentials: this step restarts them, as {@code kubectl rollout restart} does.
 */
public final class PodRestartStep implements Step {
  @Override
  public void converge(Run run, Scope scope) {
    if (scope.kubernetes().isEmpty()) {
      return;
    }
    Kubernetes k8s = scope.kubernetes().get();
    for (KubeObject deployment : run.settings().target().controllers(scope.desired())) {
      restartIfStale(run, scope, k8s, deployment.ref());
    }
  }

  private static void restartIfStale(Run run, Scope scope, Kubernetes k8s, ObjectRef deployment) {
    if (scope.seen(deployment).map(s -> s.action() == ChangeAction.CREATE).orElse(false)) {
      return; // created by this run: every pod of it starts after the ServiceAccount's annotation
    }
    String ns = deployment.namespace().orElse("");
    Optional<KubeObject> live = current(run, scope, k8s, deployment);
    if (live.isEmpty()) {
      return;
    }
    String saName = Pods.serviceAccountName(live.get());
    Optional<Instant> annotatedAt =
        current(run, scope, k8s, ObjectRef.of("v1", "ServiceAccount", ns, saName))
            .flatMap(Pods::annotationTime);
    Map<String, String> selector = Pods.selector(live.get());
    if (annotatedAt.isEmpty() || selector.isEmpty()) {
      return;
    }
    List<KubeObject> pods = run.call("kubernetes:list", () -> k8s.listPods(ns, selector));
    List<String> stale = Pods.startedBefore(pods, annotatedAt.get());
    if (stale.isEmpty()) {
      return;
    }
    String detail =
        "pods "
            + stale
            + " started before "
            + ns
            + "/"
            + saName
            + " got its role annotation: restart them";
    String manager = run.settings().fieldManager();
    run.change(
        Change.of("kubernetes:" + deployment.display(), ChangeAction.UPDATE, detail),
        () -> {
          run.run(
              "kubernetes:restart", () -> k8s.restartDeployment(ns, deployment.name(), manager));
          ManifestStep.awaitRollout(run, k8s, deployment);
        });
  }

  /**
   * The object as it is now: as the manifest step read it when that step left it unchanged (its
   * spec, labels and managedFields are then current), else read again.
   */
  private static Optional<KubeObject> current(Run run, Scope scope, Kubernetes k8s, ObjectRef ref) {
    Optional<Scope.Seen> seen = scope.seen(ref);
    if (seen.isPresent() && seen.get().action() == ChangeAction.UNCHANGED) {
      return seen.get().live();
    }
    return run.call("kubernetes:get", () -> k8s.get(ref));
  }

  @Override
  public void uninstall(Run run, Scope scope) {}

  @Override
  public void check(Checkup checkup) {
    if (checkup.kubernetes().isEmpty()) {
      return;
    }
    Optional<KubeObject> deployment = checkup.deployment();
    Optional<KubeObject> sa = checkup.serviceAccount();
    if (deployment.isEmpty() || sa.isEmpty()) {
      return;
    }
    KubeObject dep = deployment.get();
    Kubernetes k8s = checkup.kubernetes().get();
    String ns = dep.namespace().orElse("");
    List<KubeObject> pods =
        checkup.run().call("kubernetes:list", () -> k8s.listPods(ns, Pods.selector(dep))).stream()
            .filter(p -> !Pods.terminating(p))
            .toList();
    if (pods.isEmpty()) {
      checkup.fail(
          "pods",
          "no controller pods run for " + dep.ref().display(),
          "check the Deployment's events (kubectl describe deployment)");
      return;
    }
    checkStarted(checkup, dep, sa.get(), pods);
    checkImages(checkup, pods);
  }

  private static void checkStarted(
      Checkup checkup, KubeObject dep, KubeObject sa, List<KubeObject> pods) {
    List<String> stale =
        Pods.annotationTime(sa).map(t -> Pods.startedBefore(pods, t)).orElse(List.of());
    if (stale.isEmpty()) {
      checkup.pass("pods", pods.size() + " pod(s) started after the role annotation was set");
    } else {
      checkup.fail(
          "pods",
          "pods "
              + stale
              + " started before the role annotation was set, so they lack AWS_ROLE_ARN and"
              + " AWS_WEB_IDENTITY_TOKEN_FILE",
          "kubectl -n "
              + dep.namespace().orElse("")
              + " rollout restart deployment "
              + dep.name()
              + " (install does this)");
    }
  }

  private static void checkImages(Checkup checkup, List<KubeObject> pods) {
    List<String> images = new ArrayList<>();
    for (KubeObject pod : pods) {
      for (JsonNode cs : pod.at("/status/containerStatuses")) {
        String reason = cs.path("state").path("waiting").path("reason").asText("");
        if (reason.equals("ImagePullBackOff")
            || reason.equals("ErrImagePull")
            || reason.equals("InvalidImageName")) {
          images.add(cs.path("image").asText() + " (" + reason + ")");
        }
      }
    }
    if (images.isEmpty()) {
      checkup.pass("images", "every container image was pulled");
    } else {
      checkup.fail(
          "images",
          "images cannot be pulled: " + images,
          "run install with --image OLD=NEW / .withImage(old, new) naming a pullable image"
              + " (without an override install replaces the removed "
              + ManifestPatch.DEAD_RBAC_PROXY
              + " by "
              + ManifestPatch.LIVE_RBAC_PROXY
              + "; images on ECR need node credentials for ECR)");
    }
  }
}
