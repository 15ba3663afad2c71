package dev.operatorsetup.aws;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A loopback HTTP endpoint that answers AWS requests as a test says, and records them. */
final class StubAwsEndpoint implements AutoCloseable {
  /**
   * One request as received: its path, (form or JSON) body, Authorization header and every header
   * (names lower-cased, first value).
   */
  record Request(
      String method, String path, String body, String authorization, Map<String, String> headers) {
    /** Returns a header's first value, or null. */
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** One answer, with extra headers (e.g. {@code Retry-After}). */
  record Answer(int status, String contentType, String body, Map<String, String> headers) {
    static Answer xml(int status, String body) {
      return new Answer(status, "text/xml", body, Map.of());
    }

    static Answer json(int status, String body) {
      return new Answer(status, "application/json", body, Map.of());
    }

    /** Returns this answer with one more header. */
    Answer withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Answer(status, contentType, body, more);
    }

    static Answer iamError(int status, String code, String message) {
      return xml(
          status,
          "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
              + "<Type>Sender</Type><Code>"
              + code
              + "</Code><Message>"
              + message
              + "</Message></Error><RequestId>stub</RequestId></ErrorResponse>");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  StubAwsEndpoint(Function<Request, Answer> answers) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Request request =
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  body,
                  String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                  headers(exchange.getRequestHeaders()));
          requests.add(request);
          Answer answer = answers.apply(request);
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", answer.contentType());
          exchange.getResponseHeaders().add("x-amzn-RequestId", "stub");
          answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  private static Map<String, String> headers(com.sun.net.httpserver.Headers headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach(
        (name, values) ->
            out.put(
                name.toLowerCase(java.util.Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
    return out;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  long count(String action) {
    return requests.stream().filter(r -> r.body().contains("Action=" + action)).count();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
