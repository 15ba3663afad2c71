package dev.operatorsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.operatorsetup.internal.manifest.Sha256;
import dev.operatorsetup.model.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests.url() against a local HTTPS server whose self-signed certificate is made by keytool
 * when the tests start (no key is committed). The client trusts it only where a test says so.
 */
class ManifestsUrlTest {
  private static final char[] PASSWORD = "test-only".toCharArray();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir static Path keys;
  private static SSLContext serverTls;
  private static SSLContext clientTls;
  private static byte[] installer;
  private static String installerSha;

  private HttpsServer server;
  private ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void makeCertificate() throws Exception {
    Path store = keys.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process process =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD),
                "-noprompt")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("keytool: %s", output).isZero();

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keyStore, PASSWORD);
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keyManagers.getKeyManagers(), null, null);

    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("server", keyStore.getCertificate("server"));
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trustStore);
    clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, trustManagers.getTrustManagers(), null);

    try (InputStream in =
        Manifests.class.getResourceAsStream(
            "/dev/operatorsetup/manifests/release-rolebased-installer.yaml")) {
      installer = in.readAllBytes();
    }
    installerSha = Sha256.hex(installer);
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/installer.yaml", respond(200, installer));
    server.createContext("/missing.yaml", respond(404, "not found".getBytes()));
    server.createContext(
        "/to-http.yaml",
        exchange -> {
          requests.incrementAndGet();
          exchange
              .getResponseHeaders()
              .add(
                  "Location",
                  "http://127.0.0.1:" + server.getAddress().getPort() + "/installer.yaml");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.createContext(
        "/huge-declared.yaml",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, 8L * 1024 * 1024 + 1);
          exchange.close();
        });
    server.createContext(
        "/huge-chunked.yaml",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, 0); // chunked: no length announced
          byte[] chunk = new byte[64 * 1024];
          java.util.Arrays.fill(chunk, (byte) '#');
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 129; i++) { // 129 * 64 KiB = 8 MiB + 64 KiB
              out.write(chunk);
            }
          } catch (IOException e) {
            // the client hung up once it had seen enough: that is the point
          }
        });
    server.createContext(
        "/slow.yaml",
        exchange -> {
          requests.incrementAndGet();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private HttpHandler respond(int status, byte[] body) {
    return exchange -> {
      requests.incrementAndGet();
      send(exchange, status, body);
    };
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/yaml");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private URI uri(String path) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static HttpClient trustingClient() {
    return HttpClient.newBuilder().sslContext(clientTls).connectTimeout(TIMEOUT).build();
  }

  @Test
  void aGoodPinLoadsTheManifest() {
    Manifest manifest =
        Manifests.url(uri("/installer.yaml"), installerSha, trustingClient(), TIMEOUT).load();

    assertThat(manifest.origin()).isEqualTo(uri("/installer.yaml").toString());
    assertThat(manifest.sha256()).isEqualTo(installerSha);
    assertThat(manifest.objects()).isEqualTo(Manifests.bundled().load().objects());
    assertThat(requests).hasValue(1);
  }

  @Test
  void aBadPinIsRefusedNamingBothHashes() {
    String wrong = "0".repeat(64);

    assertThatThrownBy(
            () -> Manifests.url(uri("/installer.yaml"), wrong, trustingClient(), TIMEOUT).load())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("expected sha256 " + wrong)
        .hasMessageContaining("downloaded file has sha256 " + installerSha)
        .hasMessageContaining(uri("/installer.yaml").toString());
  }

  @Test
  void plainHttpIsRefusedBeforeAnyRequest() {
    URI http = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/installer.yaml");

    assertThatThrownBy(() -> Manifests.url(http, installerSha))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e -> {
              assertThat(e.field()).isEqualTo("manifest URL");
              assertThat(e.getMessage()).contains("plain http is refused");
            });
    assertThat(requests).hasValue(0);
  }

  @Test
  void aPinIsRequiredAndMustBeLowerCaseHex() {
    URI https = uri("/installer.yaml");

    for (String pin : List.of("", installerSha.substring(1), installerSha.toUpperCase())) {
      assertThatThrownBy(() -> Manifests.url(https, pin))
          .as("pin '%s'", pin)
          .isInstanceOfSatisfying(
              InvalidConfigurationException.class,
              e -> assertThat(e.field()).isEqualTo("manifest sha256"));
    }
    assertThatThrownBy(() -> Manifests.url(https, null)).hasMessageContaining("pin is required");
    assertThat(requests).hasValue(0);
  }

  @Test
  void theDefaultClientVerifiesTlsAndRefusesAnUntrustedCertificate() {
    // Manifests.url(uri, sha) uses the JVM's trust store, which does not have the test CA
    assertThatThrownBy(() -> Manifests.url(uri("/installer.yaml"), installerSha).load())
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e).isNotInstanceOf(InvalidConfigurationException.class);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("TLS connection to 127.0.0.1 could not be verified");
            });
  }

  @Test
  void aRedirectFromHttpsToHttpIsNotFollowed() {
    // redirects as the default client follows them (NORMAL: never from https to http)
    HttpClient following =
        HttpClient.newBuilder()
            .sslContext(clientTls)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    assertThatThrownBy(
            () -> Manifests.url(uri("/to-http.yaml"), installerSha, following, TIMEOUT).load())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("redirects (HTTP 302) to http://127.0.0.1:")
        .hasMessageContaining("redirects from https to http are refused");
    assertThat(requests).hasValue(1);
  }

  @Test
  void aBodyDeclaredLargerThanEightMibIsRefused() {
    assertThatThrownBy(
            () ->
                Manifests.url(uri("/huge-declared.yaml"), installerSha, trustingClient(), TIMEOUT)
                    .load())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("8388609 bytes (Content-Length)")
        .hasMessageContaining("8 MiB");
  }

  @Test
  void aChunkedBodyIsCutOffAtEightMib() {
    assertThatThrownBy(
            () ->
                Manifests.url(uri("/huge-chunked.yaml"), installerSha, trustingClient(), TIMEOUT)
                    .load())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("more than 8388608 bytes");
  }

  @Test
  void anHttpErrorIsReportedWithItsStatus() {
    assertThatThrownBy(
            () ->
                Manifests.url(uri("/missing.yaml"), installerSha, trustingClient(), TIMEOUT).load())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void aStalledServerTimesOutAsRetryable() {
    long start = System.nanoTime();

    assertThatThrownBy(
            () ->
                Manifests.url(
                        uri("/slow.yaml"), installerSha, trustingClient(), Duration.ofMillis(500))
                    .load())
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("did not finish within");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void parseSpecDownloadsOnlyWhenLoaded() {
    String spec = uri("/installer.yaml") + "#sha256=" + installerSha;

    Manifests.parse(spec);

    assertThat(requests).hasValue(0);
  }
}
