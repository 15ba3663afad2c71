package dev.operatorsetup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustPolicyLint;
import dev.operatorsetup.port.Kubernetes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an installation made by anyone and checks the whole chain: cluster issuer, IAM OIDC
 * provider, role trust policy, attached policies, ServiceAccount annotation, pods started after it,
 * CRDs, Deployment, images. Each failed check names what is wrong and the exact fix.
 */
final class Doctor {
  private final Settings s;
  private final List<Check> checks = new ArrayList<>();

  Doctor(Settings settings) {
    this.s = settings;
  }

  InstallReport diagnose() {
    long start = System.nanoTime();
    Deadline d = new Deadline(s.timeout());
    String account =
        Retry.call("sts:GetCallerIdentity", d, () -> s.aws().callerIdentity().get()).account();
    Partition partition = s.cluster().partition();
    Optional<ClusterInfo> cluster =
        Retry.call("eks:DescribeCluster", d, () -> s.aws().clusters().describe(s.cluster().name()));
    InstallReport.Builder report =
        new InstallReport.Builder()
            .command("diagnose")
            .cluster(s.cluster().name())
            .region(s.cluster().region())
            .account(account);
    if (cluster.isEmpty() || cluster.get().issuer().isEmpty()) {
      fail(
          "cluster",
          cluster.isEmpty()
              ? "EKS cluster "
                  + s.cluster().name()
                  + " not found in "
                  + s.cluster().region()
                  + "; fix: check --cluster and --region"
              : "the cluster reports no OIDC issuer; fix: use a cluster of Kubernetes 1.13 or later");
      return report.addAllChecks(checks).durationMillis(ms(start)).build();
    }
    OidcIssuer issuer = OidcIssuer.parse(cluster.get().issuer().get());
    Arn providerArn = issuer.providerArn(partition, account);
    report.oidcProviderArn(providerArn.toString());
    pass("cluster", "issuer " + issuer.url());

    Optional<OidcProvider> provider =
        Retry.call(
            "iam:GetOpenIDConnectProvider", d, () -> s.aws().oidcProviders().find(providerArn));
    if (provider.isEmpty()) {
      fail(
          "oidc-provider",
          "no IAM OIDC provider for "
              + issuer.url()
              + " ("
              + providerArn
              + "): tokens are refused with 'No OpenIDConnect provider found'; fix: run install, or aws iam create-open-id-connect-provider --url "
              + issuer.url()
              + " --client-id-list "
              + TrustPolicy.AUDIENCE);
    } else if (!provider.get().clientIds().contains(TrustPolicy.AUDIENCE)) {
      fail(
          "oidc-provider",
          providerArn
              + " lists client ids "
              + provider.get().clientIds()
              + " but not "
              + TrustPolicy.AUDIENCE
              + " ('Incorrect token audience'); fix: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn "
              + providerArn
              + " --client-id "
              + TrustPolicy.AUDIENCE
              + " (or, if nothing else uses the provider, aws iam"
              + " delete-open-id-connect-provider --open-id-connect-provider-arn "
              + providerArn
              + " and run install, which creates it with "
              + TrustPolicy.AUDIENCE
              + ")");
    } else {
      String url = provider.get().url().replaceFirst("^https://", "");
      if (!url.equals(issuer.hostAndPath())) {
        fail(
            "oidc-provider",
            providerArn
                + " has URL "
                + provider.get().url()
                + ", the cluster's issuer is "
                + issuer.url()
                + "; fix: delete the provider and run install");
      } else {
        pass("oidc-provider", providerArn + " with client id " + TrustPolicy.AUDIENCE);
      }
    }

    Kubernetes k8s = s.kubernetes().map(c -> c.connect(cluster.get())).orElse(null);
    try {
      Optional<String> annotatedRole = Optional.empty();
      ServiceAccountRef used = s.serviceAccount();
      List<KubeObject> manifest = k8s == null ? List.of() : s.manifest().load().objects();
      Optional<KubeObject> deployment = Optional.empty();
      if (k8s != null) {
        String deploymentName =
            manifest.stream()
                .filter(o -> o.kind().equals("Deployment"))
                .map(KubeObject::name)
                .findFirst()
                .orElse("sagemaker-k8s-operator-controller-manager");
        deployment =
            k8s.get(
                ObjectRef.of(
                    "apps/v1", "Deployment", s.serviceAccount().namespace(), deploymentName));
        if (deployment.isPresent()) {
          used =
              ServiceAccountRef.of(
                  s.serviceAccount().namespace(), serviceAccountName(deployment.get()));
        }
        Optional<KubeObject> sa =
            k8s.get(ObjectRef.of("v1", "ServiceAccount", used.namespace(), used.name()));
        annotatedRole = sa.map(o -> o.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION));
        Arn expectedRole = s.role().arn(partition, account);
        if (sa.isEmpty()) {
          fail(
              "service-account",
              "ServiceAccount "
                  + used.namespace()
                  + "/"
                  + used.name()
                  + " (used by the Deployment) does not exist; fix: run install");
        } else if (annotatedRole.isEmpty()) {
          fail(
              "service-account",
              "ServiceAccount "
                  + used.namespace()
                  + "/"
                  + used.name()
                  + " has no "
                  + ManifestPatch.ROLE_ARN_ANNOTATION
                  + " annotation, so the pods get no AWS credentials; fix: run install");
        } else if (!annotatedRole.get().equals(expectedRole.toString())) {
          fail(
              "service-account",
              "ServiceAccount "
                  + used.namespace()
                  + "/"
                  + used.name()
                  + " is annotated with "
                  + annotatedRole.get()
                  + ", not "
                  + expectedRole
                  + "; fix: run install (it sets the annotation and restarts the controller)");
        } else {
          pass(
              "service-account",
              used.namespace() + "/" + used.name() + " annotated with " + annotatedRole.get());
        }
        if (sa.isPresent() && deployment.isPresent()) {
          checkPodsAfterAnnotation(k8s, sa.get(), deployment.get());
        }
      }
      checkRole(d, partition, account, providerArn, issuer, used, annotatedRole);
      if (k8s != null) {
        checkCrds(k8s, manifest);
        checkDeployment(k8s, deployment);
      }
    } finally {
      if (k8s != null) {
        k8s.close();
      }
    }
    return report
        .roleArn(s.role().arn(partition, account).toString())
        .serviceAccount(s.serviceAccount().namespace() + "/" + s.serviceAccount().name())
        .addAllChecks(checks)
        .durationMillis(ms(start))
        .build();
  }

  private void checkRole(
      Deadline d,
      Partition partition,
      String account,
      Arn providerArn,
      OidcIssuer issuer,
      ServiceAccountRef used,
      Optional<String> annotatedRole) {
    String roleName = s.role().name();
    if (annotatedRole.isPresent()) {
      try {
        roleName = Arn.parseRole("annotated role ARN", annotatedRole.get()).resourceName();
      } catch (InvalidConfigurationException e) {
        fail(
            "role",
            "the annotation holds '"
                + annotatedRole.get()
                + "', which is not a role ARN; fix: run install");
        return;
      }
    }
    String name = roleName;
    Optional<Role> role = Retry.call("iam:GetRole", d, () -> s.aws().roles().find(name));
    if (role.isEmpty()) {
      fail("role", "IAM role " + name + " does not exist; fix: run install");
      return;
    }
    if (annotatedRole.isPresent()
        && !role.get().arn().toString().equalsIgnoreCase(annotatedRole.get())) {
      // GetRole finds a role by name whatever its path; the annotation must name its real ARN.
      fail(
          "role",
          "the ServiceAccount names "
              + annotatedRole.get()
              + " but the role is "
              + role.get().arn()
              + " (path "
              + role.get().path()
              + "), so AssumeRoleWithWebIdentity fails; fix: run install with .withRolePath(\""
              + role.get().path()
              + "\")");
    }
    List<String> problems =
        TrustPolicyLint.problems(role.get().trustPolicy(), providerArn, issuer, used, false);
    if (problems.isEmpty()) {
      pass("role-trust", role.get().arn() + " trusts " + used.subject() + " via " + providerArn);
    } else {
      fail("role-trust", role.get().arn() + ": " + String.join("; ", problems));
    }
    List<Arn> wanted =
        s.role().managedPolicyArns().isEmpty()
            ? List.of(RoleSpec.defaultPolicy(partition))
            : s.role().managedPolicyArns();
    List<Arn> missing =
        wanted.stream().filter(p -> !role.get().attachedPolicies().contains(p)).toList();
    if (missing.isEmpty()) {
      pass("role-policies", "attached: " + wanted);
    } else {
      fail(
          "role-policies",
          role.get().arn()
              + " lacks "
              + missing
              + " (AccessDenied from SageMaker); fix: run install, or aws iam attach-role-policy --role-name "
              + name
              + " --policy-arn "
              + missing.get(0));
    }
  }

  private void checkPodsAfterAnnotation(Kubernetes k8s, KubeObject sa, KubeObject deployment) {
    Optional<Instant> annotatedAt = annotationTime(sa);
    Map<String, String> selector = selector(deployment);
    List<KubeObject> pods =
        k8s.listPods(deployment.namespace().orElse(""), selector).stream()
            .filter(p -> !terminating(p))
            .toList();
    if (pods.isEmpty()) {
      fail(
          "pods",
          "no controller pods run for "
              + deployment.ref().display()
              + "; fix: check the Deployment's events (kubectl describe deployment)");
      return;
    }
    List<String> stale = annotatedAt.map(t -> startedBefore(pods, t)).orElse(List.of());
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
    if (stale.isEmpty()) {
      pass("pods", pods.size() + " pod(s) started after the role annotation was set");
    } else {
      fail(
          "pods",
          "pods "
              + stale
              + " started before the role annotation was set, so they lack AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE; fix: kubectl -n "
              + deployment.namespace().orElse("")
              + " rollout restart deployment "
              + deployment.name()
              + " (install does this)");
    }
    if (images.isEmpty()) {
      pass("images", "every container image was pulled");
    } else {
      fail(
          "images",
          "images cannot be pulled: "
              + images
              + "; fix: run install with --image OLD=NEW / .withImage(old, new) naming a pullable"
              + " image (without an override install replaces the removed "
              + ManifestPatch.DEAD_RBAC_PROXY
              + " by "
              + ManifestPatch.LIVE_RBAC_PROXY
              + "; images on ECR need node credentials for ECR)");
    }
  }

  private void checkCrds(Kubernetes k8s, List<KubeObject> manifest) {
    List<String> bad = new ArrayList<>();
    int count = 0;
    for (KubeObject crd : manifest) {
      if (!crd.kind().equals("CustomResourceDefinition")) {
        continue;
      }
      count++;
      Optional<KubeObject> live =
          k8s.get(
              ObjectRef.of(
                  "apiextensions.k8s.io/v1", "CustomResourceDefinition", null, crd.name()));
      if (live.isEmpty()) {
        bad.add(crd.name() + " missing");
      } else if (!live.get().at("/metadata/deletionTimestamp").isMissingNode()) {
        bad.add(crd.name() + " being deleted");
      } else if (!Conditions.isTrue(live.get(), "Established")) {
        bad.add(crd.name() + " not Established");
      } else {
        boolean served = false;
        for (JsonNode v : live.get().at("/spec/versions")) {
          served |= v.path("served").asBoolean(false);
        }
        if (!served) {
          bad.add(crd.name() + " serves no version");
        }
      }
    }
    if (bad.isEmpty()) {
      pass("crds", count + " CustomResourceDefinitions Established and served");
    } else {
      fail(
          "crds",
          String.join(", ", bad)
              + " ('no kind TrainingJob is registered'); fix: run install (it converts the v1beta1 CRDs to v1)"
              + (bad.stream().anyMatch(b -> b.endsWith("being deleted"))
                  ? " once the deletion has finished (kubectl get crd shows it gone)"
                  : ""));
    }
  }

  private void checkDeployment(Kubernetes k8s, Optional<KubeObject> deployment) {
    if (deployment.isEmpty()) {
      fail(
          "deployment",
          "the controller Deployment does not exist in "
              + s.serviceAccount().namespace()
              + "; fix: run install");
      return;
    }
    KubeObject dep = deployment.get();
    long want = dep.at("/spec/replicas").asLong(1);
    long available = dep.at("/status/availableReplicas").asLong(0);
    if (available >= want) {
      pass("deployment", dep.ref().display() + " " + available + "/" + want + " available");
    } else {
      fail(
          "deployment",
          dep.ref().display()
              + " has "
              + available
              + "/"
              + want
              + " available replicas; fix: see the pods' events; install waits for the rollout");
    }
  }

  /** The ServiceAccount the Deployment's pods run as. */
  static String serviceAccountName(KubeObject deployment) {
    String name = deployment.at("/spec/template/spec/serviceAccountName").asText("");
    if (name.isEmpty()) {
      name = deployment.at("/spec/template/spec/serviceAccount").asText("");
    }
    return name.isEmpty() ? "default" : name;
  }

  /**
   * Returns the names of the pods, not being deleted, that started (else were created) before the
   * instant. Both times have second resolution, so a pod of the same second counts as after.
   */
  static List<String> startedBefore(List<KubeObject> pods, Instant instant) {
    List<String> stale = new ArrayList<>();
    for (KubeObject pod : pods) {
      if (terminating(pod)) {
        continue;
      }
      Optional<Instant> started = instant(pod.at("/status/startTime").asText(""));
      if (started.isEmpty()) {
        started = instant(pod.at("/metadata/creationTimestamp").asText(""));
      }
      if (started.isPresent() && started.get().isBefore(instant)) {
        stale.add(pod.name());
      }
    }
    return stale;
  }

  private static boolean terminating(KubeObject pod) {
    JsonNode deletion = pod.at("/metadata/deletionTimestamp");
    return !deletion.isMissingNode() && !deletion.isNull();
  }

  static Map<String, String> selector(KubeObject deployment) {
    Map<String, String> selector = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            deployment.at("/spec/selector/matchLabels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      selector.put(e.getKey(), e.getValue().asText());
    }
    return selector;
  }

  /** Returns when the role annotation was last written, from the object's managedFields. */
  static Optional<Instant> annotationTime(KubeObject sa) {
    Instant latest = null;
    for (JsonNode entry : sa.at("/metadata/managedFields")) {
      JsonNode field =
          entry
              .path("fieldsV1")
              .path("f:metadata")
              .path("f:annotations")
              .path("f:" + ManifestPatch.ROLE_ARN_ANNOTATION);
      if (field.isMissingNode()) {
        continue;
      }
      Optional<Instant> t = instant(entry.path("time").asText(""));
      if (t.isPresent() && (latest == null || t.get().isAfter(latest))) {
        latest = t.get();
      }
    }
    return Optional.ofNullable(latest);
  }

  private static Optional<Instant> instant(String text) {
    try {
      return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private void pass(String name, String detail) {
    checks.add(Check.of(name, true, detail));
  }

  private void fail(String name, String detail) {
    checks.add(Check.of(name, false, detail));
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
