package dev.operatorsetup.internal.manifest;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.Rules;
import dev.operatorsetup.port.ManifestSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manifest downloaded over https and checked against a sha256 pin before it is parsed. Plain http
 * is refused, TLS is verified as the JVM does by default, the body is capped at {@link
 * ManifestYaml#MAX_BYTES} and the whole download at a timeout.
 */
public final class HttpsManifestSource implements ManifestSource {
  /** How long a whole download may take by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.MANIFEST);
  private static final String PIN_FIX =
      "append the file's sha256 as #sha256=<64 lower-case hex digits>; compute it with 'sha256sum"
          + " installer.yaml' after reviewing the file";

  private final String field;
  private final URI uri;
  private final String sha256;
  private final HttpClient client;
  private final Duration timeout;
  private final int maxBytes;

  /**
   * Creates a source; nothing is downloaded until {@link #load()}.
   *
   * @param client the client to use, or {@code null} for one with the JVM's default TLS trust,
   *     proxy selector and redirects that never go from https to http
   * @throws InvalidConfigurationException if the URI is not https or the pin is not 64 lower-case
   *     hex digits
   */
  public HttpsManifestSource(
      URI uri, String sha256, HttpClient client, Duration timeout, int maxBytes) {
    this("manifest", uri, sha256, client, timeout, maxBytes);
  }

  /**
   * Like {@link #HttpsManifestSource(URI, String, HttpClient, Duration, int)}, for another kind of
   * file: {@code field} names it in errors ({@code chart} gives {@code chart URL}, {@code chart
   * sha256}). {@link #download()} returns its checked bytes.
   */
  public HttpsManifestSource(
      String field, URI uri, String sha256, HttpClient client, Duration timeout, int maxBytes) {
    this.field = Objects.requireNonNull(field, "field");
    this.uri = checkUri(uri, field);
    this.sha256 = checkPin(sha256, this.uri.toString(), field);
    this.client = client;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.maxBytes = maxBytes;
  }

  /**
   * Returns the URI without its fragment if it is an absolute https URL with a host.
   *
   * @throws InvalidConfigurationException otherwise, e.g. for {@code http://}
   */
  public static URI checkUri(URI uri) {
    return checkUri(uri, "manifest");
  }

  /** Like {@link #checkUri(URI)}, naming {@code field + " URL"} in errors. */
  public static URI checkUri(URI uri, String field) {
    if (uri == null) {
      throw new InvalidConfigurationException(
          field + " URL", null, "a URL is required", "pass an https:// URL with #sha256=<hex>");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http")) {
      throw new InvalidConfigurationException(
          field + " URL",
          uri.toString(),
          "plain http is refused: anyone on the network path could change the installer, and it"
              + " runs with cluster-admin rights",
          "use the https:// URL of the same file, with #sha256=<hex>");
    }
    if (!scheme.equals("https")) {
      throw new InvalidConfigurationException(
          field + " URL",
          uri.toString(),
          "only https:// URLs are accepted",
          "use an https:// URL with #sha256=<hex>, or pass a local file path");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidConfigurationException(
          field + " URL",
          uri.toString(),
          "it has no host name",
          "use a URL such as https://example.com/installer.yaml#sha256=<hex>");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidConfigurationException(
          field + " URL",
          uri.getHost(),
          "credentials in the URL are not accepted: they would end up in logs",
          "use a URL without user:password@, or download the file and pass its path");
    }
    String text = uri.toString();
    int fragment = text.indexOf('#');
    return fragment < 0 ? uri : URI.create(text.substring(0, fragment));
  }

  /**
   * Returns the pin if it is 64 lower-case hex digits.
   *
   * @throws InvalidConfigurationException otherwise
   */
  public static String checkPin(String sha256, String url) {
    return checkPin(sha256, url, "manifest");
  }

  /** Like {@link #checkPin(String, String)}, naming {@code field + " sha256"} in errors. */
  public static String checkPin(String sha256, String url, String field) {
    if (sha256 == null || sha256.isEmpty()) {
      throw new InvalidConfigurationException(
          field + " sha256",
          url,
          "a sha256 pin is required for a downloaded manifest, so that a changed file is refused",
          PIN_FIX);
    }
    if (!Rules.SHA256.matcher(sha256).matches()) {
      boolean upper = sha256.length() == 64 && sha256.matches("[0-9a-fA-F]+");
      throw new InvalidConfigurationException(
          field + " sha256",
          sha256,
          upper
              ? "a sha256 pin is written in lower case"
              : "a sha256 pin is exactly 64 hex digits (0-9, a-f)",
          PIN_FIX);
    }
    return sha256;
  }

  @Override
  public Manifest load() {
    return ManifestYaml.load(uri.toString(), download());
  }

  /**
   * Downloads the file and returns its bytes once they match the pin.
   *
   * @throws InvalidConfigurationException on a redirect, a refused status, a body over the cap or a
   *     sha256 that differs from the pin
   */
  public byte[] download() {
    HttpClient http = client != null ? client : defaultClient();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/yaml, text/yaml, text/plain, */*")
            .GET()
            .build();
    LOG.debug("GET uri={}", uri);
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(
            request,
            info ->
                info.statusCode() == 200
                    ? new CappedBody(
                        maxBytes, info.headers().firstValueAsLong("content-length").orElse(-1))
                    : HttpResponse.BodySubscribers.replacing(null));
    HttpResponse<byte[]> response;
    try {
      response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new OperatorSetupException("Interrupted while downloading manifest " + uri, e);
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
    int status = response.statusCode();
    LOG.debug("GET uri={} status={}", uri, status);
    if (status != 200) {
      throw badStatus(status, response);
    }
    byte[] bytes = response.body();
    String actual = Sha256.hex(bytes);
    if (!actual.equals(sha256)) {
      throw new InvalidConfigurationException(
          field + " sha256",
          uri.toString(),
          "expected sha256 "
              + sha256
              + " (the pin) but the downloaded file has sha256 "
              + actual
              + "; the file changed or is not the one you reviewed, so it was refused",
          "review the file at that URL; if it is the one you want, pin its sha256 (actual above);"
              + " prefer a URL at a fixed commit or tag");
    }
    return bytes;
  }

  private RuntimeException badStatus(int status, HttpResponse<?> response) {
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("location").orElse("(none)");
      return new InvalidConfigurationException(
          field + " URL",
          uri.toString(),
          "the server redirects (HTTP "
              + status
              + ") to "
              + location
              + ", which was not followed"
              + " (redirects from https to http are refused)",
          "use the final https URL");
    }
    if (status == 429 || status >= 500) {
      return new OperatorSetupException(
          "Downloading "
              + field
              + " "
              + uri
              + " failed: the server answered HTTP "
              + status
              + "; retry later, or download the file and pass its path",
          null,
          true);
    }
    return new InvalidConfigurationException(
        field + " URL",
        uri.toString(),
        "the server answered HTTP " + status,
        "check the URL (it should return the raw YAML file), or download the file and pass its"
            + " path");
  }

  private RuntimeException failure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof TooLarge tooLarge) {
        return tooLarge(tooLarge.getMessage());
      }
      if (t instanceof SSLException) {
        return new OperatorSetupException(
            "Downloading "
                + field
                + " "
                + uri
                + " failed: the TLS connection to "
                + uri.getHost()
                + " could not be verified ("
                + t.getMessage()
                + "). The server's certificate must chain to a CA this JVM trusts and match the"
                + " host name. Use a trusted https URL, or download the file and pass its path",
            cause,
            false);
      }
      if (t instanceof HttpTimeoutException) {
        return timedOut();
      }
    }
    return new OperatorSetupException(
        "Downloading "
            + field
            + " "
            + uri
            + " failed: "
            + cause
            + "; check the network and proxy settings (https.proxyHost) and retry, or download the"
            + " file and pass its path",
        cause,
        cause instanceof IOException);
  }

  private InvalidConfigurationException tooLarge(String size) {
    return field.equals("manifest")
        ? ManifestYaml.tooLarge("manifest URL", uri.toString(), size)
        : new InvalidConfigurationException(
            field + " URL",
            uri.toString(),
            "it has " + size + ", more than the limit of " + maxBytes + " bytes, so it was refused",
            "download the file, review it, and pass its path");
  }

  private OperatorSetupException timedOut() {
    return new OperatorSetupException(
        "Downloading "
            + field
            + " "
            + uri
            + " did not finish within "
            + timeout.toSeconds()
            + " s; check the network and proxy settings and retry, or download the file and pass"
            + " its path",
        null,
        true);
  }

  private static HttpClient defaultClient() {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL);
    ProxySelector proxies = ProxySelector.getDefault();
    if (proxies != null) {
      builder.proxy(proxies);
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return uri + "#sha256=" + sha256;
  }

  /** Signals a body over the cap; only ever a cause inside this class. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String size) {
      super(size);
    }
  }

  /** Collects the body, failing as soon as it is larger than the cap. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final int max;
    private final long declared;
    private Flow.Subscription subscription;

    CappedBody(int max, long declared) {
      this.max = max;
      this.declared = declared;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (declared > max) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(declared + " bytes (Content-Length)"));
      } else {
        subscription.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        int n = item.remaining();
        if (buffer.size() + (long) n > max) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge("more than " + max + " bytes"));
          return;
        }
        byte[] chunk = new byte[n];
        item.get(chunk);
        buffer.write(chunk, 0, n);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}
