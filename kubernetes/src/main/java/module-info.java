/** The Kubernetes port over the official Kubernetes Java client, found by core through the SPI. */
module dev.operatorsetup.kubernetes {
  // KubernetesPorts' public factories take an ApiClient and AWS credentials.
  requires transitive dev.operatorsetup.core;
  requires io.kubernetes.client.java;
  requires transitive io.kubernetes.client.java.api;
  requires com.google.gson;
  requires okhttp3;
  requires transitive software.amazon.awssdk.auth;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.auth.aws;
  requires software.amazon.awssdk.http.auth.spi;
  requires software.amazon.awssdk.identity.spi;
  requires software.amazon.awssdk.regions;
  // Not used in code: the SDK's default credentials chain loads its web identity (IRSA) provider
  // from sts by reflection, so sts must be in the module graph.
  requires software.amazon.awssdk.services.sts;
  requires org.slf4j;

  exports dev.operatorsetup.kubernetes;

  provides dev.operatorsetup.spi.KubernetesConnectorProvider with
      dev.operatorsetup.kubernetes.ClientJavaKubernetesConnectorProvider;
}
