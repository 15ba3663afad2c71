package dev.operatorsetup.examples.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A plain-HTTP proxy on loopback in front of a real emulator (moto_server, or the plane's API
 * server over TLS) that answers chosen requests with an error a given number of times, before or
 * after passing them on, and passes everything else through unchanged.
 */
final class FlakyProxy implements AutoCloseable {
  static {
    // The JDK's HttpServer writes an answer's headers and body apart and, without TCP_NODELAY,
    // the body waits for the client's delayed ACK: 40 ms per request through the proxy. Read once,
    // when the first HttpServer of the JVM is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** A request as the proxy sees it. */
  record Request(String method, String path, String body, String target) {
    Request(String method, String path, String body) {
      this(method, path, body, "");
    }

    /**
     * The AWS action: the query-protocol one (IAM, STS), e.g. {@code CreateRole}, or the JSON
     * protocol's {@code X-Amz-Target} operation (SageMaker), e.g. {@code DescribeModel}; else
     * empty.
     */
    String action() {
      if (!target.isEmpty()) {
        return target.substring(target.lastIndexOf('.') + 1);
      }
      for (String pair : body.split("&")) {
        if (pair.startsWith("Action=")) {
          return pair.substring("Action=".length());
        }
      }
      return "";
    }
  }

  /**
   * Watches requests on their way, and may hold or stop them: the crash harness's kills, the race
   * tests' clock. Called on the proxy's handler threads, concurrently.
   */
  interface Tap {
    /** Before the request is passed on; may block. False: it is dropped, never passed on. */
    default boolean arrived(Request r) {
      return true;
    }

    /** After the server answered, before the client hears of it. False: the answer is dropped. */
    default boolean answered(Request r, int status) {
      return true;
    }
  }

  private static final Tap NO_TAP = new Tap() {};

  /** Serializes the AWS writes of every proxy in this JVM (see {@link #handleTapped}). */
  private static final Object AWS_WRITES = new Object();

  /** An error answer. */
  record Answer(int status, List<String[]> headers, String contentType, String body) {}

  /** Answers matching requests with an error, {@code times} times, before or after passing on. */
  static final class Fault {
    final String name;
    final Predicate<Request> matches;
    final Answer answer;
    final boolean afterForwarding;
    final AtomicInteger left;
    final AtomicInteger injected = new AtomicInteger();

    Fault(
        String name,
        Predicate<Request> matches,
        int times,
        boolean afterForwarding,
        Answer answer) {
      this.name = name;
      this.matches = matches;
      this.answer = answer;
      this.afterForwarding = afterForwarding;
      this.left = new AtomicInteger(times);
    }

    int injected() {
      return injected.get();
    }

    @Override
    public String toString() {
      return name + " x" + injected.get();
    }
  }

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "te",
          "trailer",
          "proxy-connection");

  private final HttpServer server;
  private final HttpClient client;
  private final URI target;
  private final boolean aws;
  private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Tap tap = NO_TAP;

  FlakyProxy(URI target, SSLContext tls) throws IOException {
    this.target = target;
    this.aws = tls == null; // moto_server is plain HTTP; the API server is HTTPS
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      b.sslContext(tls);
    }
    this.client = b.build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Fault fail(
      String name, Predicate<Request> matches, int times, boolean afterForwarding, Answer answer) {
    Fault f = new Fault(name, matches, times, afterForwarding, answer);
    faults.add(f);
    return f;
  }

  /** Watches requests from now on with {@code tap} (null: none). */
  void tap(Tap tap) {
    this.tap = tap == null ? NO_TAP : tap;
  }

  /** Waits until no request is being handled (passed on, or answered); false on timeout. */
  boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Emulators.sleep(20);
    }
    return true;
  }

  /** Every request, as {@code METHOD path action -> status}. */
  List<String> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private Fault due(Request r) {
    synchronized (faults) {
      for (Fault f : faults) {
        if (f.matches.test(r) && f.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          f.injected.incrementAndGet();
          return f;
        }
      }
    }
    return null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try {
      handleTapped(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void handleTapped(HttpExchange exchange) throws IOException {
    Tap tap = this.tap;
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      URI uri = exchange.getRequestURI();
      Request r =
          new Request(
              exchange.getRequestMethod(),
              uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
              new String(body, StandardCharsets.UTF_8),
              java.util.Objects.requireNonNullElse(
                  exchange.getRequestHeaders().getFirst("X-Amz-Target"), ""));
      if (!tap.arrived(r)) {
        see(r, "dropped");
        return; // closing the exchange unanswered closes the connection
      }
      Fault fault = due(r);
      if (fault != null && !fault.afterForwarding) {
        see(r, fault.answer.status() + " (injected)");
        answer(exchange, fault.answer);
        return;
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/$", "") + r.path()))
              .timeout(Duration.ofSeconds(60))
              .method(
                  r.method(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(v -> forward.header(name, v));
                }
              });
      HttpResponse<byte[]> response;
      try {
        if (aws && WriteLog.isWrite("aws", r)) {
          // IAM makes each write atomically (of two CreateRole calls for one name, one fails with
          // EntityAlreadyExists); moto_server does not: it checks the name, then stores the role
          // under a new id, so two concurrent calls make two roles of one name. The AWS writes of
          // every proxy in this JVM therefore reach moto one at a time, as IAM would apply them.
          synchronized (AWS_WRITES) {
            response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
          }
        } else {
          response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      if (fault != null) {
        see(
            r,
            response.statusCode()
                + " passed on, answered "
                + fault.answer.status()
                + " (injected)");
        answer(exchange, fault.answer);
        return;
      }
      if (!tap.answered(r, response.statusCode())) {
        see(r, response.statusCode() + " passed on, answer dropped");
        return;
      }
      see(r, String.valueOf(response.statusCode()));
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] out = response.body();
      exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  /** Notes the request and what became of it, as {@code METHOD path action -> outcome}. */
  private void see(Request r, String outcome) {
    seen.add(r.method() + " " + r.path() + " " + r.action() + " -> " + outcome);
  }

  private static void answer(HttpExchange exchange, Answer a) throws IOException {
    byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", a.contentType());
    for (String[] h : a.headers()) {
      exchange.getResponseHeaders().add(h[0], h[1]);
    }
    exchange.sendResponseHeaders(a.status(), out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  // ------------------------------------------------------------------ answers

  /** An IAM or STS (query protocol) error, e.g. 400 Throttling or 500 ServiceFailure. */
  static Answer queryError(int status, String code, String message) {
    return new Answer(
        status,
        List.of(),
        "text/xml",
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>"
            + (status >= 500 ? "Receiver" : "Sender")
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error><RequestId>flaky-proxy</RequestId></ErrorResponse>");
  }

  /** An EKS (REST JSON) error, e.g. 500 ServerException. */
  static Answer restJsonError(int status, String type, String message) {
    return new Answer(
        status,
        List.<String[]>of(new String[] {"x-amzn-ErrorType", type}),
        "application/json",
        "{\"message\":\"" + message + "\"}");
  }

  /** A Kubernetes Status error, e.g. 429 TooManyRequests with Retry-After. */
  static Answer kubernetesError(int status, String reason, String message, int retryAfterSeconds) {
    List<String[]> headers = new ArrayList<>();
    if (retryAfterSeconds > 0) {
      headers.add(new String[] {"Retry-After", String.valueOf(retryAfterSeconds)});
    }
    return new Answer(
        status,
        headers,
        "application/json",
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\""
            + message
            + "\",\"reason\":\""
            + reason
            + "\""
            + (retryAfterSeconds > 0
                ? ",\"details\":{\"retryAfterSeconds\":" + retryAfterSeconds + "}"
                : "")
            + ",\"code\":"
            + status
            + "}");
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
