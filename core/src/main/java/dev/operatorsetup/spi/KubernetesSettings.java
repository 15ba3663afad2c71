package dev.operatorsetup.spi;

import dev.operatorsetup.port.AwsServices;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach the cluster's API server: a kubeconfig file and context (otherwise {@code
 * KUBECONFIG}, {@code ~/.kube/config}, in-cluster), and the region and AWS services, so an EKS
 * token can be made when no kubeconfig names the cluster.
 */
public record KubernetesSettings(
    Optional<Path> kubeconfig, Optional<String> context, String region, Optional<AwsServices> aws) {
  public KubernetesSettings {
    java.util.Objects.requireNonNull(kubeconfig, "kubeconfig");
    java.util.Objects.requireNonNull(context, "context");
    java.util.Objects.requireNonNull(region, "region");
    java.util.Objects.requireNonNull(aws, "aws");
  }
}
