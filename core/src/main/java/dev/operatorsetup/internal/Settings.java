package dev.operatorsetup.internal;

import dev.operatorsetup.ProgressListener;
import dev.operatorsetup.model.ClusterRef;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.KubernetesConnector;
import dev.operatorsetup.port.ManifestSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one operation needs, validated by the fluent API before any call is made.
 *
 * @param role the role; an empty policy list means the partition's AmazonSageMakerFullAccess
 * @param thumbprint {@code none} (IAM derives it), {@code auto} (computed), or 40 hex digits
 */
public record Settings(
    ClusterRef cluster,
    RoleSpec role,
    ServiceAccountRef serviceAccount,
    ManifestSource manifest,
    Map<String, String> imageOverrides,
    String thumbprint,
    Duration timeout,
    ProgressListener listener,
    AwsServices aws,
    Optional<KubernetesConnector> kubernetes,
    boolean adoptExistingRole,
    boolean forceConflicts,
    boolean keepCrds,
    boolean removeFinalizers,
    CrdMode crdMode,
    String fieldManager) {

  /** When to convert the installer's apiextensions/v1beta1 CRDs to v1. */
  public enum CrdMode {
    /** When the server does not serve v1beta1 (every Kubernetes since 1.22). */
    AUTO,
    ALWAYS,
    NEVER
  }

  /** Returns whether the Kubernetes steps are skipped. */
  public boolean awsOnly() {
    return kubernetes.isEmpty();
  }
}
