package dev.operatorsetup.kubernetes;

import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.contract.KubernetesContract;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Kubernetes contract against a real kube-apiserver (scripts/control-plane). */
@RequiresControlPlane
class ClientJavaKubernetesIT extends KubernetesContract {
  private static Kubernetes kubernetes;

  @BeforeAll
  static void connect(ControlPlane plane) {
    kubernetes = KubernetesPorts.fromKubeconfig(plane.kubeconfig());
  }

  @AfterAll
  static void disconnect() {
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @Override
  protected Kubernetes kubernetes() {
    return kubernetes;
  }
}
