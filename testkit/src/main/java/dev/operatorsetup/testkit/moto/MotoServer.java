package dev.operatorsetup.testkit.moto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.Partition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A moto server (IAM, STS, EKS, SageMaker, ... on one loopback port) for integration tests, started
 * by this project's {@code scripts/moto_launcher.py} so that every EKS cluster gets its own OIDC
 * issuer.
 *
 * <p>{@link #shared()} uses, in this order: the server at {@code OPERATOR_SETUP_MOTO_URL}; the one
 * {@code scripts/moto start} left running ({@code scripts/moto url}); or starts the launcher itself
 * on a free loopback port, once per JVM, and stops it when the JVM exits. If no server can be had,
 * the calling test fails when the environment has {@code CI=true}, and is otherwise skipped with
 * the reason printed to stderr.
 *
 * <p>moto does not check request signatures, so this class talks to it with plain HTTP and a
 * made-up SigV4 header that only names the region and service. Thread-safe.
 *
 * {@snippet :
 * MotoServer moto = MotoServer.shared();
 * moto.reset();
 * ClusterInfo cluster = moto.createCluster("us-west-2", "ml", "https://oidc.example.com/id/1");
 * }
 */
public final class MotoServer {
  /** Environment variable naming a running moto server, e.g. {@code http://127.0.0.1:5055}. */
  public static final String URL_ENV = "OPERATOR_SETUP_MOTO_URL";

  /** The CreateCluster tag the launcher reads the cluster's OIDC issuer from. */
  public static final String ISSUER_TAG = "operator-setup.test/issuer";

  /** The Kubernetes version of clusters made with {@link #createCluster}. */
  public static final String CLUSTER_VERSION = "1.34";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ACCOUNT = Pattern.compile("<Account>(\\d{12})</Account>");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static MotoServer shared;
  private static String unavailable;

  private final URI endpoint;
  private final Process process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile String accountId;

  private MotoServer(URI endpoint, Process process) {
    this.endpoint = endpoint;
    this.process = process;
  }

  /**
   * Returns the server every test of this JVM shares, finding or starting it on first use.
   *
   * @throws org.opentest4j.TestAbortedException if there is none and {@code CI} is not {@code true}
   * @throws IllegalStateException if there is none and {@code CI=true}
   */
  public static synchronized MotoServer shared() {
    if (shared != null) {
      return shared;
    }
    if (unavailable == null) {
      try {
        shared = locateOrStart();
        return shared;
      } catch (Unavailable e) {
        unavailable = e.getMessage();
      }
    }
    String reason = "moto_server is not available: " + unavailable;
    System.err.println("[MotoServer] " + reason);
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(reason + " (CI=true, so this fails instead of skipping)");
    }
    Assumptions.abort(reason + " (set CI=true to make this a failure)");
    throw new AssertionError("unreachable");
  }

  /** Returns the server's base URL, to pass to the SDK as the endpoint override. */
  public URI endpoint() {
    return endpoint;
  }

  /** Returns whether this JVM started the server (and will stop it on exit). */
  public boolean startedHere() {
    return process != null;
  }

  /**
   * Returns the account moto answers for (STS GetCallerIdentity; {@code 123456789012} by default).
   */
  public String accountId() {
    String id = accountId;
    if (id == null) {
      String body =
          post(
              "/",
              "application/x-www-form-urlencoded",
              "Action=GetCallerIdentity&Version=2011-06-15",
              "us-east-1",
              "sts");
      Matcher m = ACCOUNT.matcher(body);
      if (!m.find()) {
        throw new IllegalStateException("moto's GetCallerIdentity gave no account: " + body);
      }
      id = m.group(1);
      accountId = id;
    }
    return id;
  }

  /** Forgets every resource of every service (POST /moto-api/reset). */
  public void reset() {
    post("/moto-api/reset", "application/json", "", "us-east-1", "iam");
  }

  /**
   * Makes moto check IAM policies for every request ({@code true}), or stop checking ({@code
   * false}, the default). While on, only access keys created in moto work.
   */
  public void enforceIamAuthorization(boolean enforce) {
    post("/moto-api/reset-auth", "text/plain", enforce ? "0" : "inf", "us-east-1", "iam");
  }

  /**
   * Creates an ACTIVE EKS cluster through EKS CreateCluster.
   *
   * @param issuerUrl the cluster's OIDC issuer; {@code null} lets the launcher make one up, as EKS
   *     does (unless the server runs with {@code FAKE_EKS_ISSUER})
   */
  public ClusterInfo createCluster(String region, String name, String issuerUrl) {
    Partition partition = Partition.ofRegion(region);
    ObjectNode body = JSON.createObjectNode();
    body.put("name", name);
    body.put("version", CLUSTER_VERSION);
    body.put("roleArn", "arn:" + partition.id() + ":iam::" + accountId() + ":role/eks");
    body.putObject("resourcesVpcConfig").putArray("subnetIds").add("subnet-0123456789abcdef0");
    ObjectNode tags = body.putObject("tags");
    tags.put("app.kubernetes.io/managed-by", "operator-setup-tests");
    if (issuerUrl != null) {
      tags.put(ISSUER_TAG, issuerUrl);
    }
    String response = post("/clusters", "application/json", body.toString(), region, "eks");
    try {
      JsonNode c = JSON.readTree(response).path("cluster");
      ClusterInfo.Builder info =
          new ClusterInfo.Builder()
              .name(c.path("name").asText())
              .arn(Arn.parse("cluster ARN", c.path("arn").asText()));
      text(c.path("identity").path("oidc").path("issuer")).ifPresent(info::issuer);
      text(c.path("version")).ifPresent(info::version);
      text(c.path("endpoint")).ifPresent(info::endpoint);
      text(c.path("certificateAuthority").path("data")).ifPresent(info::certificateAuthority);
      text(c.path("status")).ifPresent(info::status);
      return info.build();
    } catch (IOException e) {
      throw new IllegalStateException("moto's CreateCluster answered " + response, e);
    }
  }

  private static Optional<String> text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private String post(String path, String contentType, String body, String region, String service) {
    return post(path, contentType, body, region, service, Map.of());
  }

  /**
   * Sends one request with a made-up SigV4 header naming {@code region} and {@code service} (moto
   * routes on it) and the given extra headers; returns the body of a 2xx answer.
   *
   * @throws IllegalStateException if moto does not answer, or answers with an error
   */
  String post(
      String path,
      String contentType,
      String body,
      String region,
      String service,
      Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(path));
    headers.forEach(builder::header);
    HttpRequest request =
        builder
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20260101/"
                    + region
                    + "/"
                    + service
                    + "/aws4_request, SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("moto at " + endpoint + " did not answer " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while calling moto", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "moto answered "
              + path
              + " with HTTP "
              + response.statusCode()
              + response.headers().firstValue("x-amzn-ErrorType").map(t -> " " + t).orElse("")
              + ": "
              + response.body());
    }
    return response.body();
  }

  // ------------------------------------------------------------------------- finding or starting

  private static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private static MotoServer locateOrStart() throws Unavailable {
    String fromEnv = System.getenv(URL_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      URI uri = URI.create(fromEnv.trim());
      if (!answers(uri)) {
        throw new Unavailable(URL_ENV + "=" + fromEnv + " does not answer");
      }
      return new MotoServer(uri, null);
    }
    Path root = repositoryRoot().orElse(null);
    if (root == null) {
      throw new Unavailable(
          "no directory containing mvnw and scripts/moto_launcher.py above "
              + Paths.get("").toAbsolutePath());
    }
    Optional<URI> running = runningScriptServer(root);
    if (running.isPresent()) {
      return new MotoServer(running.get(), null);
    }
    return start(root);
  }

  /** Returns the repository root: the nearest directory above the working one that has mvnw. */
  public static Optional<Path> repositoryRoot() {
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))
          && Files.isRegularFile(dir.resolve("scripts/moto_launcher.py"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static Optional<URI> runningScriptServer(Path root) {
    Path script = root.resolve("scripts/moto");
    if (!Files.isRegularFile(script)) {
      return Optional.empty();
    }
    try {
      Process p =
          new ProcessBuilder("bash", script.toString(), "url")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      if (p.exitValue() == 0 && out.startsWith("http")) {
        URI uri = URI.create(out);
        return answers(uri) ? Optional.of(uri) : Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private static boolean answers(URI uri) {
    try {
      HttpResponse<Void> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(3))
              .build()
              .send(
                  HttpRequest.newBuilder(uri.resolve("/moto-api/data.json"))
                      .timeout(Duration.ofSeconds(10))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static MotoServer start(Path root) throws Unavailable {
    Path portFile;
    Path logFile;
    try {
      Path dir = Files.createTempDirectory("operator-setup-moto");
      portFile = dir.resolve("url");
      logFile = dir.resolve("moto.log");
    } catch (IOException e) {
      throw new Unavailable("cannot create a temporary directory: " + e);
    }
    Process process = launch(root, portFile, logFile);
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new Unavailable(
            "scripts/moto_launcher.py exited with "
                + process.exitValue()
                + (process.exitValue() == 3 ? " (moto[server] is not installed)" : "")
                + ": "
                + tail(logFile));
      }
      MotoServer server = answering(process, portFile, logFile);
      if (server != null) {
        return server;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop(process);
        throw new Unavailable("interrupted while starting moto");
      }
    }
    stop(process);
    throw new Unavailable(
        "moto did not answer within " + START_TIMEOUT.toSeconds() + "s: " + tail(logFile));
  }

  /** Starts scripts/moto_launcher.py on a free port, which it writes to {@code portFile}. */
  private static Process launch(Path root, Path portFile, Path logFile) throws Unavailable {
    String python = Optional.ofNullable(System.getenv("OPERATOR_SETUP_PYTHON")).orElse("python3");
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add(root.resolve("scripts/moto_launcher.py").toString());
    command.addAll(
        List.of("--host", "127.0.0.1", "--port", "0", "--port-file", portFile.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    Map<String, String> env = pb.environment();
    env.put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
    env.remove("MOTO_PORT");
    try {
      return pb.start();
    } catch (IOException e) {
      throw new Unavailable("cannot run " + python + " (" + e.getMessage() + ")");
    }
  }

  /**
   * Returns the server once the launcher wrote its URL and it answers (arranging for it to stop
   * when this JVM exits), or null if it is not there yet.
   */
  private static MotoServer answering(Process process, Path portFile, Path logFile) {
    if (!Files.isRegularFile(portFile)) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(Files.readString(portFile).trim());
      if (!answers(uri)) {
        return null;
      }
    } catch (IOException | IllegalArgumentException e) {
      return null; // not fully written yet
    }
    Path dir = logFile.getParent();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop(process);
                  deleteQuietly(logFile, portFile, dir);
                },
                "moto-stop"));
    System.err.println(
        "[MotoServer] started moto at "
            + uri
            + " (pid "
            + process.pid()
            + ", log "
            + logFile
            + ")");
    return new MotoServer(uri, process);
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path... paths) {
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // left for the system's temp cleaner
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public String toString() {
    return "MotoServer[" + endpoint + (process != null ? ", started here" : "") + "]";
  }
}
