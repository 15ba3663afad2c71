package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.spi.KubernetesSettings;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How the connector reaches a cluster, against the real API server: through the kubeconfig context
 * whose server is the cluster's endpoint, else with an EKS token (which this plane, with token-file
 * authentication, rejects as a real EKS cluster would reject a token of an unmapped identity).
 */
@RequiresControlPlane
class ConnectorIT {
  private static final KubernetesSettings SETTINGS =
      new KubernetesSettings(Optional.empty(), Optional.empty(), "us-west-2", Optional.empty());

  private static ClusterInfo cluster(ControlPlane plane, String endpoint) throws Exception {
    return new ClusterInfo.Builder()
        .name("local")
        .arn(Arn.parse("cluster", "arn:aws:eks:us-west-2:123456789012:cluster/local"))
        .endpoint(endpoint)
        .certificateAuthority(
            Base64.getEncoder()
                .encodeToString(Files.readAllBytes(plane.caCertificate().orElseThrow())))
        .build();
  }

  @Test
  void kubeconfigContextWhoseServerIsTheEndpoint_isUsed(ControlPlane plane) throws Exception {
    ClusterInfo c = cluster(plane, plane.server() + "/");

    try (Kubernetes k =
        KubernetesPorts.connector(SETTINGS, () -> Optional.of(plane.kubeconfig()), () -> null)
            .connect(c)) {
      assertThat(k.serverInfo().gitVersion()).startsWith("v1.");
    }
  }

  @Test
  void withoutAMatchingContext_anEksTokenIsSent_andARejectionSaysSo(ControlPlane plane)
      throws Exception {
    ClusterInfo c = cluster(plane, plane.server().toString().replace("127.0.0.1", "localhost"));
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

    try (Kubernetes k =
        KubernetesPorts.connector(
                SETTINGS, () -> Optional.of(plane.kubeconfig()), () -> credentials)
            .connect(c)) {
      assertThatThrownBy(k::serverInfo)
          .isInstanceOf(OperatorSetupException.class)
          .hasMessageContaining("rejected the credentials");
    }
  }
}
