package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.FakeWorld;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One retry budget, end to end: a call that always fails with a retryable error is attempted
 * exactly {@value #ATTEMPTS} times in total, by the engine's retry, however many layers sit below
 * it (the adapters make one attempt per call). Real adapters against a loopback server that answers
 * every request with 503; no emulator needed.
 */
class RetryBudgetTest {
  /** The engine's attempts per call ({@code Retry.ATTEMPTS} in core). */
  static final int ATTEMPTS = 5;

  static final String CLUSTER = "budget";
  static final String REGION = "us-west-2";
  static final String ROLE = "budget-operator";

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** Starts a server that answers every request with 503 and the given body. */
  private URI alwaysUnavailable(String contentType, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", contentType);
          exchange.sendResponseHeaders(503, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aPermanentlyFailingAwsCall_isAttemptedFiveTimesInTotal() throws Exception {
    URI endpoint =
        alwaysUnavailable(
            "text/xml",
            "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
                + "<Message>down</Message></Error><RequestId>budget</RequestId></ErrorResponse>");
    FakeWorld world = new FakeWorld();
    try (AwsPorts aws =
        AwsPorts.builder()
            .region(REGION)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
            .endpointOverride(endpoint)
            .build()) {
      assertThatThrownBy(
              () ->
                  world
                      .setup(CLUSTER, REGION, ROLE)
                      .withAws(aws)
                      .withTimeout(Duration.ofMinutes(1))
                      .install())
          .isInstanceOfSatisfying(
              OperatorSetupException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("sts:GetCallerIdentity");
              });
      assertThat(requests)
          .as("the first call (sts:GetCallerIdentity), 5 times in total, then the install stops")
          .hasSize(ATTEMPTS)
          .containsOnly("POST /");
      assertThat(aws.callCounts().reads("sts")).isEqualTo(ATTEMPTS);
    }
  }

  @Test
  void aPermanentlyFailingKubernetesCall_isAttemptedFiveTimesInTotal() throws Exception {
    URI endpoint =
        alwaysUnavailable(
            "application/json",
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"the server is busy\",\"reason\":\"ServiceUnavailable\","
                + "\"code\":503}");
    FakeWorld world = new FakeWorld();
    world.addCluster(CLUSTER, REGION);
    Kubernetes k8s =
        KubernetesPorts.fromApiClient(
            new ClientBuilder()
                .setBasePath(endpoint.toString())
                .setReadTimeout(Duration.ofSeconds(5))
                .build());

    assertThatThrownBy(
            () ->
                world
                    .setup(CLUSTER, REGION, ROLE)
                    .withKubernetes(k8s)
                    .withTimeout(Duration.ofMinutes(1))
                    .install())
        .isInstanceOfSatisfying(
            OperatorSetupException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(requests)
        .as("the first Kubernetes call, 5 times in total, then the install stops: " + requests)
        .hasSize(ATTEMPTS);
    assertThat(requests.stream().distinct()).as("one call, five attempts").hasSize(1);
  }
}
