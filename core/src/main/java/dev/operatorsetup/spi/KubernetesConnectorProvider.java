package dev.operatorsetup.spi;

import dev.operatorsetup.port.KubernetesConnector;

/**
 * Creates the Kubernetes connector when none is passed in; found with {@link
 * java.util.ServiceLoader}. The {@code kubernetes} module provides one.
 */
public interface KubernetesConnectorProvider {
  KubernetesConnector create(KubernetesSettings settings);
}
