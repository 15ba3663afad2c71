package dev.operatorsetup.port;

import dev.operatorsetup.model.ClusterInfo;

/**
 * Opens a {@link Kubernetes} connection to an EKS cluster, e.g. from a kubeconfig context or from
 * the cluster's endpoint and a token.
 */
@FunctionalInterface
public interface KubernetesConnector {
  Kubernetes connect(ClusterInfo cluster);

  /** Returns a connector that always hands out the same connection (which it never closes). */
  static KubernetesConnector of(Kubernetes kubernetes) {
    return cluster ->
        new ForwardingKubernetes(kubernetes) {
          @Override
          public void close() {}
        };
  }
}
