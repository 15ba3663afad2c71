package dev.operatorsetup.internal;

import dev.operatorsetup.CrdConversion;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup.Options;
import dev.operatorsetup.ProgressListener;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterRef;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.Rules;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.port.KubernetesConnector;
import dev.operatorsetup.port.ManifestSource;
import dev.operatorsetup.targets.IdentityMode;
import dev.operatorsetup.targets.OperatorTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The fluent options of {@link dev.operatorsetup.OperatorSetup}: each option checks its value at
 * once; a terminal operation builds the {@link Settings}, opens the {@link Ports} and runs the
 * {@link Engine}.
 */
public final class FluentOptions implements Options {
  private final Settings.Builder settings = new Settings.Builder();
  private final ClusterRef cluster;
  private final RoleSpec.Builder role = new RoleSpec.Builder();
  private final Map<String, String> images = new LinkedHashMap<>();
  private OperatorTarget target = OperatorTarget.legacy();
  private boolean targetGiven;
  private String namespace;
  private String serviceAccount;
  private ManifestSource manifest;
  private boolean conversionGiven;
  private final Connections connections = new Connections();
  private final ChartOptions chart = new ChartOptions();

  public FluentOptions(ClusterRef cluster, String roleName) {
    this.cluster = cluster;
    role.name(Rules.roleName("role name", roleName));
    settings.cluster(cluster);
  }

  @Override
  public Options withPolicy(String policyArn) {
    Arn arn = Arn.parsePolicy("policy ARN", policyArn);
    checkPartition("policy ARN", arn);
    role.addManagedPolicyArn(arn);
    return this;
  }

  private void checkPartition(String field, Arn arn) {
    if (arn.partition() != cluster.partition()) {
      throw new InvalidConfigurationException(
          field,
          arn.toString(),
          "it is in partition "
              + arn.partition().id()
              + " but region "
              + cluster.region()
              + " is in "
              + cluster.partition().id(),
          "use arn:" + cluster.partition().id() + ":iam::... for this cluster");
    }
  }

  @Override
  public Options withInlinePolicy(String name, String document) {
    role.putInlinePolicy(name, document);
    role.build();
    return this;
  }

  @Override
  public Options withRolePath(String path) {
    role.path(path);
    role.build();
    return this;
  }

  @Override
  public Options withRoleDescription(String description) {
    role.description(description);
    role.build();
    return this;
  }

  @Override
  public Options withMaxSessionDuration(Duration duration) {
    role.maxSessionDurationSeconds((int) Math.min(Integer.MAX_VALUE, duration.getSeconds()));
    role.build();
    return this;
  }

  @Override
  public Options withRoleTag(String key, String value) {
    role.putTag(key, value);
    role.build();
    return this;
  }

  @Override
  public Options withPermissionsBoundary(String policyArn) {
    Arn arn = Arn.parsePolicy("permissions boundary", policyArn);
    checkPartition("permissions boundary", arn);
    role.permissionsBoundary(arn);
    return this;
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
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    return this;
  }

  @Override
  public Options withImage(String image, String replacement) {
    images.put(image, replacement);
    try {
      new ManifestPatch.Builder()
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
    settings.thumbprint(t);
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
    settings.timeout(timeout);
    return this;
  }

  @Override
  public Options withListener(ProgressListener listener) {
    settings.listener(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public Options withAws(AwsServices aws) {
    connections.aws(aws);
    return this;
  }

  @Override
  public Options withAwsEndpoint(URI endpoint) {
    connections.awsEndpoint(endpoint);
    return this;
  }

  @Override
  public Options withAwsProfile(String profile) {
    connections.awsProfile(profile);
    return this;
  }

  @Override
  public Options withKubernetes(Kubernetes kubernetes) {
    connections.connector(KubernetesConnector.of(kubernetes));
    return this;
  }

  @Override
  public Options withKubernetesConnector(KubernetesConnector connector) {
    connections.connector(Objects.requireNonNull(connector, "connector"));
    return this;
  }

  @Override
  public Options withKubeconfig(Path kubeconfig) {
    connections.kubeconfig(kubeconfig);
    return this;
  }

  @Override
  public Options withContext(String context) {
    connections.context(context);
    return this;
  }

  @Override
  public Options allowInsecureKubernetesTls() {
    connections.allowInsecureTls();
    return this;
  }

  @Override
  public Options awsOnly() {
    settings.awsOnly(true);
    return this;
  }

  @Override
  public Options adoptExistingRole() {
    settings.adoptExistingRole(true);
    return this;
  }

  @Override
  public Options forceConflicts() {
    settings.forceConflicts(true);
    return this;
  }

  @Override
  public Options keepCrds() {
    settings.keepCrds(true);
    return this;
  }

  @Override
  public Options removeFinalizers() {
    settings.removeFinalizers(true);
    return this;
  }

  @Override
  public Options convertCrds(String mode) {
    try {
      return convertCrds(CrdConversion.valueOf(String.valueOf(mode).toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(
          "CRD conversion", mode, "must be auto, always or never", "use auto");
    }
  }

  @Override
  public Options convertCrds(CrdConversion mode) {
    settings.crdConversion(Objects.requireNonNull(mode, "mode"));
    conversionGiven = true;
    return this;
  }

  @Override
  public Options withTarget(OperatorTarget target) {
    this.target = Objects.requireNonNull(target, "target");
    targetGiven = true;
    return this;
  }

  @Override
  public Options withChart(Path chartPath) {
    chart.chart(chartPath);
    return this;
  }

  @Override
  public Options withChart(String spec) {
    chart.chart(spec);
    return this;
  }

  @Override
  public Options set(String key, String value) {
    chart.set(key, value);
    return this;
  }

  @Override
  public Options withValuesFile(Path file) {
    chart.valuesFile(file);
    return this;
  }

  @Override
  public Options installScope(String scope) {
    chart.installScope(scope);
    return this;
  }

  @Override
  public Options watchNamespace(String... namespaces) {
    chart.watchNamespaces(namespaces);
    return this;
  }

  @Override
  public Options withChartRenderer(ChartRenderer renderer) {
    settings.chartRenderer(Objects.requireNonNull(renderer, "renderer"));
    return this;
  }

  @Override
  public Options takeOverHelmRelease() {
    settings.takeOverHelmRelease(true);
    return this;
  }

  @Override
  public Options retainAwsResources() {
    settings.retainAwsResources(true);
    return this;
  }

  @Override
  public Options withIdentity(IdentityMode identity) {
    settings.identity(Objects.requireNonNull(identity, "identity"));
    return this;
  }

  @Override
  public InstallReport plan() {
    return run(Engine::plan, true);
  }

  @Override
  public InstallReport install() {
    return run(Engine::install, true);
  }

  @Override
  public InstallReport verify() {
    return run(Engine::verify, true);
  }

  @Override
  public InstallReport uninstall() {
    return run(Engine::uninstall, true);
  }

  @Override
  public InstallReport diagnose() {
    return run(Engine::diagnose, true);
  }

  @Override
  public InstallReport migrate() {
    return migration(true);
  }

  @Override
  public InstallReport planMigration() {
    return migration(false);
  }

  /** The migration's side is ACK: the default target, and the only one it accepts. */
  private InstallReport migration(boolean apply) {
    if (targetGiven && !(target instanceof dev.operatorsetup.targets.AckController)) {
      throw new InvalidConfigurationException(
          "target",
          target.id(),
          "the migration installs the ACK SageMaker controller and removes the legacy operator",
          "leave the target out, or choose OperatorTarget.ack() (--target ack)");
    }
    target = OperatorTarget.ack();
    Settings s = InputChecks.check(build(), manifest != null, conversionGiven);
    if (s.awsOnly()) {
      throw new InvalidConfigurationException(
          "awsOnly",
          "true",
          "the migration moves objects on the cluster, so it must connect to Kubernetes",
          "leave out awsOnly() (--aws-only)");
    }
    try (Connections.Opened ports = connections.open(cluster.region(), true)) {
      Migration migration = new Migration(s, ports.ports());
      return apply ? migration.migrate() : migration.plan();
    }
  }

  @Override
  public String render() {
    return Manifests.toYaml(renderObjects());
  }

  @Override
  public List<KubeObject> renderObjects() {
    return run(e -> e.render(build().crdConversion() != CrdConversion.NEVER), false);
  }

  /** The settings as the options stand now. */
  private Settings build() {
    ServiceAccountRef defaults = target.defaultServiceAccount();
    return settings
        .role(role.build())
        .target(target)
        .serviceAccount(
            ServiceAccountRef.of(
                namespace != null ? namespace : defaults.namespace(),
                serviceAccount != null ? serviceAccount : defaults.name()))
        .manifest(manifest != null ? manifest : target.defaultSource())
        .imageOverrides(images)
        .chart(chart.values())
        .build();
  }

  private <T> T run(Function<Engine, T> operation, boolean needKubernetes) {
    Settings s = InputChecks.check(build(), manifest != null, conversionGiven);
    try (Connections.Opened ports =
        connections.open(cluster.region(), needKubernetes && !s.awsOnly())) {
      return operation.apply(new Engine(s, ports.ports()));
    }
  }

  @Override
  public Options removeStaleTrust() {
    settings.removeStaleTrust(true);
    return this;
  }
}
