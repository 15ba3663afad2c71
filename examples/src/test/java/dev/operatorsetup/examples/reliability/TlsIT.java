package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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

  static final String CLUSTER = "reliability-tls";
  @RegisterExtension static final Emulators em = new Emulators("l");

  @TempDir static Path dir;

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
            em.args(
                "install",
                CLUSTER,
                null,
                em.moto.endpoint(),
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
    em.eksClusterOnThePlane(CLUSTER, foreignCaData());
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
