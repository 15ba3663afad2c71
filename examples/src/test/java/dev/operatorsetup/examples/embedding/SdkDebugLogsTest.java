package dev.operatorsetup.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds the library and turns the AWS SDK's logging to DEBUG sees no session
 * token because of the library; the SDK's own request signer logs it (its canonical request holds
 * {@code x-amz-security-token}), and the setting the README names stops that.
 */
class SdkDebugLogsTest {
  static final String TOKEN = "IQoJsessiontoken" + UUID.randomUUID().toString().replace("-", "");
  static final String ACCESS_KEY = "ASIAEMBEDDEDTEST0001";
  static final String SECRET_KEY = "embedded/secret/" + UUID.randomUUID();
  static final String SIGNER = "software.amazon.awssdk.http.auth.aws.internal.signer";

  private HttpServer server;
  private final List<String> requests = new ArrayList<>();

  @BeforeEach
  void startEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          synchronized (requests) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
          }
          byte[] answer;
          int status;
          if (body.contains("Action=GetCallerIdentity")) {
            status = 200;
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            answer =
                ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/app</Arn>"
                        + "<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>"
                        + "</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId>"
                        + "</ResponseMetadata></GetCallerIdentityResponse>")
                    .getBytes(StandardCharsets.UTF_8);
          } else {
            status = 404;
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
            answer =
                "{\"message\":\"No cluster found for name: embedded.\"}"
                    .getBytes(StandardCharsets.UTF_8);
          }
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopEndpoint() {
    server.stop(0);
  }

  private String runApp(Path dir, List<String> logging) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    // Every SDK logger at DEBUG, also those the command's own simplelogger.properties (on this
    // class path) keeps at INFO.
    command.add("-Dorg.slf4j.simpleLogger.log.software.amazon.awssdk=debug");
    command.add("-Dorg.slf4j.simpleLogger.log.software.amazon.awssdk.http.auth=debug");
    command.add("-Dorg.slf4j.simpleLogger.log.software.amazon.awssdk.auth.signer=debug");
    command.add("-Dorg.slf4j.simpleLogger.log.dev.operatorsetup=debug");
    command.add("-Dorg.slf4j.simpleLogger.showLogName=true");
    command.addAll(logging);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EmbeddedApp.class.getName());
    command.add("http://127.0.0.1:" + server.getAddress().getPort());
    command.add(ACCESS_KEY);
    command.add(SECRET_KEY);
    command.add(TOKEN);
    Path out = dir.resolve("out.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the embedded app finished").isTrue();
    return Files.readString(out);
  }

  /** The log records: a line with thread and level starts one, other lines continue it. */
  private static List<String> records(String log) {
    List<String> records = new ArrayList<>();
    for (String line : log.lines().toList()) {
      if (line.matches("^\\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) .*") || records.isEmpty()) {
        records.add(line);
      } else {
        records.set(records.size() - 1, records.get(records.size() - 1) + "\n" + line);
      }
    }
    return records;
  }

  @Test
  void theLibraryLogsNoSessionToken_theSdksSignerDoes_andTheReadmeSettingStopsIt(@TempDir Path dir)
      throws Exception {
    String plain = runApp(dir, List.of());

    assertThat(requests).anyMatch(r -> r.contains("Action=GetCallerIdentity"));
    assertThat(plain).contains("plan ended: ResourceNotFoundException").contains(" DEBUG ");
    List<String> withToken = records(plain).stream().filter(r -> r.contains(TOKEN)).toList();
    // The SDK's signer logs its canonical request, session token included ...
    assertThat(withToken).isNotEmpty().allMatch(r -> r.contains(SIGNER));
    // ... and nothing of the library's does, nor the secret key anywhere.
    assertThat(records(plain).stream().filter(r -> r.contains(" dev.operatorsetup")))
        .isNotEmpty()
        .noneMatch(r -> r.contains(TOKEN));
    assertThat(plain).doesNotContain(SECRET_KEY);

    String quiet = runApp(dir, List.of("-Dorg.slf4j.simpleLogger.log." + SIGNER + "=info"));

    assertThat(quiet).contains(" DEBUG ").doesNotContain(TOKEN).doesNotContain(SECRET_KEY);
  }
}
