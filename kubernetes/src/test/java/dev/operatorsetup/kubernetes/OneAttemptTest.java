package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One retry budget: the adapter sends each request of a port call once; throttling and server
 * errors come back retryable, with the server's Retry-After, for the engine's retry to decide.
 * Against a loopback HTTP server that serves discovery of {@code v1} and fails every other request.
 */
class OneAttemptTest {
  private static final String DISCOVERY =
      "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"v1\","
          + "\"resources\":[{\"name\":\"configmaps\",\"singularName\":\"configmap\","
          + "\"namespaced\":true,\"kind\":\"ConfigMap\",\"verbs\":[\"get\",\"patch\"]}]}";
  private static final ObjectRef CONFIG_MAP = ObjectRef.of("v1", "ConfigMap", "ns", "c");

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** Starts a server that fails all but discovery with {@code status}, a Status and headers. */
  private Kubernetes failingWith(int status, String statusDetails, String retryAfterHeader)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.add(exchange.getRequestMethod() + " " + path);
          exchange.getRequestBody().readAllBytes();
          boolean discovery = path.equals("/api/v1");
          String body =
              discovery
                  ? DISCOVERY
                  : statusDetails == null
                      ? ""
                      : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                          + "\"message\":\"the server is busy\",\"reason\":\"ServiceUnavailable\""
                          + statusDetails
                          + ",\"code\":"
                          + status
                          + "}";
          if (!discovery && retryAfterHeader != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfterHeader);
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(
              discovery ? 200 : status, bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return KubernetesPorts.fromApiClient(
        new ClientBuilder()
            .setBasePath("http://127.0.0.1:" + server.getAddress().getPort())
            .setReadTimeout(Duration.ofSeconds(5))
            .build());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private long calls(String request) {
    return requests.stream().filter(request::equals).count();
  }

  @Test
  void serverError_isOneRequest_andRetryable() throws Exception {
    Kubernetes k8s = failingWith(503, "", null);

    assertThatThrownBy(() -> k8s.get(CONFIG_MAP))
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.getMessage()).contains("ConfigMap ns/c").contains("the server is busy");
            });
    assertThat(calls("GET /api/v1/namespaces/ns/configmaps/c")).isEqualTo(1);
  }

  @Test
  void serverErrorWithoutABody_isOneRequest_andRetryable() throws Exception {
    Kubernetes k8s = failingWith(503, null, "1");

    assertThatThrownBy(() -> k8s.get(CONFIG_MAP))
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
              assertThat(e.getMessage()).contains("ConfigMap ns/c").contains("HTTP 503");
            });
    assertThat(calls("GET /api/v1/namespaces/ns/configmaps/c")).isEqualTo(1);
  }

  @Test
  void throttling_isOneRequest_retryableAfterTheStatusRetryAfterSeconds() throws Exception {
    Kubernetes k8s = failingWith(429, ",\"details\":{\"retryAfterSeconds\":3}", "3");
    KubeObject object =
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"c\",\"namespace\":\"ns\"}}");

    assertThatThrownBy(() -> k8s.apply(object, "operator-setup", true))
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
            });
    assertThat(calls("PATCH /api/v1/namespaces/ns/configmaps/c")).isEqualTo(1);
  }

  @Test
  void throttling_withOnlyARetryAfterHeader_carriesIt() throws Exception {
    Kubernetes k8s = failingWith(429, "", "2");

    assertThatThrownBy(() -> k8s.get(CONFIG_MAP))
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
            });
    assertThat(calls("GET /api/v1/namespaces/ns/configmaps/c")).isEqualTo(1);
  }

  @Test
  void discoveryThatFails_isOneRequest_andRetryableWithTheHeadersRetryAfter() throws Exception {
    Kubernetes k8s = failingWith(503, "", "4");

    assertThatThrownBy(k8s::serverInfo)
        .isInstanceOfSatisfying(
            OperatorSetupException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(4));
            });
    assertThat(requests).containsExactly("GET /version/");
  }

  @Test
  void aWait_pollsThroughServerErrors_untilItsTimeout() throws Exception {
    Kubernetes k8s = failingWith(503, "", null);

    assertThatThrownBy(() -> k8s.awaitCrdEstablished("widgets.example.com", Duration.ofMillis(300)))
        .isInstanceOf(dev.operatorsetup.WaitTimeoutException.class)
        .hasMessageContaining("the server is busy");
  }
}
