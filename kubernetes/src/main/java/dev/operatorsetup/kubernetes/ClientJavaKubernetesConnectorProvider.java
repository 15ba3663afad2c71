package dev.operatorsetup.kubernetes;

import dev.operatorsetup.port.KubernetesConnector;
import dev.operatorsetup.spi.KubernetesConnectorProvider;
import dev.operatorsetup.spi.KubernetesSettings;

/**
 * Provides the official-client connector through {@link java.util.ServiceLoader}: the settings'
 * kubeconfig and context if either is set, else the standard kubeconfig's context whose server is
 * the cluster's endpoint, else an EKS token (see {@link KubernetesPorts#connector}).
 */
public final class ClientJavaKubernetesConnectorProvider implements KubernetesConnectorProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public ClientJavaKubernetesConnectorProvider() {}

  @Override
  public KubernetesConnector create(KubernetesSettings settings) {
    return KubernetesPorts.connector(settings);
  }
}
