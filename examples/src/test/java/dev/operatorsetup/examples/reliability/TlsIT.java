package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * TLS to the API server is always verified, on the real plane: a kubeconfig or an EKS cluster whose
 * certificate authority did not sign the API server's certificate is refused at once (not retried
 * as if the server were down), with a message that says so, before anything is written.
 *
 * <p>The issuer thumbprint and manifest URLs: {@code aws/TlsThumbprintsTest} (an untrusted chain,
 * the JVM trust store against a private chain, a host the certificate does not name) and {@code
 * core/ManifestsUrlTest} (an untrusted certificate, plain http, a missing or wrong sha256 pin, a
 * redirect to http).
 */
@RequiresControlPlane
class TlsIT {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  static final String CLUSTER = "reliability-tls";
  static Emulators em;

  @TempDir static Path dir;

  @BeforeAll
  static void connect(ControlPlane plane) {
    em = new Emulators(MOTO.server(), plane);
  }

  @AfterAll
  static void close() {
    if (em != null) {
      em.close();
    }
  }

  /** A CA that did not sign the plane's certificate: the first one of the JVM's trust store. */
  private static String foreignCaData() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    Certificate ca = tm.getAcceptedIssuers()[0];
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ca.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static void assertNothingWritten() {
    assertThat(em.iam.listRoles().roles()).isEmpty();
    assertThat(em.iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
  }

  @Test
  void aKubeconfigWhoseCaDidNotSignTheApiServer_isRefusedAtOnce_beforeAnyWrite() throws Exception {
    em.cluster(CLUSTER);
    Path kubeconfig = dir.resolve("foreign-ca.kubeconfig");
    Files.writeString(
        kubeconfig,
        Files.readString(em.plane.kubeconfig())
            .replace(em.kubeconfigField("certificate-authority-data"), foreignCaData()));
    long start = System.nanoTime();
    Tools.Result r =
        Tools.operatorSetup(
            List.of(
                "install",
                "--cluster",
                CLUSTER,
                "--region",
                Emulators.REGION,
                "--role",
                Emulators.ROLE,
                "--aws-endpoint",
                em.moto.endpoint().toString(),
                "--kubeconfig",
                kubeconfig.toString()));
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.stderr())
        .contains("error: ")
        .contains("TLS certificate")
        .contains("certificate-authority")
        .doesNotContain("did not answer");
    assertThat(seconds).as("refused at once, not retried").isLessThan(10);
    assertNothingWritten();
  }

  @Test
  void anEksClusterWhoseCaDidNotSignItsEndpoint_isRefusedAtOnce_beforeAnyWrite() throws Exception {
    String ca = foreignCaData();
    try (EksClient eks =
        EksClient.builder()
            .region(Region.of(Emulators.REGION))
            .credentialsProvider(Emulators.CREDENTIALS)
            .endpointOverride(em.moto.endpoint())
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      eks.createCluster(
          b ->
              b.name(CLUSTER)
                  .version("1.34")
                  .roleArn("arn:aws:iam::" + em.moto.accountId() + ":role/eks")
                  .resourcesVpcConfig(v -> v.subnetIds("subnet-0123456789abcdef0"))
                  .tags(
                      Map.of(
                          "operator-setup.test/issuer",
                          Emulators.ISSUER,
                          "operator-setup.test/endpoint",
                          em.plane.server().toString(),
                          "operator-setup.test/ca",
                          ca)));
    }
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                OperatorSetup.forCluster(CLUSTER)
                    .inRegion(Emulators.REGION)
                    .withRole(Emulators.ROLE)
                    .withAws(em.aws)
                    .withKubernetesConnector(
                        c ->
                            KubernetesPorts.forEksCluster(
                                c, Emulators.REGION, Emulators.CREDENTIALS))
                    .install())
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("TLS certificate")
                  .contains(em.plane.server().toString());
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start).toSeconds()).isLessThan(10);
    assertNothingWritten();
  }
}
