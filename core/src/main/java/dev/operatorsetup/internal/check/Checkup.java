package dev.operatorsetup.internal.check;

import dev.operatorsetup.internal.FoundCluster;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.Kubernetes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One check of an installation: the scope it reads, the findings so far, and what it found on the
 * cluster, read once and shared by the steps' checks (the controller's Deployment, the
 * ServiceAccount it really runs as, and the role that ServiceAccount names).
 */
public final class Checkup {
  private final Run run;
  private final Scope scope;
  private final List<Check> findings = new ArrayList<>();
  private Optional<KubeObject> deployment;
  private Optional<KubeObject> serviceAccount;

  public Checkup(Run run, Scope scope) {
    this.run = run;
    this.scope = scope;
  }

  public Run run() {
    return run;
  }

  public Scope scope() {
    return scope;
  }

  public FoundCluster cluster() {
    return scope.cluster();
  }

  public Optional<Kubernetes> kubernetes() {
    return scope.kubernetes();
  }

  public void pass(String name, String detail) {
    findings.add(Check.passed(name, detail));
  }

  public void fail(String name, String problem, String fix) {
    findings.add(Check.failed(name, problem, fix));
  }

  /** A failed check whose detail already says the fix in its own words. */
  public void failSaying(String name, String detail, String fix) {
    findings.add(new Check.Builder().name(name).ok(false).detail(detail).fix(fix).build());
  }

  public List<Check> findings() {
    return List.copyOf(findings);
  }

  /** The target's first controller Deployment as it is on the cluster. */
  public Optional<KubeObject> deployment() {
    if (deployment == null) {
      Kubernetes k8s = scope.kubernetes().orElseThrow();
      deployment =
          run.settings().target().controllers(scope.desired()).stream()
              .findFirst()
              .flatMap(d -> run.call("kubernetes:get", () -> k8s.get(d.ref())));
    }
    return deployment;
  }

  /** The ServiceAccount the controller really runs as: the Deployment's, else the chosen one. */
  public ServiceAccountRef serviceAccountInUse() {
    ServiceAccountRef chosen = run.settings().serviceAccount();
    if (scope.kubernetes().isEmpty()) {
      return chosen;
    }
    return deployment()
        .map(d -> ServiceAccountRef.of(chosen.namespace(), Pods.serviceAccountName(d)))
        .orElse(chosen);
  }

  /** That ServiceAccount as it is on the cluster. */
  public Optional<KubeObject> serviceAccount() {
    if (serviceAccount == null) {
      ServiceAccountRef used = serviceAccountInUse();
      Kubernetes k8s = scope.kubernetes().orElseThrow();
      serviceAccount =
          run.call(
              "kubernetes:get",
              () -> k8s.get(ObjectRef.of("v1", "ServiceAccount", used.namespace(), used.name())));
    }
    return serviceAccount;
  }

  /** The role ARN the ServiceAccount in use is annotated with, if any (none when AWS-only). */
  public Optional<String> annotatedRole() {
    if (scope.kubernetes().isEmpty()) {
      return Optional.empty();
    }
    return serviceAccount().map(o -> o.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION));
  }
}
