package dev.operatorsetup.spi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the cluster's API server: a kubeconfig file and context (otherwise {@code
 * KUBECONFIG}, {@code ~/.kube/config}, in-cluster), the region, so an EKS token can be made for it,
 * and whether a kubeconfig that turns TLS verification off ({@code insecure-skip-tls-verify: true})
 * may be used; by default it is refused.
 */
public record KubernetesSettings(
    Optional<Path> kubeconfig, Optional<String> context, String region, boolean allowInsecureTls) {
  public KubernetesSettings {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(region, "region");
  }

  /** Creates the settings with TLS verification required. */
  public KubernetesSettings(Optional<Path> kubeconfig, Optional<String> context, String region) {
    this(kubeconfig, context, region, false);
  }

  /**
   * Creates the settings; the AWS services were never read.
   *
   * @deprecated use {@link #KubernetesSettings(Optional, Optional, String)}; {@code aws} is ignored
   */
  @Deprecated
  public KubernetesSettings(
      Optional<Path> kubeconfig, Optional<String> context, String region, Optional<?> aws) {
    this(kubeconfig, context, region, false);
  }
}
