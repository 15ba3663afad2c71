package dev.operatorsetup;

import dev.operatorsetup.internal.Engine;
import dev.operatorsetup.internal.Settings;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterRef;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.Rules;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.port.KubernetesConnector;
import dev.operatorsetup.port.ManifestSource;
import dev.operatorsetup.spi.AwsServicesProvider;
import dev.operatorsetup.spi.AwsSettings;
import dev.operatorsetup.spi.KubernetesConnectorProvider;
import dev.operatorsetup.spi.KubernetesSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Installs the Amazon SageMaker Operator for Kubernetes on an EKS cluster, with an IAM role for its
 * service account (IRSA), in one call that is safe to repeat.
 *
 * <pre>{@code
 * InstallReport report = OperatorSetup.forCluster("my-cluster")
 *     .inRegion("us-east-1")
 *     .withRole("eks-sagemaker-operator")
 *     .install();
 * }</pre>
 *
 * <p>Every {@code with...} option checks its value at once and throws {@link
 * InvalidConfigurationException} naming the field, the value and the fix. {@link Options#plan()}
 * makes reads only; {@link Options#install()} reads before every write, so it can be re-run after
 * any failure and writes nothing when nothing needs changing.
 */
public final class OperatorSetup {
  private OperatorSetup() {}

  /** Starts the configuration for the EKS cluster with this name. */
  public static RegionStep forCluster(String clusterName) {
    Rules.clusterName(clusterName);
    return region -> {
      Rules.region(region);
      return roleName -> new Builder(ClusterRef.of(clusterName, region), roleName);
    };
  }

  /** Asks for the cluster's region. */
  @FunctionalInterface
  public interface RegionStep {
    RoleStep inRegion(String region);
  }

  /** Asks for the name of the IAM role the operator will assume. */
  @FunctionalInterface
  public interface RoleStep {
    Options withRole(String roleName);
  }

  /** Optional settings and the terminal operations. */
  public interface Options {
    /** Attaches this managed policy instead of (or, called again, besides) the default. */
    Options withPolicy(String policyArn);

    /** Puts an inline policy on the role. */
    Options withInlinePolicy(String name, String document);

    Options withRolePath(String path);

    Options withRoleDescription(String description);

    Options withMaxSessionDuration(Duration duration);

    Options withRoleTag(String key, String value);

    Options withPermissionsBoundary(String policyArn);

    /** Installs into this namespace (default {@code sagemaker-k8s-operator-system}). */
    Options withNamespace(String namespace);

    /** Names the operator's ServiceAccount (default {@code sagemaker-k8s-operator-default}). */
    Options withServiceAccount(String name);

    Options withManifest(ManifestSource manifest);

    /** Replaces an image in the manifest; the dead kube-rbac-proxy is replaced by default. */
    Options withImage(String image, String replacement);

    /** {@code none} (default: IAM derives it), {@code auto} (computed like eksctl), or 40 hex. */
    Options withThumbprint(String thumbprint);

    /** Bounds the whole operation, waits included (default 10 minutes). */
    Options withTimeout(Duration timeout);

    Options withListener(ProgressListener listener);

    /** Uses these AWS ports (the caller closes them). */
    Options withAws(AwsServices aws);

    /** Creates the AWS ports from the {@code aws} module, with one endpoint for an emulator. */
    Options withAwsEndpoint(URI endpoint);

    Options withAwsProfile(String profile);

    /** Uses this Kubernetes connection (the caller closes it). */
    Options withKubernetes(Kubernetes kubernetes);

    Options withKubernetesConnector(KubernetesConnector connector);

    Options withKubeconfig(Path kubeconfig);

    Options withContext(String context);

    /** Does the AWS steps only, never connecting to Kubernetes. */
    Options awsOnly();

    /** Takes over a role of this name that operator-setup did not create. */
    Options adoptExistingRole();

    /** Takes over fields another field manager owns (server-side apply {@code force}). */
    Options forceConflicts();

    /** Leaves the CRDs in place on uninstall. */
    Options keepCrds();

    /** On uninstall, drops finalizers of custom resources that do not go away in time. */
    Options removeFinalizers();

    /** Converts v1beta1 CRDs to v1: {@code auto} (when the server needs it), always, never. */
    Options convertCrds(String mode);

    /** Reads only, and returns the changes {@link #install()} would make. */
    InstallReport plan();

    InstallReport install();

    /** Reads only, and checks every link of the installation. */
    InstallReport verify();

    /** Deletes what operator-setup created, custom resources first; keeps what existed before. */
    InstallReport uninstall();

    /**
     * Reads an installation made by anyone and checks the whole chain, from the cluster's issuer to
     * the controller's pods; each failed check names the problem and the fix.
     */
    InstallReport diagnose();

    /** Returns the patched manifest as YAML, for GitOps; makes no AWS writes, no cluster needed. */
    String render();

    /** Returns the patched manifest objects, in apply order. */
    List<KubeObject> renderObjects();
  }

  private static final class Builder implements Options {
    private final ClusterRef cluster;
    private final RoleSpec.Builder role = new RoleSpec.Builder();
    private String roleName;
    private String namespace = ServiceAccountRef.DEFAULT_NAMESPACE;
    private String serviceAccount = ServiceAccountRef.DEFAULT_NAME;
    private ManifestSource manifest;
    private final Map<String, String> images = new LinkedHashMap<>();
    private String thumbprint = "none";
    private Duration timeout = Duration.ofMinutes(10);
    private ProgressListener listener = ProgressListener.NONE;
    private AwsServices aws;
    private URI awsEndpoint;
    private String awsProfile;
    private KubernetesConnector connector;
    private Path kubeconfig;
    private String context;
    private boolean awsOnly;
    private boolean adopt;
    private boolean force;
    private boolean keepCrds;
    private boolean removeFinalizers;
    private Settings.CrdMode crdMode = Settings.CrdMode.AUTO;

    Builder(ClusterRef cluster, String roleName) {
      this.cluster = cluster;
      this.roleName = Rules.roleName("role name", roleName);
      role.name(roleName);
    }

    private Partition partition() {
      return cluster.partition();
    }

    @Override
    public Options withPolicy(String policyArn) {
      Arn arn = Arn.parsePolicy("policy ARN", policyArn);
      checkPartition("policy ARN", arn);
      role.addManagedPolicyArn(arn);
      return this;
    }

    private void checkPartition(String field, Arn arn) {
      if (arn.partition() != partition()) {
        throw new InvalidConfigurationException(
            field,
            arn.toString(),
            "it is in partition "
                + arn.partition().id()
                + " but region "
                + cluster.region()
                + " is in "
                + partition().id(),
            "use arn:" + partition().id() + ":iam::... for this cluster");
      }
    }

    @Override
    public Options withInlinePolicy(String name, String document) {
      role.putInlinePolicy(name, document);
      validateRole();
      return this;
    }

    @Override
    public Options withRolePath(String path) {
      role.path(path);
      validateRole();
      return this;
    }

    @Override
    public Options withRoleDescription(String description) {
      role.description(description);
      validateRole();
      return this;
    }

    @Override
    public Options withMaxSessionDuration(Duration duration) {
      role.maxSessionDurationSeconds((int) Math.min(Integer.MAX_VALUE, duration.getSeconds()));
      validateRole();
      return this;
    }

    @Override
    public Options withRoleTag(String key, String value) {
      role.putTag(key, value);
      validateRole();
      return this;
    }

    @Override
    public Options withPermissionsBoundary(String policyArn) {
      Arn arn = Arn.parsePolicy("permissions boundary", policyArn);
      checkPartition("permissions boundary", arn);
      role.permissionsBoundary(arn);
      return this;
    }

    private void validateRole() {
      role.build();
    }

    @Override
    public Options withNamespace(String namespace) {
      this.namespace = Rules.namespace("namespace", namespace);
      return this;
    }

    @Override
    public Options withServiceAccount(String name) {
      this.serviceAccount = Rules.objectName("service account name", name);
      return this;
    }

    @Override
    public Options withManifest(ManifestSource manifest) {
      this.manifest = java.util.Objects.requireNonNull(manifest, "manifest");
      return this;
    }

    @Override
    public Options withImage(String image, String replacement) {
      images.put(image, replacement);
      try {
        new dev.operatorsetup.model.ManifestPatch.Builder()
            .roleArn(Arn.parseRole("role ARN", "arn:aws:iam::000000000000:role/x"))
            .serviceAccount(ServiceAccountRef.operatorDefault())
            .putAllImageOverrides(images)
            .build();
      } catch (InvalidConfigurationException e) {
        images.remove(image);
        throw e;
      }
      return this;
    }

    @Override
    public Options withThumbprint(String thumbprint) {
      String t = thumbprint == null ? null : thumbprint.trim().toLowerCase(Locale.ROOT);
      if (t == null
          || !(t.equals("none") || t.equals("auto") || Rules.THUMBPRINT.matcher(t).matches())) {
        throw new InvalidConfigurationException(
            "thumbprint",
            thumbprint,
            "a thumbprint is none, auto, or the SHA-1 of a certificate as 40 hex digits",
            "use none (IAM derives it), auto, or e.g. 9e99a48a9960b14926bb7f3b02e22da2b0ab7280");
      }
      this.thumbprint = t;
      return this;
    }

    @Override
    public Options withTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new InvalidConfigurationException(
            "timeout",
            String.valueOf(timeout),
            "the timeout must be positive",
            "pass e.g. Duration.ofMinutes(10)");
      }
      this.timeout = timeout;
      return this;
    }

    @Override
    public Options withListener(ProgressListener listener) {
      this.listener = java.util.Objects.requireNonNull(listener, "listener");
      return this;
    }

    @Override
    public Options withAws(AwsServices aws) {
      this.aws = java.util.Objects.requireNonNull(aws, "aws");
      return this;
    }

    @Override
    public Options withAwsEndpoint(URI endpoint) {
      if (endpoint == null
          || endpoint.getHost() == null
          || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
        throw new InvalidConfigurationException(
            "AWS endpoint",
            String.valueOf(endpoint),
            "an endpoint is an http or https URL with a host",
            "pass e.g. http://127.0.0.1:5055");
      }
      this.awsEndpoint = endpoint;
      return this;
    }

    @Override
    public Options withAwsProfile(String profile) {
      this.awsProfile = profile;
      return this;
    }

    @Override
    public Options withKubernetes(Kubernetes kubernetes) {
      this.connector = KubernetesConnector.of(kubernetes);
      return this;
    }

    @Override
    public Options withKubernetesConnector(KubernetesConnector connector) {
      this.connector = java.util.Objects.requireNonNull(connector, "connector");
      return this;
    }

    @Override
    public Options withKubeconfig(Path kubeconfig) {
      this.kubeconfig = kubeconfig;
      return this;
    }

    @Override
    public Options withContext(String context) {
      this.context = context;
      return this;
    }

    @Override
    public Options awsOnly() {
      this.awsOnly = true;
      return this;
    }

    @Override
    public Options adoptExistingRole() {
      this.adopt = true;
      return this;
    }

    @Override
    public Options forceConflicts() {
      this.force = true;
      return this;
    }

    @Override
    public Options keepCrds() {
      this.keepCrds = true;
      return this;
    }

    @Override
    public Options removeFinalizers() {
      this.removeFinalizers = true;
      return this;
    }

    @Override
    public Options convertCrds(String mode) {
      try {
        this.crdMode = Settings.CrdMode.valueOf(String.valueOf(mode).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(
            "CRD conversion", mode, "must be auto, always or never", "use auto");
      }
      return this;
    }

    @Override
    public InstallReport plan() {
      return run(Engine::plan, !awsOnly);
    }

    @Override
    public InstallReport install() {
      return run(Engine::install, !awsOnly);
    }

    @Override
    public InstallReport verify() {
      return run(Engine::verify, !awsOnly);
    }

    @Override
    public InstallReport uninstall() {
      return run(Engine::uninstall, !awsOnly);
    }

    @Override
    public InstallReport diagnose() {
      return run(Engine::diagnose, !awsOnly);
    }

    @Override
    public String render() {
      return Manifests.toYaml(renderObjects());
    }

    @Override
    public List<KubeObject> renderObjects() {
      return run(e -> e.render(crdMode != Settings.CrdMode.NEVER), false);
    }

    private <T> T run(java.util.function.Function<Engine, T> operation, boolean needKubernetes) {
      RoleSpec spec = role.build();
      ServiceAccountRef sa = ServiceAccountRef.of(namespace, serviceAccount);
      ManifestSource source = manifest != null ? manifest : Manifests.bundled();
      AwsServices services = aws;
      boolean ownAws = false;
      if (services == null) {
        services =
            load(AwsServicesProvider.class, "operator-setup-aws", "withAws(...)")
                .create(
                    new AwsSettings(
                        cluster.region(),
                        Optional.ofNullable(awsEndpoint),
                        Optional.ofNullable(awsProfile)));
        ownAws = true;
      }
      try {
        Optional<KubernetesConnector> kube = Optional.empty();
        if (needKubernetes) {
          KubernetesConnector c = connector;
          if (c == null) {
            c =
                load(
                        KubernetesConnectorProvider.class,
                        "operator-setup-kubernetes",
                        "withKubernetes(...)")
                    .create(
                        new KubernetesSettings(
                            Optional.ofNullable(kubeconfig),
                            Optional.ofNullable(context),
                            cluster.region(),
                            Optional.of(services)));
          }
          kube = Optional.of(c);
        }
        Settings settings =
            new Settings(
                cluster,
                spec,
                sa,
                source,
                Map.copyOf(images),
                thumbprint,
                timeout,
                listener,
                services,
                kube,
                adopt,
                force,
                keepCrds,
                removeFinalizers,
                crdMode,
                "operator-setup");
        return operation.apply(new Engine(settings));
      } finally {
        if (ownAws) {
          services.close();
        }
      }
    }

    private static <T> T load(Class<T> type, String artifact, String alternative) {
      Iterator<T> it = ServiceLoader.load(type, OperatorSetup.class.getClassLoader()).iterator();
      if (!it.hasNext()) {
        throw new InvalidConfigurationException(
            type.getSimpleName(),
            null,
            "no implementation is on the class path",
            "add the dev.operatorsetup:" + artifact + " dependency, or call " + alternative);
      }
      return it.next();
    }
  }
}
