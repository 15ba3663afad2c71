package dev.operatorsetup.internal.migrate;

import dev.operatorsetup.internal.FoundCluster;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.TrustMerge;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The legacy operator as the cluster and IAM show it: its namespace and ServiceAccount, its
 * controller Deployments, whether any of its CRDs is left, and the IAM roles that trust its
 * ServiceAccount on this cluster (found by trust, so a re-run after a crash finds them even when
 * the annotated ServiceAccount is gone).
 */
public record LegacyInstall(
    ServiceAccountRef serviceAccount,
    List<KubeObject> controllers,
    boolean crdsLeft,
    boolean namespaceLeft,
    List<String> roles) {

  /** The legacy controller's Deployment name in the installer. */
  public static final String CONTROLLER = "sagemaker-k8s-operator-controller-manager";

  /** Whether anything of the legacy operator is left to uninstall. */
  public boolean present() {
    return crdsLeft || namespaceLeft || !controllers.isEmpty() || !roles.isEmpty();
  }

  /** Reads what is left of the legacy operator. */
  public static LegacyInstall find(Run run, Kubernetes k8s, FoundCluster cluster) {
    ServiceAccountRef defaults = OperatorTarget.legacy().defaultServiceAccount();
    List<KubeObject> accounts =
        run.call(
            "kubernetes:list ServiceAccount",
            () -> k8s.list("v1", "ServiceAccount", null, Map.of()));
    Optional<KubeObject> account =
        accounts.stream().filter(a -> a.name().equals(defaults.name())).findFirst();
    String namespace = account.flatMap(KubeObject::namespace).orElse(defaults.namespace());
    ServiceAccountRef sa = ServiceAccountRef.of(namespace, defaults.name());
    List<KubeObject> controllers =
        run
            .call(
                "kubernetes:list Deployment",
                () -> k8s.list("apps/v1", "Deployment", namespace, Map.of()))
            .stream()
            .filter(d -> d.name().equals(CONTROLLER))
            .toList();
    boolean crds = false;
    for (LegacyKind kind : LegacyKind.values()) {
      ObjectRef ref =
          ObjectRef.of("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, kind.crdName());
      crds |= run.call("kubernetes:get " + kind.crdName(), () -> k8s.get(ref)).isPresent();
    }
    ObjectRef ns = ObjectRef.of("v1", "Namespace", null, namespace);
    boolean nsLeft = run.call("kubernetes:get namespace", () -> k8s.get(ns)).isPresent();
    return new LegacyInstall(sa, controllers, crds, nsLeft, roles(run, cluster, sa, account));
  }

  private static List<String> roles(
      Run run, FoundCluster cluster, ServiceAccountRef sa, Optional<KubeObject> account) {
    Set<String> names = new LinkedHashSet<>();
    account
        .map(a -> a.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION))
        .flatMap(LegacyInstall::roleName)
        .ifPresent(names::add);
    TrustMerge legacy = new TrustMerge(cluster, sa);
    Map<String, TrustPolicy> all =
        run.call("iam:ListRoles", () -> run.aws().roles().trustPolicies());
    all.forEach(
        (name, trust) -> {
          if (trust.statements().stream().anyMatch(legacy::isOurs)) {
            names.add(name);
          }
        });
    // A role named by the annotation that no longer exists is nothing to uninstall.
    names.removeIf(n -> !all.containsKey(n));
    return new ArrayList<>(names);
  }

  private static Optional<String> roleName(String arn) {
    try {
      return Optional.of(Arn.parseRole("role ARN", arn).resourceName());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
