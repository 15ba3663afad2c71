package dev.operatorsetup.internal.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.internal.Conditions;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Rollout;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.Kubernetes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The findings about the target's objects: CRDs, the ServiceAccount, the controller. */
final class ManifestChecks {
  private ManifestChecks() {}

  static void crds(Checkup checkup) {
    Run run = checkup.run();
    Kubernetes k8s = checkup.kubernetes().orElseThrow();
    List<String> bad = new ArrayList<>();
    int count = 0;
    for (KubeObject crd : checkup.scope().desired()) {
      if (crd.kind().equals(ManifestStep.CRD_KIND)) {
        count++;
        ObjectRef ref =
            ObjectRef.of("apiextensions.k8s.io/v1", ManifestStep.CRD_KIND, null, crd.name());
        problem(run.call("kubernetes:get", () -> k8s.get(ref)), crd.name()).ifPresent(bad::add);
      }
    }
    if (bad.isEmpty()) {
      checkup.pass("crds", count + " CustomResourceDefinitions Established and served");
      return;
    }
    boolean deleting = bad.stream().anyMatch(b -> b.endsWith("being deleted"));
    checkup.fail(
        "crds",
        String.join(", ", bad) + " ('no kind TrainingJob is registered')",
        run.settings().target().crdFix()
            + (deleting ? " once the deletion has finished (kubectl get crd shows it gone)" : ""));
  }

  private static Optional<String> problem(Optional<KubeObject> live, String name) {
    if (live.isEmpty()) {
      return Optional.of(name + " missing");
    }
    if (!live.get().at("/metadata/deletionTimestamp").isMissingNode()) {
      return Optional.of(name + " being deleted");
    }
    if (!Conditions.isTrue(live.get(), "Established")) {
      return Optional.of(name + " not Established");
    }
    for (JsonNode v : live.get().at("/spec/versions")) {
      if (v.path("served").asBoolean(false)) {
        return Optional.empty();
      }
    }
    return Optional.of(name + " serves no version");
  }

  static void serviceAccount(Checkup checkup) {
    ServiceAccountRef used = checkup.serviceAccountInUse();
    String display = "ServiceAccount " + used.namespace() + "/" + used.name();
    Optional<String> annotated = checkup.annotatedRole();
    Arn expected = checkup.scope().facts().roleArn();
    if (checkup.serviceAccount().isEmpty()) {
      checkup.fail(
          "service-account", display + " (used by the Deployment) does not exist", "run install");
    } else if (annotated.isEmpty()) {
      checkup.fail(
          "service-account",
          display
              + " has no "
              + ManifestPatch.ROLE_ARN_ANNOTATION
              + " annotation, so the pods get no AWS credentials",
          "run install");
    } else if (!annotated.get().equals(expected.toString())) {
      checkup.fail(
          "service-account",
          display + " is annotated with " + annotated.get() + ", not " + expected,
          "run install (it sets the annotation and restarts the controller)");
    } else {
      checkup.pass(
          "service-account",
          used.namespace() + "/" + used.name() + " annotated with " + annotated.get());
    }
  }

  static void deployment(Checkup checkup) {
    Optional<KubeObject> deployment = checkup.deployment();
    if (deployment.isEmpty()) {
      checkup.fail(
          "deployment",
          "the controller Deployment does not exist in "
              + checkup.run().settings().serviceAccount().namespace(),
          "run install");
      return;
    }
    KubeObject dep = deployment.get();
    long want = dep.at("/spec/replicas").asLong(1);
    long available = dep.at("/status/availableReplicas").asLong(0);
    Optional<String> pending = Rollout.pending(dep.json());
    if (pending.isEmpty()) {
      checkup.pass("deployment", dep.ref().display() + " " + available + "/" + want + " available");
    } else {
      checkup.fail(
          "deployment",
          dep.ref().display() + " has not rolled out: " + pending.get(),
          "see the pods' events; install waits for the rollout");
    }
  }
}
