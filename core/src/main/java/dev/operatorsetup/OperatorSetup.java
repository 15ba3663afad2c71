package dev.operatorsetup;

import dev.operatorsetup.internal.FluentOptions;
import dev.operatorsetup.model.ClusterRef;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Rules;
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
import java.util.List;

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
 * InvalidConfigurationException} naming the field, the value and the fix. Every operation also
 * checks, in every mode and before anything is read or written, what cannot be checked at once: a
 * given manifest is loaded and rendered, image overrides must name one of its images, a given
 * kubeconfig and context are read (and refused if they turn TLS verification off), and switches
 * that act on the cluster are refused with {@link Options#awsOnly()}. {@link Options#plan()} makes
 * reads only; {@link Options#install()} reads before every write, so it can be re-run after any
 * failure and writes nothing when nothing needs changing.
 */
public final class OperatorSetup {
  private OperatorSetup() {}

  /** Starts the configuration for the EKS cluster with this name. */
  public static RegionStep forCluster(String clusterName) {
    Rules.clusterName(clusterName);
    return region -> {
      Rules.region(region);
      return roleName -> new FluentOptions(ClusterRef.of(clusterName, region), roleName);
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

    /**
     * Installs into this namespace (default: the target's, {@code sagemaker-k8s-operator-system}).
     */
    Options withNamespace(String namespace);

    /**
     * Names the operator's ServiceAccount (default: the target's, {@code
     * sagemaker-k8s-operator-default}).
     */
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

    /**
     * Allows a kubeconfig context whose cluster turns TLS verification off ({@code
     * insecure-skip-tls-verify: true}); without this it is refused before anything is read or
     * written. The connection then logs a WARN line naming the cluster and its server.
     */
    Options allowInsecureKubernetesTls();

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

    /** Converts v1beta1 CRDs to v1 when the server needs it (default), always, or never. */
    Options convertCrds(CrdConversion mode);

    /** Installs this operator (default: {@link OperatorTarget#legacy()}). */
    Options withTarget(OperatorTarget target);

    /**
     * Renders this chart (a directory with a Chart.yaml or a {@code .tgz}) for a chart-based target
     * ({@link OperatorTarget#ack()}); default: the {@code helm} module's bundled chart.
     */
    Options withChart(Path chart);

    /**
     * Renders the chart this spec names: {@code bundled} (= {@code 1.9.1}), {@code 1.9.1}, {@code
     * 1.6.0}, a chart directory, a {@code .tgz} file, or {@code https://...#sha256=<hex>} (see
     * {@link Charts#parse}); checked now, read when the operation renders.
     */
    Options withChart(String spec);

    /** Sets a chart value as {@code helm --set KEY=VALUE} does; applied after the target's own. */
    Options set(String key, String value);

    /** Adds a chart values file as {@code helm --values FILE} does (checked to exist at once). */
    Options withValuesFile(Path file);

    /** The ACK controller's install scope: {@code cluster} (default) or {@code namespace}. */
    Options installScope(String scope);

    /** The namespaces a namespace-scoped ACK controller watches (default: its own). */
    Options watchNamespace(String... namespaces);

    /** Renders charts with this renderer (default: the {@code helm} module's, by ServiceLoader). */
    Options withChartRenderer(ChartRenderer renderer);

    /**
     * Takes over a Helm release of the target's name: its objects are force-applied with this
     * library's field manager and label, and Helm's release records are deleted. Without this, such
     * a release is refused.
     */
    Options takeOverHelmRelease();

    /**
     * On uninstall, marks every custom resource of the target's CRDs with {@code
     * services.k8s.aws/deletion-policy: retain} (the AWS resource is kept), then deletes them.
     * Without this, uninstall refuses while any exists.
     */
    Options retainAwsResources();

    /** Gives the controller its AWS identity this way (default: {@link IdentityMode#irsa()}). */
    Options withIdentity(IdentityMode identity);

    /**
     * On install (and plan), drops the role's trust statements whose IAM OIDC provider no longer
     * exists (a deleted cluster's), which doctor and verify report. Other statements are kept.
     */
    Options removeStaleTrust();

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

    /**
     * Moves the cluster from the legacy operator to the ACK SageMaker controller without a write to
     * SageMaker: installs ACK (this role is the ACK controller's; the chart options apply), creates
     * an ACK object adopting each SageMaker resource a legacy custom resource stands for, stops the
     * legacy controller, removes each legacy object's finalizer and deletes it, and uninstalls the
     * legacy operator. Refuses before any write, naming each legacy object that cannot move (never
     * submitted, or no ACK counterpart). Running it again changes nothing.
     *
     * @throws InvalidConfigurationException if the target was set to the legacy operator
     */
    InstallReport migrate();

    /** Reads only, and returns every change {@link #migrate()} would make. */
    InstallReport planMigration();

    /** Returns the patched manifest as YAML, for GitOps; makes no AWS writes, no cluster needed. */
    String render();

    /** Returns the patched manifest objects, in apply order. */
    List<KubeObject> renderObjects();
  }
}
