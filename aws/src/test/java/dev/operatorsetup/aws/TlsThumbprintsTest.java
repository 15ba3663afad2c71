package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.OidcIssuer;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Thumbprints from a real TLS server on loopback that presents a generated chain. */
class TlsThumbprintsTest {
  private static KeyPair rootKey;
  private static KeyPair intermediateKey;
  private static KeyPair leafKey;
  private static X509Certificate root;
  private static X509Certificate intermediate;
  private static X509Certificate leaf;
  private static X509Certificate otherRoot;

  private TlsServer server;

  @BeforeAll
  static void makeChain() throws Exception {
    rootKey = keyPair();
    intermediateKey = keyPair();
    leafKey = keyPair();
    root = certificate("CN=Test Root", rootKey, "CN=Test Root", rootKey, true, null);
    intermediate =
        certificate("CN=Test Intermediate", intermediateKey, "CN=Test Root", rootKey, true, null);
    leaf =
        certificate(
            "CN=localhost", leafKey, "CN=Test Intermediate", intermediateKey, false, "localhost");
    KeyPair otherKey = keyPair();
    otherRoot = certificate("CN=Other Root", otherKey, "CN=Other Root", otherKey, true, null);
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate certificate(
      String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca, String dns)
      throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(subject.hashCode())),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            new X500Name(subject),
            subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
    if (dns != null) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }

  private static X509TrustManager trusting(X509Certificate... anchors) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < anchors.length; i++) {
      store.setCertificateEntry("anchor-" + i, anchors[i]);
    }
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return (X509TrustManager) f.getTrustManagers()[0];
  }

  private static String sha1(X509Certificate cert) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
  }

  /** A TLS server on loopback that presents the given chain to every client. */
  private static final class TlsServer implements AutoCloseable {
    private final SSLServerSocket socket;
    private final Thread acceptor;

    TlsServer(Certificate... chain) throws Exception {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", leafKey.getPrivate(), "pw".toCharArray(), chain);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "pw".toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      socket =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (SSLSocket client = (SSLSocket) socket.accept()) {
                    client.setSoTimeout(5000);
                    client.startHandshake();
                    InputStream in = client.getInputStream();
                    while (in.read() != -1) {
                      // until the client closes
                    }
                  } catch (Exception e) {
                    // a client that gave up on the handshake, or the server closing
                  }
                }
              },
              "tls-test-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    OidcIssuer issuer() {
      return OidcIssuer.parse("https://localhost:" + socket.getLocalPort() + "/id/ABC");
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
      try {
        acceptor.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void thumbprint_isSha1OfTheLastCertificateTheServerSends_intermediate() throws Exception {
    server = new TlsServer(leaf, intermediate);
    CallCounter counter = new CallCounter(null);

    String thumbprint =
        new TlsThumbprints(trusting(root), Duration.ofSeconds(5), counter).of(server.issuer());

    assertThat(thumbprint).isEqualTo(sha1(intermediate)).matches("[0-9a-f]{40}");
    assertThat(thumbprint).isNotEqualTo(sha1(leaf));
    assertThat(counter.snapshot().reads("tls")).isEqualTo(1);
  }

  @Test
  void thumbprint_whenTheServerSendsTheRootToo_isSha1OfTheRoot() throws Exception {
    server = new TlsServer(leaf, intermediate, root);

    String thumbprint =
        new TlsThumbprints(trusting(root), Duration.ofSeconds(5), null).of(server.issuer());

    assertThat(thumbprint).isEqualTo(sha1(root));
  }

  @Test
  void thumbprint_ofAChainTheTrustStoreDoesNotTrust_failsWithAClearError() throws Exception {
    server = new TlsServer(leaf, intermediate);
    TlsThumbprints thumbprints =
        new TlsThumbprints(trusting(otherRoot), Duration.ofSeconds(5), null);

    assertThatThrownBy(() -> thumbprints.of(server.issuer()))
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("did not pass validation")
                  .contains(server.issuer().url())
                  .contains("Fix:");
            });
  }

  @Test
  void thumbprint_withTheJvmDefaultTrustStore_rejectsAPrivateChain() throws Exception {
    server = new TlsServer(leaf, intermediate);

    assertThatThrownBy(
            () -> new TlsThumbprints(null, Duration.ofSeconds(5), null).of(server.issuer()))
        .isInstanceOf(OperatorSetupException.class)
        .hasMessageContaining("did not pass validation");
  }

  @Test
  void thumbprint_ofAHostTheCertificateDoesNotName_fails() throws Exception {
    server = new TlsServer(leaf, intermediate);
    int port = server.issuer().port();
    OidcIssuer byAddress = OidcIssuer.parse("https://127.0.0.1:" + port + "/id/ABC");

    assertThatThrownBy(
            () -> new TlsThumbprints(trusting(root), Duration.ofSeconds(5), null).of(byAddress))
        .isInstanceOf(OperatorSetupException.class)
        .hasMessageContaining("did not pass validation");
  }

  @Test
  void thumbprint_whenNothingListens_isARetryableError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OidcIssuer closed = OidcIssuer.parse("https://localhost:" + port + "/id/ABC");

    assertThatThrownBy(
            () -> new TlsThumbprints(trusting(root), Duration.ofSeconds(2), null).of(closed))
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("Could not open a TLS connection");
            });
  }
}
