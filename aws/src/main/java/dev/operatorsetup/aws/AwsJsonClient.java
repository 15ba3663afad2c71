package dev.operatorsetup.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * One AWS service spoken in its {@code awsJson1_1} protocol, for services whose SDK client this
 * module does not have: a signed {@code POST /} with {@code X-Amz-Target: <prefix>.<Operation>},
 * sent once (no retries) through the given HTTP client. Thread-safe.
 *
 * <p>An error answer comes back as an {@link AwsServiceException} with the code and message of the
 * body (or the {@code x-amzn-ErrorType} header) and the HTTP response, so {@link AwsErrors} maps it
 * as it maps the SDK clients' errors, {@code Retry-After} included; no answer comes back as an
 * {@link SdkClientException}.
 */
final class AwsJsonClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  /** Where and how to reach one service. */
  record Service(URI endpoint, String signingName, String region, String targetPrefix) {}

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final Service service;

  AwsJsonClient(SdkHttpClient http, AwsCredentialsProvider credentials, Service service) {
    this.http = http;
    this.credentials = credentials;
    this.service = service;
  }

  /**
   * Sends one request and returns the answer's JSON object, values as Jackson reads them (maps,
   * lists, strings, numbers, booleans; members whose value is null left out).
   *
   * @throws AwsServiceException if the service answered with an error
   * @throws SdkClientException if it did not answer, or there are no credentials
   */
  Map<String, Object> call(String operation, Map<String, Object> request) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + operation + " as JSON", e);
    }
    SdkHttpFullRequest unsigned =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(service.endpoint())
            .encodedPath("/")
            .putHeader("Content-Type", CONTENT_TYPE)
            .putHeader("X-Amz-Target", service.targetPrefix() + "." + operation)
            .putHeader("Content-Length", Integer.toString(body.length))
            .build();
    SignedRequest signed =
        SIGNER.sign(
            r ->
                r.identity(credentials.resolveCredentials())
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service.signingName())
                    .putProperty(AwsV4HttpSigner.REGION_NAME, service.region()));
    Answer answer = send(signed.request(), signed.payload().orElse(null), operation);
    if (!answer.response().isSuccessful()) {
      throw error(answer);
    }
    try {
      return withoutNulls(JSON.readValue(answer.body(), OBJECT));
    } catch (IOException | IllegalArgumentException e) {
      throw SdkClientException.create(
          "the answer to " + operation + " is not a JSON object: " + preview(answer.body()), e);
    }
  }

  private record Answer(SdkHttpResponse response, byte[] body) {}

  private Answer send(SdkHttpRequest request, ContentStreamProvider payload, String operation) {
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(request)
                      .contentStreamProvider(payload)
                      .build())
              .call();
      byte[] body = new byte[0];
      Optional<? extends InputStream> stream = response.responseBody();
      if (stream.isPresent()) {
        try (InputStream in = stream.get()) {
          body = in.readAllBytes();
        }
      }
      return new Answer(response.httpResponse(), body);
    } catch (IOException e) {
      throw SdkClientException.create(
          "Unable to execute HTTP request " + operation + " to " + service.endpoint() + ": " + e,
          e);
    }
  }

  /** The error answer as the SDK's clients would have raised it. */
  private AwsServiceException error(Answer answer) {
    Map<String, Object> body = Map.of();
    try {
      body = JSON.readValue(answer.body(), OBJECT);
    } catch (IOException | RuntimeException notJson) {
      // no code or message in the body: the header and the status say what there is
    }
    String code = errorCode(answer.response(), body);
    String message = firstString(body, "message", "Message", "errorMessage");
    if (message == null) {
      message = preview(answer.body());
    }
    String requestId = answer.response().firstMatchingHeader("x-amzn-RequestId").orElse(null);
    return AwsServiceException.builder()
        .statusCode(answer.response().statusCode())
        .requestId(requestId)
        .message(code.isEmpty() ? message : code + ": " + message)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code.isEmpty() ? null : code)
                .errorMessage(message)
                .serviceName(service.targetPrefix())
                .sdkHttpResponse(answer.response())
                .rawResponse(SdkBytes.fromByteArray(answer.body()))
                .build())
        .build();
  }

  /**
   * The error code: the {@code x-amzn-ErrorType} header or the body's {@code __type} (or {@code
   * code}), without a namespace ({@code com.amazonaws.sagemaker#}) or a URL after a colon.
   */
  static String errorCode(SdkHttpResponse response, Map<String, Object> body) {
    String raw =
        response
            .firstMatchingHeader("x-amzn-ErrorType")
            .orElseGet(() -> firstString(body, "__type", "code", "Code"));
    if (raw == null) {
      return "";
    }
    String code = raw;
    int colon = code.indexOf(':');
    if (colon >= 0) {
      code = code.substring(0, colon);
    }
    int hash = code.lastIndexOf('#');
    if (hash >= 0) {
      code = code.substring(hash + 1);
    }
    return code.trim();
  }

  private static String firstString(Map<String, Object> body, String... members) {
    for (String member : members) {
      if (body.get(member) instanceof String s) {
        return s;
      }
    }
    return null;
  }

  /** Leaves out the members whose value is null, at every depth. */
  private static Map<String, Object> withoutNulls(Map<String, Object> object) {
    if (object == null) {
      throw new IllegalArgumentException("null instead of a JSON object");
    }
    object.values().removeIf(java.util.Objects::isNull);
    object.values().forEach(AwsJsonClient::stripNulls);
    return object;
  }

  @SuppressWarnings("unchecked")
  private static void stripNulls(Object value) {
    if (value instanceof Map<?, ?> map) {
      withoutNulls((Map<String, Object>) map);
    } else if (value instanceof List<?> list) {
      list.forEach(AwsJsonClient::stripNulls);
    }
  }

  private static String preview(byte[] body) {
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
