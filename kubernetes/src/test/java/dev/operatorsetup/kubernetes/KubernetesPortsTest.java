package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.spi.KubernetesConnectorProvider;
import dev.operatorsetup.spi.KubernetesSettings;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

class KubernetesPortsTest {
  @TempDir Path dir;

  private Path kubeconfig() throws IOException {
    return Files.writeString(
        dir.resolve("config"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: one
          cluster:
            server: https://one.example.com:443/
        - name: two
          cluster:
            server: https://two.example.com
        users:
        - name: u
          user:
            token: not-a-real-token
        contexts:
        - name: alpha
          context: {cluster: one, user: u}
        - name: beta
          context: {cluster: two, user: u}
        current-context: alpha
        """);
  }

  private static ClusterInfo cluster(String endpoint) {
    ClusterInfo.Builder b =
        new ClusterInfo.Builder()
            .name("demo")
            .arn(Arn.parse("cluster", "arn:aws:eks:us-west-2:123456789012:cluster/demo"));
    if (endpoint != null) {
      b.endpoint(endpoint);
    }
    return b.build();
  }

  @Test
  void missingKubeconfigFile_isInvalidConfiguration_namingThePathAndTheFix() {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> KubernetesPorts.fromKubeconfig(missing))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("Fix:");
  }

  @Test
  void missingContext_isInvalidConfiguration_namingTheContextAndTheOnesThereAre()
      throws IOException {
    Path config = kubeconfig();

    assertThatThrownBy(() -> KubernetesPorts.fromKubeconfig(config, "gamma"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'gamma'")
        .hasMessageContaining("alpha, beta")
        .hasMessageContaining("Fix:");
  }

  @Test
  void existingContext_connectsWithoutCallingTheServer() throws IOException {
    try (Kubernetes k = KubernetesPorts.fromKubeconfig(kubeconfig(), "beta")) {
      assertThat(k).isNotNull();
    }
  }

  @Test
  void contextForServer_matchesTheEndpointIgnoringPort443AndTrailingSlash() throws IOException {
    var config = Kubeconfigs.load(kubeconfig(), Optional.empty());

    assertThat(Kubeconfigs.contextForServer(config, "https://ONE.example.com")).contains("alpha");
    assertThat(Kubeconfigs.contextForServer(config, "https://two.example.com/")).contains("beta");
    assertThat(Kubeconfigs.contextForServer(config, "https://three.example.com")).isEmpty();
  }

  @Test
  void standardLocation_takesTheFirstExistingKubeconfigEntry_elseHomeKubeConfig()
      throws IOException {
    Path config = kubeconfig();
    String list = dir.resolve("missing") + java.io.File.pathSeparator + config;

    assertThat(Kubeconfigs.standardLocation(Map.of("KUBECONFIG", list), "/nonexistent"))
        .contains(config);
    Path home = Files.createDirectories(dir.resolve("home/.kube")).getParent();
    Files.copy(config, home.resolve(".kube/config"));
    assertThat(Kubeconfigs.standardLocation(Map.of(), home.toString()))
        .contains(home.resolve(".kube/config"));
    assertThat(Kubeconfigs.standardLocation(Map.of(), dir.resolve("empty").toString())).isEmpty();
  }

  @Test
  void apiClientPassedIn_isNotClosed() {
    ApiClient client = new ApiClient();
    KubernetesPorts.fromApiClient(client).close();

    assertThat(client.getHttpClient().dispatcher().executorService().isShutdown()).isFalse();
  }

  @Test
  void eksCluster_withoutEndpoint_isInvalidConfiguration() {
    assertThatThrownBy(() -> KubernetesPorts.forEksCluster(cluster(null), "us-west-2"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("demo")
        .hasMessageContaining("endpoint");
  }

  /** A throwaway self-signed certificate (public part only), base64 PEM as EKS returns it. */
  private static final String TEST_CA =
      "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURCVENDQWUyZ0F3SUJBZ0lVSVFUNlRkU0lTNzlwMkdwMUlxc2FDQ3VaZzY0d0RRWUpLb1pJaHZjTkFRRUwKQlFBd0VqRVFNQTRHQTFVRUF3d0hkR1Z6ZEMxallUQWVGdzB5TmpFeE1qZ3lNak0wTXpWYUZ3MHpOakV4TWpVeQpNak0wTXpWYU1CSXhFREFPQmdOVkJBTU1CM1JsYzNRdFkyRXdnZ0VpTUEwR0NTcUdTSWIzRFFFQkFRVUFBNElCCkR3QXdnZ0VLQW9JQkFRQ1loaHhvQUlka2M1T0ZRYWJreGQ4VjAydzkxbXY2d3ZOdWhRVFd1RXlGVUFRU0xSekkKRDg5VVBZcVVKbmRiSlJyMHZxRkR5MmxDZlNYOVBoSXR3UDVPNUpYalRJS2FrMmcwRXdpMmRlMVVLeHNHcHFiYQpvVWNyQ0cyM0lyWVdGWGIzQ1NmUkFDeEUzTTZ0LzVZdVZaMUY4QjNUVTFIVlVhRDhOZVc2d2p2eTBSMVdwL1BVCkRCdzBxUEtBRk1qMWZUcDRtYTBVR3dNdGNMV3ZROHV3Y3V5S0pvYUsxQ3k1MVIreDdCeEhpV25GSFZpZld3ek0KMDZ0QXdaQmlXMHlCcDdwa2RVdkd3QWg0ZVIyUXR3NGFGNE1jaG9JK0NnS0t3TWVsRUlhTlhjM2xaV1hodjhSZApPVXBIZ1NYanRvdkhNYWExZ1ltSWhTcmtTMXdvaVd5QjNBOFhBZ01CQUFHalV6QlJNQjBHQTFVZERnUVdCQlR4CnE3emhjL2lzYUx2Y3JHV3JRbUR5bGxybHlUQWZCZ05WSFNNRUdEQVdnQlR4cTd6aGMvaXNhTHZjckdXclFtRHkKbGxybHlUQVBCZ05WSFJNQkFmOEVCVEFEQVFIL01BMEdDU3FHU0liM0RRRUJDd1VBQTRJQkFRQmovdGdBYll5SgpnUlUvV3AxWWNlL1NYaHJkZTZIRTU1dXNjV2ZVZlNoRXAwSXM5d1lKanE3NVNFTnI5K3JyRmN4eUF6OFVURVlhCjY3VW5EdU0ydytyc2NrN29ndnFFemFoSTQzUjhXcVg0cndacGZjK3hEQTMrdEh6SnBpZ01IVjV6c05lc2ZTSFIKLzZkdXlrejYwKzNZdGQ1S3ZLdWdqUGU5Ti9pTlZLbjB1L1JOQUhETmNTTHEyZlVxZUE0SUQ1SUZuNmpJNHRHegpTdld6ZitZZHF2cnFGL0M5MzhBWWRrRkYrdGlSMjdYV3N0Z0RaRFJxSkRLMWhlSUNDK1FCTVY0RG5sU1plcENTCms4R2ovNk9jQ05vZFhkSVZla0xhQmJYanFoVFFnQTRFWGJDbzRMSHlKRGFldnRjQzVYZVF4QkJZUStyNFkxMGcKQno0S1FsU1FXcmRICi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";

  @Test
  void eksCluster_withACaThatIsNotPem_isInvalidConfiguration() {
    ClusterInfo c =
        new ClusterInfo.Builder()
            .from(cluster("https://demo.example.com"))
            .certificateAuthority("LS0tLS1CRUdJTg==")
            .build();
    assertThatThrownBy(() -> KubernetesPorts.forEksCluster(c, "us-west-2"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("not a PEM certificate")
        .hasMessageContaining("--kubeconfig");
  }

  @Test
  void eksCluster_withoutAwsCredentials_failsWithOurException_carryingTheSdkOneAsCause() {
    ClusterInfo c =
        new ClusterInfo.Builder()
            .from(cluster("https://demo.example.com"))
            .certificateAuthority(TEST_CA)
            .build();
    AwsCredentialsProvider none =
        () -> {
          throw SdkClientException.create("Unable to load credentials from any provider");
        };

    assertThatThrownBy(() -> KubernetesPorts.forEksCluster(c, "us-west-2", none))
        .isInstanceOf(OperatorSetupException.class)
        .hasMessageContaining("AWS credentials")
        .hasCauseInstanceOf(SdkClientException.class);
  }

  @Test
  void connector_withAGivenKubeconfigThatIsMissing_failsNamingIt() {
    KubernetesSettings settings =
        new KubernetesSettings(
            Optional.of(dir.resolve("absent")), Optional.empty(), "us-west-2", Optional.empty());

    assertThatThrownBy(() -> KubernetesPorts.connector(settings).connect(cluster("https://x")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("absent");
  }

  @Test
  void connector_withNoMatchingContextAndNoEndpoint_explainsBoth() throws IOException {
    Path config = kubeconfig();
    KubernetesSettings settings =
        new KubernetesSettings(Optional.empty(), Optional.empty(), "us-west-2", Optional.empty());

    assertThatThrownBy(
            () ->
                KubernetesPorts.connector(settings, () -> Optional.of(config), () -> null)
                    .connect(cluster(null)))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("demo")
        .hasMessageContaining("update-kubeconfig");
  }

  @Test
  void serviceLoader_findsTheProvider() {
    assertThat(ServiceLoader.load(KubernetesConnectorProvider.class))
        .anyMatch(p -> p instanceof ClientJavaKubernetesConnectorProvider);
  }

  private Path insecureKubeconfig() throws IOException {
    return Files.writeString(
        dir.resolve("insecure"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: lab
          cluster:
            server: https://lab.example.com:6443
            insecure-skip-tls-verify: true
        - name: safe
          cluster:
            server: https://safe.example.com
        users:
        - name: u
          user:
            token: not-a-real-token
        contexts:
        - name: lab-ctx
          context: {cluster: lab, user: u}
        - name: safe-ctx
          context: {cluster: safe, user: u}
        current-context: lab-ctx
        """);
  }

  @Test
  void contextThatTurnsTlsVerificationOff_isRefused_namingClusterServerAndTheExplicitOption()
      throws IOException {
    Path config = insecureKubeconfig();

    assertThatThrownBy(() -> KubernetesPorts.fromKubeconfig(config))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'lab-ctx'")
        .hasMessageContaining("'lab' (https://lab.example.com:6443)")
        .hasMessageContaining("insecure-skip-tls-verify")
        .hasMessageContaining("allowInsecureKubernetesTls()");
    // the connector refuses when it is created, before it connects
    KubernetesSettings settings =
        new KubernetesSettings(Optional.of(config), Optional.empty(), "us-west-2");
    assertThatThrownBy(() -> KubernetesPorts.connector(settings))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("insecure-skip-tls-verify");
  }

  @Test
  void anotherContextOfTheSameFile_thatVerifiesTls_isAccepted() throws IOException {
    try (Kubernetes k =
        KubernetesPorts.fromKubeconfig(
            Optional.of(insecureKubeconfig()), Optional.of("safe-ctx"))) {
      assertThat(k).isNotNull();
    }
  }

  @Test
  void contextThatTurnsTlsVerificationOff_explicitlyAllowed_connectsAndWarnsNamingTheCluster()
      throws IOException {
    Path config = insecureKubeconfig();
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      KubernetesSettings settings =
          new KubernetesSettings(Optional.of(config), Optional.empty(), "us-west-2", true);
      try (Kubernetes k = KubernetesPorts.connector(settings).connect(cluster("https://x"))) {
        assertThat(k).isNotNull();
      }
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("WARN")
        .contains("TLS verification is OFF")
        .contains("'lab' (https://lab.example.com:6443)");
  }

  @Test
  void connector_checksAGivenContextWhenItIsCreated() throws IOException {
    Path config = kubeconfig();
    KubernetesSettings settings =
        new KubernetesSettings(Optional.of(config), Optional.of("gamma"), "us-west-2");

    assertThatThrownBy(() -> KubernetesPorts.connector(settings))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'gamma'");
  }
}
