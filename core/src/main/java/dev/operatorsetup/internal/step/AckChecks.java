package dev.operatorsetup.internal.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import java.util.Optional;

/**
 * The findings that tell the two SageMaker operators apart: the ACK controller's {@code AWS_REGION}
 * against the cluster's region, and a warning when the legacy operator and the ACK controller both
 * run on the cluster.
 */
final class AckChecks {
  static final String LEGACY_CRD = "trainingjobs.sagemaker.aws.amazon.com";
  static final String ACK_CRD = "trainingjobs.sagemaker.services.k8s.aws";

  private AckChecks() {}

  /** The controller's AWS_REGION (live Deployment, else the rendered one) is the cluster's. */
  static void region(Checkup checkup) {
    Run run = checkup.run();
    if (run.settings().target() != OperatorTarget.ack()) {
      return;
    }
    String want = run.settings().cluster().region();
    Optional<KubeObject> dep =
        checkup
            .deployment()
            .or(
                () ->
                    run.settings().target().controllers(checkup.scope().desired()).stream()
                        .findFirst());
    Optional<String> have = dep.flatMap(AckChecks::awsRegion);
    if (have.isEmpty()) {
      checkup.fail(
          "controller-region",
          "the controller's container sets no AWS_REGION",
          "run install (it sets aws.region to " + want + ")");
    } else if (!have.get().equals(want)) {
      checkup.fail(
          "controller-region",
          "the controller calls AWS in " + have.get() + " but the cluster is in " + want,
          "run install (it sets aws.region to the cluster's region), or drop a --set aws.region");
    } else {
      checkup.pass("controller-region", "AWS_REGION " + have.get() + " is the cluster's region");
    }
  }

  static Optional<String> awsRegion(KubeObject deployment) {
    for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
      for (JsonNode env : c.path("env")) {
        if ("AWS_REGION".equals(env.path("name").asText()) && env.has("value")) {
          String v = env.path("value").asText();
          return v.isEmpty() ? Optional.empty() : Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  /** Warns (without failing) when the other SageMaker operator's CRDs are served too. */
  static void coexistence(Checkup checkup) {
    Run run = checkup.run();
    Kubernetes k8s = checkup.kubernetes().orElseThrow();
    boolean ack = run.settings().target() == OperatorTarget.ack();
    String other = ack ? LEGACY_CRD : ACK_CRD;
    ObjectRef ref = ObjectRef.of("apiextensions.k8s.io/v1", ManifestStep.CRD_KIND, null, other);
    if (run.call("kubernetes:get", () -> k8s.get(ref)).isPresent()) {
      checkup.pass(
          "operators",
          "warning: the legacy SageMaker operator and the ACK SageMaker controller are both"
              + " installed (CRD "
              + other
              + " exists); each manages only its own resources. Fix: migrate to one and"
              + " uninstall the other with --target "
              + (ack ? "legacy" : "ack"));
    }
  }
}
