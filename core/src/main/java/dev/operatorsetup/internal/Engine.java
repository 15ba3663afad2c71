package dev.operatorsetup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ProgressEvent;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.internal.manifest.ManifestRenderer;
import dev.operatorsetup.model.AccountIdentity;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.Kubernetes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan/apply engine. Every step reads before it writes, so a re-run after a failure at any
 * point finishes the job, and a re-run after success writes nothing. {@code plan} runs the same
 * steps with writes turned off.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  /** The pod-template annotation that rolls the controller's pods when the role changes. */
  public static final String ROLE_ARN_TEMPLATE_ANNOTATION = "operator-setup/role-arn";

  private static final String CRD_KIND = "CustomResourceDefinition";
  private static final String LEGACY_CRD_API = "apiextensions.k8s.io/v1beta1";

  private final Settings s;

  public Engine(Settings settings) {
    this.s = settings;
  }

  /** The facts read before anything is written. */
  private record Context(
      AccountIdentity identity,
      Optional<ClusterInfo> cluster,
      Partition partition,
      Optional<OidcIssuer> issuer,
      Optional<Arn> providerArn,
      Arn roleArn,
      Optional<TrustPolicy> trust,
      List<Arn> policies) {
    String account() {
      return identity.account();
    }
  }

  // ------------------------------------------------------------------ terminal operations

  public InstallReport plan() {
    return converge("plan", false);
  }

  public InstallReport install() {
    return converge("install", true);
  }

  private InstallReport converge(String command, boolean apply) {
    Deadline d = new Deadline(s.timeout());
    List<Change> changes = new ArrayList<>();
    Context c = step(d, "context", "read the account and the cluster", () -> resolve(d, true));
    Manifest manifest = null;
    if (!s.awsOnly()) {
      manifest = step(d, "manifest", "load the installer manifest", () -> s.manifest().load());
    }
    checkPolicies(d, c);
    Optional<OidcProvider> provider =
        Retry.call(
            "iam:GetOpenIDConnectProvider",
            d,
            () -> s.aws().oidcProviders().find(c.providerArn().get()));
    Optional<Role> role = Retry.call("iam:GetRole", d, () -> s.aws().roles().find(s.role().name()));
    checkRoleIsUsable(c, role);
    if (provider.isPresent() && !provider.get().clientIds().contains(TrustPolicy.AUDIENCE)) {
      throw new ResourceConflictException(
          "The IAM OIDC provider "
              + c.providerArn().get()
              + " does not list the client id "
              + TrustPolicy.AUDIENCE
              + ", so IRSA tokens will be refused. Fix: aws iam add-client-id-to-open-id-connect-provider"
              + " --open-id-connect-provider-arn "
              + c.providerArn().get()
              + " --client-id "
              + TrustPolicy.AUDIENCE
              + " (or, if nothing else uses the provider, delete it and run install again, which"
              + " creates it with "
              + TrustPolicy.AUDIENCE
              + "). operator-setup does not change a provider it did not create.");
    }
    Kubernetes k8s = null;
    try {
      List<KubeObject> desired = List.of();
      if (!s.awsOnly()) {
        k8s =
            step(
                d,
                "kubernetes",
                "connect to the cluster's API server",
                () -> s.kubernetes().get().connect(c.cluster().get()));
        Kubernetes kube = k8s;
        boolean convert = convertCrds(d, kube);
        Manifest m = manifest;
        desired = step(d, "render", "patch the manifest", () -> render(m, c, convert));
      }
      // Every precondition holds: from here on, writes.
      oidcProviderStep(d, c, provider, apply, changes);
      Optional<Role> known = roleStep(d, c, role, apply, changes);
      policyStep(d, c, known, apply, changes);
      if (k8s != null) {
        kubernetesStep(d, k8s, desired, apply, changes);
      }
    } finally {
      if (k8s != null) {
        k8s.close();
      }
    }
    return report(command, c, changes, List.of(), d);
  }

  public InstallReport verify() {
    Deadline d = new Deadline(s.timeout());
    Context c = step(d, "context", "read the account and the cluster", () -> resolve(d, true));
    List<Check> checks = new ArrayList<>();
    checks.add(
        Check.of(
            "cluster",
            true,
            "EKS cluster " + s.cluster().name() + " has issuer " + c.issuer().get().url()));
    Optional<OidcProvider> provider =
        Retry.call(
            "iam:GetOpenIDConnectProvider",
            d,
            () -> s.aws().oidcProviders().find(c.providerArn().get()));
    checks.add(
        provider.isEmpty()
            ? Check.of(
                "oidc-provider",
                false,
                "no IAM OIDC provider " + c.providerArn().get() + "; run install to create it")
            : Check.of(
                "oidc-provider",
                provider.get().clientIds().contains(TrustPolicy.AUDIENCE),
                provider.get().clientIds().contains(TrustPolicy.AUDIENCE)
                    ? c.providerArn().get() + " lists client id " + TrustPolicy.AUDIENCE
                    : c.providerArn().get() + " lacks client id " + TrustPolicy.AUDIENCE));
    Optional<Role> role = Retry.call("iam:GetRole", d, () -> s.aws().roles().find(s.role().name()));
    if (role.isEmpty()) {
      checks.add(
          Check.of("role", false, "IAM role " + s.role().name() + " does not exist; run install"));
    } else {
      if (!role.get().path().equals(s.role().path())) {
        checks.add(
            Check.of(
                "role",
                false,
                "IAM role "
                    + s.role().name()
                    + " is "
                    + role.get().arn()
                    + ", not "
                    + c.roleArn()
                    + " (another path); use .withRolePath(\""
                    + role.get().path()
                    + "\") and run install"));
      }
      boolean trustOk = role.get().trustPolicy().sameAs(c.trust().get());
      checks.add(
          Check.of(
              "role-trust",
              trustOk,
              trustOk
                  ? "trust policy lets "
                      + s.serviceAccount().subject()
                      + " assume "
                      + role.get().arn()
                  : "trust policy of "
                      + role.get().arn()
                      + " differs from what the cluster needs; run install to update it"));
      List<Arn> missing =
          c.policies().stream().filter(p -> !role.get().attachedPolicies().contains(p)).toList();
      checks.add(
          Check.of(
              "role-policies",
              missing.isEmpty(),
              missing.isEmpty()
                  ? "attached: " + c.policies()
                  : "not attached: " + missing + "; run install"));
    }
    if (!s.awsOnly()) {
      Manifest manifest = s.manifest().load();
      try (Kubernetes k8s = s.kubernetes().get().connect(c.cluster().get())) {
        List<KubeObject> desired = render(manifest, c, convertCrds(d, k8s));
        verifyKubernetes(d, k8s, desired, c, checks);
      }
    }
    return report("verify", c, List.of(), checks, d);
  }

  public InstallReport uninstall() {
    Deadline d = new Deadline(s.timeout());
    List<Change> changes = new ArrayList<>();
    Context c = step(d, "context", "read the account and the cluster", () -> resolve(d, false));
    if (!s.awsOnly() && c.cluster().isPresent()) {
      Manifest manifest = s.manifest().load();
      try (Kubernetes k8s = s.kubernetes().get().connect(c.cluster().get())) {
        List<KubeObject> desired = render(manifest, c, convertCrds(d, k8s));
        uninstallKubernetes(d, k8s, desired, changes);
      }
    }
    uninstallRole(d, changes);
    if (c.providerArn().isPresent()) {
      uninstallProvider(d, c.providerArn().get(), changes);
    }
    return report("uninstall", c, changes, List.of(), d);
  }

  /** Reads an installation made by anyone and checks every link of the chain. */
  public InstallReport diagnose() {
    return new Doctor(s).diagnose();
  }

  /** Returns the patched manifest objects in apply order, without connecting to Kubernetes. */
  public List<KubeObject> render(boolean convertCrds) {
    Deadline d = new Deadline(s.timeout());
    Context c = resolve(d, false);
    return render(s.manifest().load(), c, convertCrds);
  }

  // ------------------------------------------------------------------ context and checks

  private Context resolve(Deadline d, boolean requireCluster) {
    AccountIdentity identity =
        Retry.call("sts:GetCallerIdentity", d, () -> s.aws().callerIdentity().get());
    Optional<ClusterInfo> cluster =
        Retry.call("eks:DescribeCluster", d, () -> s.aws().clusters().describe(s.cluster().name()));
    Partition partition = s.cluster().partition();
    if (cluster.isEmpty()) {
      if (requireCluster) {
        throw new ResourceNotFoundException(
            "EKS cluster '"
                + s.cluster().name()
                + "' not found in region "
                + s.cluster().region()
                + ". Fix: check the name and the region (aws eks list-clusters --region "
                + s.cluster().region()
                + ").");
      }
      Arn roleArn = s.role().arn(partition, identity.account());
      return new Context(
          identity,
          cluster,
          partition,
          Optional.empty(),
          Optional.empty(),
          roleArn,
          Optional.empty(),
          policies(partition));
    }
    ClusterInfo info = cluster.get();
    if (info.arn().partition() != partition) {
      throw new InvalidConfigurationException(
          "region",
          s.cluster().region(),
          "the cluster's ARN "
              + info.arn()
              + " is in partition "
              + info.arn().partition().id()
              + ", the region in "
              + partition.id(),
          "pass the cluster's own region");
    }
    if (info.issuer().isEmpty() || info.issuer().get().isBlank()) {
      throw new ResourceNotFoundException(
          "EKS cluster '"
              + info.name()
              + "' reports no OIDC issuer (identity.oidc.issuer), so IRSA cannot work. Fix: use a"
              + " cluster of Kubernetes 1.13 or later; if the AWS CLI shows None, upgrade it.");
    }
    OidcIssuer issuer = OidcIssuer.parse(info.issuer().get());
    Arn providerArn = issuer.providerArn(partition, identity.account());
    Arn roleArn = s.role().arn(partition, identity.account());
    TrustPolicy trust =
        TrustPolicy.forServiceAccount(issuer, partition, identity.account(), s.serviceAccount());
    return new Context(
        identity,
        cluster,
        partition,
        Optional.of(issuer),
        Optional.of(providerArn),
        roleArn,
        Optional.of(trust),
        policies(partition));
  }

  private List<Arn> policies(Partition partition) {
    return s.role().managedPolicyArns().isEmpty()
        ? List.of(RoleSpec.defaultPolicy(partition))
        : s.role().managedPolicyArns();
  }

  private void checkPolicies(Deadline d, Context c) {
    for (Arn policy : c.policies()) {
      if (policy.partition() != c.partition()) {
        throw new InvalidConfigurationException(
            "policy ARN",
            policy.toString(),
            "it is in partition "
                + policy.partition().id()
                + " but the cluster is in "
                + c.partition().id(),
            "use arn:" + c.partition().id() + ":iam::...");
      }
      var found = Retry.call("iam:GetPolicy", d, () -> s.aws().policies().find(policy));
      if (found.isEmpty() || !found.get().attachable()) {
        throw new ResourceNotFoundException(
            "Policy "
                + policy
                + " does not exist or is not attachable. Fix: check the ARN (aws iam get-policy"
                + " --policy-arn "
                + policy
                + ") or name another with --policy-arn / .withPolicy(...).");
      }
    }
  }

  private void checkRoleIsUsable(Context c, Optional<Role> role) {
    if (role.isPresent() && !role.get().path().equals(s.role().path())) {
      // Role names are unique in an account whatever the path, and IAM cannot move a role to
      // another path: annotating c.roleArn() would name a role that does not exist.
      throw new ResourceConflictException(
          "IAM role '"
              + s.role().name()
              + "' exists as "
              + role.get().arn()
              + " (path "
              + role.get().path()
              + "), not as "
              + c.roleArn()
              + " (path "
              + s.role().path()
              + "), and IAM cannot move a role to another path. Fix: use the role's own path"
              + " with .withRolePath(\""
              + role.get().path()
              + "\"), or pick another name with .withRole(...) / --role.");
    }
    if (role.isEmpty() || Tags.isOurs(role.get().tags()) || s.adoptExistingRole()) {
      return;
    }
    if (!role.get().trustPolicy().sameAs(c.trust().get())) {
      throw new ResourceConflictException(
          "IAM role '"
              + s.role().name()
              + "' exists, was not created by operator-setup, and trusts something else than "
              + s.serviceAccount().subject()
              + " on "
              + c.issuer().get().hostAndPath()
              + ". Fix: pick another name with .withRole(...) / --role, or let operator-setup"
              + " take it over with .adoptExistingRole() / --adopt-role.");
    }
  }

  private boolean convertCrds(Deadline d, Kubernetes k8s) {
    return switch (s.crdMode()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> !Retry.call("kubernetes:discovery", d, k8s::serverInfo).serves(LEGACY_CRD_API);
    };
  }

  private List<KubeObject> render(Manifest manifest, Context c, boolean convert) {
    ManifestPatch patch =
        new ManifestPatch.Builder()
            .roleArn(c.roleArn())
            .serviceAccount(s.serviceAccount())
            .putAllImageOverrides(s.imageOverrides())
            .build();
    return ManifestRenderer.applyOrder(ManifestRenderer.render(manifest, patch, convert));
  }

  // ------------------------------------------------------------------ AWS steps

  private void oidcProviderStep(
      Deadline d, Context c, Optional<OidcProvider> found, boolean apply, List<Change> changes) {
    Arn arn = c.providerArn().get();
    String resource = "iam:" + arn.resource();
    if (found.isPresent()) {
      changes.add(Change.of(resource, ChangeAction.UNCHANGED, "exists"));
      return;
    }
    Change change =
        Change.of(
            resource,
            ChangeAction.CREATE,
            "client id " + TrustPolicy.AUDIENCE + ", thumbprint " + s.thumbprint());
    changes.add(change);
    if (!apply) {
      return;
    }
    step(
        d,
        "oidc-provider",
        "associate the IAM OIDC provider with " + c.issuer().get().url(),
        () -> {
          List<String> thumbprints =
              switch (s.thumbprint()) {
                case "none" -> List.of();
                case "auto" ->
                    List.of(
                        Retry.call(
                            "tls:thumbprint", d, () -> s.aws().thumbprints().of(c.issuer().get())));
                default -> List.of(s.thumbprint().toLowerCase(java.util.Locale.ROOT));
              };
          try {
            Retry.call(
                "iam:CreateOpenIDConnectProvider",
                d,
                () ->
                    s.aws()
                        .oidcProviders()
                        .create(
                            c.issuer().get().url(),
                            List.of(TrustPolicy.AUDIENCE),
                            thumbprints,
                            Tags.ownership(s.cluster())));
          } catch (ResourceConflictException e) {
            // Another run created it between our read and our write: that is the state we want.
            LOG.debug("oidc provider appeared concurrently arn={}", arn);
          }
          return null;
        });
    changed(d, change);
  }

  /**
   * Creates the role or brings its trust and tags up to date; returns it as it is now if that is
   * known without reading it again (found, or just created), else empty.
   */
  private Optional<Role> roleStep(
      Deadline d, Context c, Optional<Role> found, boolean apply, List<Change> changes) {
    String resource = "iam:role" + s.role().path() + s.role().name();
    TrustPolicy trust = c.trust().get();
    if (found.isEmpty()) {
      Change change =
          Change.of(resource, ChangeAction.CREATE, "trusts " + s.serviceAccount().subject());
      changes.add(change);
      if (apply) {
        Map<String, String> tags = new LinkedHashMap<>(s.role().tags());
        tags.putAll(Tags.ownership(s.cluster()));
        Optional<Role> created;
        try {
          created =
              Optional.of(
                  Retry.call(
                      "iam:CreateRole", d, () -> s.aws().roles().create(s.role(), trust, tags)));
        } catch (ResourceConflictException e) {
          created = Optional.empty();
          Role now =
              Retry.call("iam:GetRole", d, () -> s.aws().roles().find(s.role().name()))
                  .orElseThrow(() -> e);
          if (!Tags.isOurs(now.tags()) && !s.adoptExistingRole()) {
            throw e;
          }
          if (!now.trustPolicy().sameAs(trust)) {
            Retry.run(
                "iam:UpdateAssumeRolePolicy",
                d,
                () -> s.aws().roles().updateTrust(s.role().name(), trust));
          }
        }
        changed(d, change);
        return created;
      }
      return Optional.empty();
    }
    Role role = found.get();
    if (!role.trustPolicy().sameAs(trust)) {
      Change change =
          Change.of(
              resource,
              ChangeAction.UPDATE,
              "trust policy differs (stale OIDC id or service account); updating it");
      changes.add(change);
      if (apply) {
        Retry.run(
            "iam:UpdateAssumeRolePolicy",
            d,
            () -> s.aws().roles().updateTrust(s.role().name(), trust));
        changed(d, change);
      }
    } else {
      changes.add(
          Change.of(
              resource,
              ChangeAction.UNCHANGED,
              Tags.isOurs(role.tags())
                  ? "trust policy up to date"
                  : "exists, not created by operator-setup; trust policy already right"));
    }
    Map<String, String> missingTags = new HashMap<>();
    if (Tags.isOurs(role.tags())) {
      s.role()
          .tags()
          .forEach(
              (k, v) -> {
                if (!v.equals(role.tags().get(k))) {
                  missingTags.put(k, v);
                }
              });
    }
    if (!missingTags.isEmpty()) {
      Change change =
          Change.of(resource + " tags", ChangeAction.UPDATE, "tags " + missingTags.keySet());
      changes.add(change);
      if (apply) {
        Retry.run("iam:TagRole", d, () -> s.aws().roles().tag(s.role().name(), missingTags));
        changed(d, change);
      }
    }
    // Trust and tags may have changed, the policies (all the policy step reads) have not.
    return found;
  }

  private void policyStep(
      Deadline d, Context c, Optional<Role> known, boolean apply, List<Change> changes) {
    // The role as the role step left it; read again only if that step could not tell (a plan of
    // a new role, or a role another run created at the same time). A new role has no policies.
    Optional<Role> role =
        known.isPresent()
            ? known
            : Retry.call("iam:GetRole", d, () -> s.aws().roles().find(s.role().name()));
    List<Arn> attached = role.map(Role::attachedPolicies).orElse(List.of());
    Map<String, String> inline = role.map(Role::inlinePolicies).orElse(Map.of());
    for (Arn policy : c.policies()) {
      String resource = "iam:role/" + s.role().name() + " policy " + policy.resourceName();
      if (attached.contains(policy)) {
        changes.add(Change.of(resource, ChangeAction.UNCHANGED, "attached"));
        continue;
      }
      Change change = Change.of(resource, ChangeAction.CREATE, "attach " + policy);
      changes.add(change);
      if (apply) {
        Retry.run(
            "iam:AttachRolePolicy", d, () -> s.aws().roles().attachPolicy(s.role().name(), policy));
        changed(d, change);
      }
    }
    for (Map.Entry<String, String> e : s.role().inlinePolicies().entrySet()) {
      String resource = "iam:role/" + s.role().name() + " inline " + e.getKey();
      String have = inline.get(e.getKey());
      if (have != null && Json.sameJson(have, e.getValue())) {
        changes.add(Change.of(resource, ChangeAction.UNCHANGED, "up to date"));
        continue;
      }
      Change change =
          Change.of(
              resource,
              have == null ? ChangeAction.CREATE : ChangeAction.UPDATE,
              have == null ? "put inline policy" : "inline policy differs");
      changes.add(change);
      if (apply) {
        Retry.run(
            "iam:PutRolePolicy",
            d,
            () -> s.aws().roles().putInlinePolicy(s.role().name(), e.getKey(), e.getValue()));
        changed(d, change);
      }
    }
  }

  // ------------------------------------------------------------------ Kubernetes steps

  /** The most objects of one stage read and applied at the same time. */
  private static final int MAX_CONCURRENT_APPLIES = 8;

  /**
   * Kinds that may be applied together, in any order, once the stages before them are done. Any
   * other kind is a stage of its own: a Secret, for one, may be a service account token, which must
   * come after its ServiceAccount.
   */
  private static final Map<String, String> STAGE_OF_KIND =
      Map.ofEntries(
          Map.entry("Namespace", "namespaces"),
          Map.entry(CRD_KIND, "crds"),
          Map.entry("ServiceAccount", "config"),
          Map.entry("Role", "config"),
          Map.entry("ClusterRole", "config"),
          Map.entry("RoleBinding", "config"),
          Map.entry("ClusterRoleBinding", "config"),
          Map.entry("ConfigMap", "config"),
          Map.entry("Service", "config"),
          Map.entry("Deployment", "workloads"));

  /** What reconciling one object found, decided and (if applying) did. */
  private record Reconciled(
      KubeObject object, Optional<KubeObject> live, Change change, boolean applied) {}

  private void kubernetesStep(
      Deadline d, Kubernetes k8s, List<KubeObject> desired, boolean apply, List<Change> changes) {
    // CRDs to wait for, and the types they define ("group/Kind"). The wait comes before the first
    // object of such a type, else after the last apply: the API server establishes the CRDs while
    // the other objects (RBAC, the Deployment, ...) are applied and the controller rolls out.
    List<String> crds = new ArrayList<>();
    Set<String> crdTypes = new HashSet<>();
    List<ObjectRef> deployments = new ArrayList<>(); // those to wait for
    List<ObjectRef> allDeployments = new ArrayList<>(); // those whose pods may predate the role
    boolean crdsAwaited = false;
    ExecutorService pool = null;
    try {
      // Stages in apply order (the Namespace, the CRDs, RBAC and the like, the Deployment); the
      // objects of a stage are read and applied concurrently, each round trip to the API server
      // being mostly waiting. Changes are reported, and events sent, in manifest order.
      for (List<KubeObject> stage : stages(desired)) {
        d.checkCancelled();
        if (apply
            && !crdsAwaited
            && !crds.isEmpty()
            && stage.stream().anyMatch(o -> crdTypes.contains(o.ref().group() + "/" + o.kind()))) {
          awaitCrds(d, k8s, crds);
          crdsAwaited = true;
        }
        if (pool == null && stage.size() > 1) {
          pool = newPool(Math.min(MAX_CONCURRENT_APPLIES, maxStageSize(desired)));
        }
        RuntimeException failure = null;
        for (Object outcome : reconcileAll(d, k8s, stage, apply, pool)) {
          if (outcome instanceof RuntimeException e) {
            failure = failure == null ? e : failure;
            continue;
          }
          Reconciled r = (Reconciled) outcome;
          changes.add(r.change());
          if (r.applied()) {
            changed(d, r.change());
          }
          // Nothing to wait for when nothing was applied and the object is already there.
          boolean done = r.change().action() == ChangeAction.UNCHANGED;
          KubeObject object = r.object();
          if (object.kind().equals(CRD_KIND)) {
            crdTypes.add(
                object.at("/spec/group").asText() + "/" + object.at("/spec/names/kind").asText());
            if (!(done && Conditions.isTrue(r.live().get(), "Established"))) {
              crds.add(object.name());
            }
          } else if (object.kind().equals("Deployment")) {
            allDeployments.add(object.ref());
            if (!(done && rolledOut(r.live().get()))) {
              deployments.add(object.ref());
            }
          }
        }
        if (failure != null) {
          throw failure;
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    if (!apply) {
      for (ObjectRef deployment : allDeployments) {
        restartPodsOlderThanTheRoleAnnotation(d, k8s, deployment, false, changes);
      }
      return;
    }
    if (!crdsAwaited && !crds.isEmpty()) {
      awaitCrds(d, k8s, crds);
    }
    for (ObjectRef deployment : deployments) {
      awaitRollout(d, k8s, deployment);
    }
    for (ObjectRef deployment : allDeployments) {
      restartPodsOlderThanTheRoleAnnotation(d, k8s, deployment, true, changes);
    }
  }

  private void awaitRollout(Deadline d, Kubernetes k8s, ObjectRef deployment) {
    String what =
        "Deployment "
            + deployment.namespace().orElse("")
            + "/"
            + deployment.name()
            + " to roll out";
    waiting(d, "rollout", what);
    k8s.awaitRollout(deployment.namespace().orElse(""), deployment.name(), d.forWait());
  }

  /**
   * The EKS pod identity webhook injects AWS_ROLE_ARN and the token only into pods created after
   * the ServiceAccount got its role annotation. If the controller's pods are older than the
   * annotation (someone annotated by hand, or the annotation was removed and set again), they run
   * without AWS credentials: restart them, as {@code kubectl rollout restart} does.
   */
  private void restartPodsOlderThanTheRoleAnnotation(
      Deadline d, Kubernetes k8s, ObjectRef deployment, boolean apply, List<Change> changes) {
    String ns = deployment.namespace().orElse("");
    Optional<KubeObject> live = Retry.call("kubernetes:get", d, () -> k8s.get(deployment));
    if (live.isEmpty()) {
      return;
    }
    String saName = Doctor.serviceAccountName(live.get());
    Optional<KubeObject> sa =
        Retry.call(
            "kubernetes:get", d, () -> k8s.get(ObjectRef.of("v1", "ServiceAccount", ns, saName)));
    Optional<java.time.Instant> annotatedAt = sa.flatMap(Doctor::annotationTime);
    if (annotatedAt.isEmpty()) {
      return;
    }
    Map<String, String> selector = Doctor.selector(live.get());
    if (selector.isEmpty()) {
      return;
    }
    List<KubeObject> pods = Retry.call("kubernetes:list", d, () -> k8s.listPods(ns, selector));
    List<String> stale = Doctor.startedBefore(pods, annotatedAt.get());
    if (stale.isEmpty()) {
      return;
    }
    Change change =
        Change.of(
            "kubernetes:" + deployment.display(),
            ChangeAction.UPDATE,
            "pods "
                + stale
                + " started before "
                + ns
                + "/"
                + saName
                + " got its role annotation: restart them");
    changes.add(change);
    if (!apply) {
      return;
    }
    Retry.run(
        "kubernetes:restart",
        d,
        () -> k8s.restartDeployment(ns, deployment.name(), s.fieldManager()));
    changed(d, change);
    awaitRollout(d, k8s, deployment);
  }

  /** Splits the objects, in order, into runs of kinds that may be applied together. */
  private static List<List<KubeObject>> stages(List<KubeObject> desired) {
    List<List<KubeObject>> stages = new ArrayList<>();
    String current = null;
    for (KubeObject object : desired) {
      String stage = STAGE_OF_KIND.get(object.kind());
      if (stage == null || !stage.equals(current)) {
        stages.add(new ArrayList<>());
      }
      stages.get(stages.size() - 1).add(object);
      current = stage;
    }
    return stages;
  }

  private static int maxStageSize(List<KubeObject> desired) {
    return stages(desired).stream().mapToInt(List::size).max().orElse(1);
  }

  private static ExecutorService newPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "operator-setup-apply-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Reconciles the objects of one stage, concurrently if there are several, and waits for all of
   * them; returns, in order, a {@link Reconciled} or the RuntimeException of each.
   */
  private List<Object> reconcileAll(
      Deadline d, Kubernetes k8s, List<KubeObject> stage, boolean apply, ExecutorService pool) {
    List<Object> outcomes = new ArrayList<>();
    if (stage.size() == 1 || pool == null) {
      for (KubeObject object : stage) {
        outcomes.add(reconcile(d, k8s, object, apply));
      }
      return outcomes;
    }
    List<Future<Reconciled>> futures = new ArrayList<>();
    for (KubeObject object : stage) {
      futures.add(pool.submit(() -> reconcile(d, k8s, object, apply)));
    }
    for (Future<Reconciled> f : futures) {
      try {
        outcomes.add(f.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          outcomes.add(r);
        } else if (e.getCause() instanceof Error err) {
          throw err;
        } else {
          outcomes.add(new OperatorSetupException(String.valueOf(e.getCause()), e.getCause()));
        }
      } catch (InterruptedException e) {
        futures.forEach(other -> other.cancel(true));
        Thread.currentThread().interrupt();
        d.checkCancelled();
      }
    }
    return outcomes;
  }

  /** Reads one object, decides what to do, and applies it if that is the job. */
  private Reconciled reconcile(Deadline d, Kubernetes k8s, KubeObject object, boolean apply) {
    d.checkCancelled();
    Optional<KubeObject> live = Retry.call("kubernetes:get", d, () -> k8s.get(object.ref()));
    boolean ours = live.isEmpty() || Tags.isOurs(live.get().labels());
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
    if (apply && change.action() != ChangeAction.UNCHANGED) {
      // Objects this library created are ours to repair: take fields back from whoever edited
      // them. Objects that existed before are only forced when asked.
      boolean force = ours || s.forceConflicts();
      Retry.call("kubernetes:apply", d, () -> k8s.apply(want, s.fieldManager(), force));
      applied = true;
    }
    return new Reconciled(object, live, change, applied);
  }

  /** Returns whether a Deployment has rolled out, as {@code kubectl rollout status} decides. */
  static boolean rolledOut(KubeObject deployment) {
    long generation = deployment.at("/metadata/generation").asLong(0);
    long want = deployment.at("/spec/replicas").asLong(1);
    long observed = deployment.at("/status/observedGeneration").asLong(0);
    long updated = deployment.at("/status/updatedReplicas").asLong(0);
    long total = deployment.at("/status/replicas").asLong(0);
    long available = deployment.at("/status/availableReplicas").asLong(0);
    return observed >= generation && updated >= want && total <= updated && available >= updated;
  }

  private void awaitCrds(Deadline d, Kubernetes k8s, List<String> crds) {
    for (String crd : crds) {
      waiting(d, "crds", "CustomResourceDefinition " + crd + " to be Established");
      k8s.awaitCrdEstablished(crd, d.forWait());
    }
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
      JsonNode have =
          live.at(
              "/spec/template/metadata/annotations/"
                  + ROLE_ARN_TEMPLATE_ANNOTATION.replace("/", "~1"));
      JsonNode need =
          want.at(
              "/spec/template/metadata/annotations/"
                  + ROLE_ARN_TEMPLATE_ANNOTATION.replace("/", "~1"));
      if (!have.equals(need)) {
        return "role changed: the controller's pods restart";
      }
    }
    return "differs from the manifest";
  }

  private static KubeObject owned(KubeObject object) {
    return object.edit(
        node -> {
          ObjectNode metadata = (ObjectNode) node.get("metadata");
          JsonNode labels = metadata.get("labels");
          ObjectNode l = labels instanceof ObjectNode o ? o : metadata.putObject("labels");
          l.put(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE);
        });
  }

  private void verifyKubernetes(
      Deadline d, Kubernetes k8s, List<KubeObject> desired, Context c, List<Check> checks) {
    List<String> notEstablished = new ArrayList<>();
    int crdCount = 0;
    for (KubeObject object : desired) {
      if (!object.kind().equals(CRD_KIND)) {
        continue;
      }
      crdCount++;
      Optional<KubeObject> live = k8s.get(object.ref());
      if (live.isEmpty() || !Conditions.isTrue(live.get(), "Established")) {
        notEstablished.add(object.name());
      }
    }
    checks.add(
        Check.of(
            "crds",
            notEstablished.isEmpty(),
            notEstablished.isEmpty()
                ? crdCount + " CustomResourceDefinitions Established"
                : "not Established: " + notEstablished + "; run install"));
    ObjectRef saRef =
        ObjectRef.of(
            "v1", "ServiceAccount", s.serviceAccount().namespace(), s.serviceAccount().name());
    Optional<KubeObject> sa = k8s.get(saRef);
    String annotation =
        sa.map(o -> o.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION)).orElse(null);
    checks.add(
        Check.of(
            "service-account",
            c.roleArn().toString().equals(annotation),
            sa.isEmpty()
                ? saRef.display() + " does not exist; run install"
                : c.roleArn().toString().equals(annotation)
                    ? saRef.display() + " annotated with " + annotation
                    : saRef.display()
                        + " has "
                        + ManifestPatch.ROLE_ARN_ANNOTATION
                        + "="
                        + annotation
                        + ", expected "
                        + c.roleArn()
                        + "; run install"));
    for (KubeObject object : desired) {
      if (!object.kind().equals("Deployment")) {
        continue;
      }
      Optional<KubeObject> live = k8s.get(object.ref());
      if (live.isEmpty()) {
        checks.add(
            Check.of("deployment", false, object.ref().display() + " does not exist; run install"));
        continue;
      }
      KubeObject dep = live.get();
      long want = dep.at("/spec/replicas").asLong(1);
      long available = dep.at("/status/availableReplicas").asLong(0);
      boolean current =
          dep.at("/status/observedGeneration").asLong(-1)
              >= dep.at("/metadata/generation").asLong(0);
      checks.add(
          Check.of(
              "deployment",
              current && available >= want,
              object.ref().display()
                  + " "
                  + available
                  + "/"
                  + want
                  + " available"
                  + (current ? "" : " (rollout in progress)")));
      String podRole =
          dep.at(
                  "/spec/template/metadata/annotations/"
                      + ROLE_ARN_TEMPLATE_ANNOTATION.replace("/", "~1"))
              .asText(null);
      Map<String, String> selector = new LinkedHashMap<>();
      dep.at("/spec/selector/matchLabels")
          .fields()
          .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
      List<KubeObject> pods = k8s.listPods(object.namespace().orElse(""), selector);
      List<String> stale =
          pods.stream()
              .filter(
                  p ->
                      !c.roleArn()
                              .toString()
                              .equals(p.annotations().get(ROLE_ARN_TEMPLATE_ANNOTATION))
                          && !c.roleArn().toString().equals(podRole))
              .map(KubeObject::name)
              .toList();
      boolean podsCurrent = c.roleArn().toString().equals(podRole) && !pods.isEmpty();
      checks.add(
          Check.of(
              "pods",
              podsCurrent,
              podsCurrent
                  ? pods.size() + " controller pod(s) started with role " + c.roleArn()
                  : pods.isEmpty()
                      ? "no controller pods running"
                      : "pods "
                          + stale
                          + " started before the role annotation was set; restart the Deployment (run install, or kubectl rollout restart)"));
    }
  }

  private void uninstallKubernetes(
      Deadline d, Kubernetes k8s, List<KubeObject> desired, List<Change> changes) {
    // 1. Custom resources first, or their finalizers hang the deletion of the CRDs.
    List<KubeObject> resources = new ArrayList<>();
    for (KubeObject object : desired) {
      if (!object.kind().equals(CRD_KIND)) {
        continue;
      }
      List<KubeObject> ofCrd =
          Retry.call("kubernetes:list", d, () -> k8s.listCustomResources(object.name()));
      for (KubeObject cr : ofCrd) {
        Change change =
            Change.of(
                "kubernetes:" + cr.ref().display(),
                ChangeAction.DELETE,
                "custom resource of " + object.name());
        changes.add(change);
        Retry.call("kubernetes:delete", d, () -> k8s.delete(cr.ref()));
        changed(d, change);
      }
      resources.addAll(ofCrd);
    }
    // The operator gets one grace period to clean up after all of them together, not one per
    // resource (which made removeFinalizers take 30 s per stuck resource).
    long graceEnd = System.nanoTime() + min(d.forWait(), Duration.ofSeconds(30)).toNanos();
    List<String> stuck = new ArrayList<>();
    for (KubeObject cr : resources) {
      try {
        waiting(d, "uninstall", cr.ref().display() + " to be deleted");
        k8s.awaitDeleted(cr.ref(), Duration.ofNanos(Math.max(0, graceEnd - System.nanoTime())));
      } catch (WaitTimeoutException e) {
        if (s.removeFinalizers()) {
          Retry.call("kubernetes:removeFinalizers", d, () -> k8s.removeFinalizers(cr.ref()));
          k8s.awaitDeleted(cr.ref(), d.forWait());
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
    // 2. The objects in reverse order, CRDs last.
    List<KubeObject> order = new ArrayList<>(desired);
    java.util.Collections.reverse(order);
    List<KubeObject> crdsLast =
        new ArrayList<>(order.stream().filter(o -> !o.kind().equals(CRD_KIND)).toList());
    if (!s.keepCrds()) {
      crdsLast.addAll(order.stream().filter(o -> o.kind().equals(CRD_KIND)).toList());
    }
    List<ObjectRef> deleted = new ArrayList<>();
    for (KubeObject object : crdsLast) {
      d.checkCancelled();
      String resource = "kubernetes:" + object.ref().display();
      Optional<KubeObject> live = Retry.call("kubernetes:get", d, () -> k8s.get(object.ref()));
      if (live.isEmpty()) {
        changes.add(Change.of(resource, ChangeAction.UNCHANGED, "absent"));
        continue;
      }
      if (!Tags.isOurs(live.get().labels())) {
        changes.add(
            Change.of(resource, ChangeAction.UNCHANGED, "kept: not created by operator-setup"));
        continue;
      }
      Change change = Change.of(resource, ChangeAction.DELETE, "created by operator-setup");
      changes.add(change);
      Retry.call("kubernetes:delete", d, () -> k8s.delete(object.ref()));
      changed(d, change);
      deleted.add(object.ref());
    }
    for (ObjectRef ref : deleted) {
      waiting(d, "uninstall", ref.display() + " to be deleted");
      k8s.awaitDeleted(ref, d.forWait());
    }
  }

  private void uninstallRole(Deadline d, List<Change> changes) {
    String name = s.role().name();
    String resource = "iam:role" + s.role().path() + name;
    Optional<Role> role = Retry.call("iam:GetRole", d, () -> s.aws().roles().find(name));
    if (role.isEmpty()) {
      changes.add(Change.of(resource, ChangeAction.UNCHANGED, "absent"));
      return;
    }
    if (!Tags.isOurs(role.get().tags())) {
      changes.add(
          Change.of(resource, ChangeAction.UNCHANGED, "kept: not created by operator-setup"));
      return;
    }
    for (Arn policy : role.get().attachedPolicies()) {
      Change change =
          Change.of(
              "iam:role/" + name + " policy " + policy.resourceName(),
              ChangeAction.DELETE,
              "detach " + policy);
      changes.add(change);
      Retry.call("iam:DetachRolePolicy", d, () -> s.aws().roles().detachPolicy(name, policy));
      changed(d, change);
    }
    for (String inline : role.get().inlinePolicies().keySet()) {
      Change change =
          Change.of(
              "iam:role/" + name + " inline " + inline,
              ChangeAction.DELETE,
              "delete inline policy");
      changes.add(change);
      Retry.call("iam:DeleteRolePolicy", d, () -> s.aws().roles().deleteInlinePolicy(name, inline));
      changed(d, change);
    }
    Change change = Change.of(resource, ChangeAction.DELETE, "created by operator-setup");
    changes.add(change);
    Retry.call("iam:DeleteRole", d, () -> s.aws().roles().delete(name));
    changed(d, change);
  }

  private void uninstallProvider(Deadline d, Arn arn, List<Change> changes) {
    String resource = "iam:" + arn.resource();
    Optional<OidcProvider> provider =
        Retry.call("iam:GetOpenIDConnectProvider", d, () -> s.aws().oidcProviders().find(arn));
    if (provider.isEmpty()) {
      changes.add(Change.of(resource, ChangeAction.UNCHANGED, "absent"));
    } else if (!Tags.isOurs(provider.get().tags())) {
      changes.add(
          Change.of(resource, ChangeAction.UNCHANGED, "kept: not created by operator-setup"));
    } else {
      Change change = Change.of(resource, ChangeAction.DELETE, "created by operator-setup");
      changes.add(change);
      Retry.call("iam:DeleteOpenIDConnectProvider", d, () -> s.aws().oidcProviders().delete(arn));
      changed(d, change);
    }
  }

  // ------------------------------------------------------------------ plumbing

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private <T> T step(Deadline d, String step, String detail, java.util.function.Supplier<T> body) {
    d.checkCancelled();
    emit(new ProgressEvent(ProgressEvent.Type.STEP_STARTED, step, detail, d.elapsed()));
    T result = body.get();
    emit(new ProgressEvent(ProgressEvent.Type.STEP_FINISHED, step, detail, d.elapsed()));
    return result;
  }

  private void changed(Deadline d, Change change) {
    LOG.info("{} {} ({})", change.action().id(), change.resource(), change.detail());
    emit(
        new ProgressEvent(
            ProgressEvent.Type.CHANGE,
            change.resource(),
            change.action().id() + ": " + change.detail(),
            d.elapsed()));
  }

  private void waiting(Deadline d, String step, String what) {
    emit(
        new ProgressEvent(
            ProgressEvent.Type.WAITING,
            step,
            "waiting for "
                + what
                + " (up to "
                + dev.operatorsetup.Durations.format(d.forWait())
                + ")",
            d.elapsed()));
  }

  private void emit(ProgressEvent event) {
    try {
      s.listener().onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("progress listener failed on {}: {}", event.type(), e.toString());
    }
  }

  private InstallReport report(
      String command, Context c, List<Change> changes, List<Check> checks, Deadline d) {
    return new InstallReport.Builder()
        .command(command)
        .cluster(s.cluster().name())
        .region(s.cluster().region())
        .account(c.account())
        .roleArn(c.roleArn().toString())
        .oidcProviderArn(c.providerArn().map(Arn::toString))
        .serviceAccount(s.serviceAccount().namespace() + "/" + s.serviceAccount().name())
        .addAllChanges(changes)
        .addAllChecks(checks)
        .durationMillis(d.elapsed().toMillis())
        .build();
  }
}
