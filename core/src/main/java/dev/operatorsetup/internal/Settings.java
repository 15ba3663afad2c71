package dev.operatorsetup.internal;

import dev.operatorsetup.CrdConversion;
import dev.operatorsetup.ProgressListener;
import dev.operatorsetup.model.ClusterRef;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.port.ManifestSource;
import dev.operatorsetup.targets.ChartValues;
import dev.operatorsetup.targets.IdentityMode;
import dev.operatorsetup.targets.OperatorTarget;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What one operation is asked to do, validated by the fluent API before any call is made. The
 * connections it uses ({@link Ports}) are separate: they are opened when the operation runs.
 */
@Value.Immutable
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    jdkOnly = true)
public interface Settings {
  ClusterRef cluster();

  /** The role; an empty policy list means the target's default policies. */
  RoleSpec role();

  @Value.Default
  default OperatorTarget target() {
    return OperatorTarget.legacy();
  }

  @Value.Default
  default IdentityMode identity() {
    return IdentityMode.irsa();
  }

  ServiceAccountRef serviceAccount();

  /** The chart and its values, for a chart-based target. */
  @Value.Default
  default ChartValues chart() {
    return ChartValues.none();
  }

  /** The chart renderer the caller passed in; else one is found through ServiceLoader. */
  Optional<ChartRenderer> chartRenderer();

  /** Whether install takes over a Helm release of the target's name (else it is refused). */
  @Value.Default
  default boolean takeOverHelmRelease() {
    return false;
  }

  /**
   * Whether uninstall first marks each custom resource to retain its AWS resource, then deletes
   * them (else it refuses while any exists, for targets that do not delete them themselves).
   */
  @Value.Default
  default boolean retainAwsResources() {
    return false;
  }

  ManifestSource manifest();

  Map<String, String> imageOverrides();

  /** {@code none} (IAM derives it), {@code auto} (computed), or 40 hex digits. */
  @Value.Default
  default String thumbprint() {
    return "none";
  }

  @Value.Default
  default Duration timeout() {
    return Duration.ofMinutes(10);
  }

  @Value.Default
  default ProgressListener listener() {
    return ProgressListener.NONE;
  }

  /** Whether the Kubernetes steps are skipped. */
  @Value.Default
  default boolean awsOnly() {
    return false;
  }

  /**
   * Whether the AWS steps are skipped (the migration's uninstall of the legacy operator when no
   * role of its is left).
   */
  @Value.Default
  default boolean kubernetesOnly() {
    return false;
  }

  @Value.Default
  default boolean adoptExistingRole() {
    return false;
  }

  /** Whether install drops trust statements whose IAM OIDC provider no longer exists. */
  @Value.Default
  default boolean removeStaleTrust() {
    return false;
  }

  @Value.Default
  default boolean forceConflicts() {
    return false;
  }

  @Value.Default
  default boolean keepCrds() {
    return false;
  }

  @Value.Default
  default boolean removeFinalizers() {
    return false;
  }

  @Value.Default
  default CrdConversion crdConversion() {
    return CrdConversion.AUTO;
  }

  @Value.Default
  default String fieldManager() {
    return "operator-setup";
  }

  /** Builds settings. */
  class Builder extends ImmutableSettings.Builder {}
}
