package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.port.SageMakerKind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** SageMaker's JSON protocol on the wire, and its answers mapped, against a stub endpoint. */
class AwsJsonSageMakerResourcesTest {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));

  private static AwsPorts ports(StubAwsEndpoint stub, List<String> heard) {
    return AwsPorts.builder()
        .region("us-west-2")
        .credentialsProvider(CREDENTIALS)
        .endpointOverride(stub.uri())
        .callListener(
            (service, operation, write) -> heard.add(service + ":" + operation + ":" + write))
        .build();
  }

  private static StubAwsEndpoint.Answer error(int status, String type, String message) {
    return StubAwsEndpoint.Answer.json(
        status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  @Test
  void describe_postsASignedJsonRequest_andReturnsTheOutputAsSageMakerSentIt() throws Exception {
    List<String> heard = new ArrayList<>();
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    StubAwsEndpoint.Answer.json(
                        200,
                        "{\"TrainingJobName\":\"xgb\",\"TrainingJobStatus\":\"Completed\","
                            + "\"CreationTime\":1.7E9,\"EnableNetworkIsolation\":false,"
                            + "\"FailureReason\":null,"
                            + "\"ResourceConfig\":{\"InstanceCount\":2,\"KeepAlive\":null},"
                            + "\"InputDataConfig\":[{\"ChannelName\":\"train\"}]}"));
        AwsPorts ports = ports(stub, heard)) {
      Map<String, Object> out =
          ports.sageMaker().describe(SageMakerKind.TRAINING_JOB, "xgb").orElseThrow();

      assertThat(out)
          .containsEntry("TrainingJobName", "xgb")
          .containsEntry("TrainingJobStatus", "Completed")
          .containsEntry("CreationTime", 1.7E9)
          .containsEntry("EnableNetworkIsolation", false)
          .containsEntry("ResourceConfig", Map.of("InstanceCount", 2))
          .containsEntry("InputDataConfig", List.of(Map.of("ChannelName", "train")))
          .doesNotContainKey("FailureReason");
      StubAwsEndpoint.Request request = stub.requests().get(0);
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.path()).isEqualTo("/");
      assertThat(request.body()).isEqualTo("{\"TrainingJobName\":\"xgb\"}");
      assertThat(request.header("X-Amz-Target")).isEqualTo("SageMaker.DescribeTrainingJob");
      assertThat(request.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
      assertThat(request.authorization())
          .startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
          .contains("/us-west-2/sagemaker/aws4_request")
          .containsPattern("SignedHeaders=[^,]*host[^,]*x-amz-target")
          .contains("Signature=");
      assertThat(request.header("X-Amz-Date")).isNotBlank();
      assertThat(heard).containsExactly("sagemaker:DescribeTrainingJob:false");
      assertThat(ports.callCounts().reads("sagemaker")).isEqualTo(1);
      assertThat(ports.callCounts().writes()).isZero();
    }
  }

  /** The not-found answers of AWS (per kind) and of moto 5.2, all empty. */
  @Test
  void describe_notFoundAnswersOfAwsAndMoto_areEmpty() throws Exception {
    List<StubAwsEndpoint.Answer> notFound =
        List.of(
            error(400, "ValidationException", "Could not find model \\\"arn:aws:sagemaker:x\\\"."),
            error(400, "ValidationException", "Could not find endpoint configuration \\\"arn\\\"."),
            error(400, "ValidationException", "Could not find endpoint \\\"arn\\\"."),
            error(400, "ValidationException", "Requested resource not found."),
            error(400, "ValidationException", "Could not find requested job with name t1"),
            error(400, "ResourceNotFound", "Amazon SageMaker can't find a tuning job with name t"),
            error(400, "com.amazonaws.sagemaker#ResourceNotFound", "no such job"),
            StubAwsEndpoint.Answer.json(
                    400,
                    "{\"__type\": \"ValidationException\", \"Message\": \"Could not find training"
                        + " job 'arn:aws:sagemaker:us-west-2:012345678910:training-job/x'.\"}")
                .withHeader("X-Amzn-Errortype", "ValidationException"));
    for (StubAwsEndpoint.Answer answer : notFound) {
      try (StubAwsEndpoint stub = new StubAwsEndpoint(r -> answer);
          AwsPorts ports = ports(stub, new ArrayList<>())) {
        assertThat(ports.sageMaker().describe(SageMakerKind.MODEL, "m"))
            .as(answer.body())
            .isEmpty();
        assertThat(stub.requests()).hasSize(1);
      }
    }
  }

  @Test
  void describe_otherValidationException_isInvalidConfiguration() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    error(
                            400,
                            "ValidationException",
                            "1 validation error detected: Value 'a_b' at 'modelName' failed to"
                                + " satisfy constraint: Member must satisfy regular expression"
                                + " pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
                        .withHeader(
                            "x-amzn-ErrorType",
                            "ValidationException:http://internal.amazon.com/coral/validate/"));
        AwsPorts ports = ports(stub, new ArrayList<>())) {
      assertThatThrownBy(() -> ports.sageMaker().describe(SageMakerKind.MODEL, "a_b"))
          .isInstanceOfSatisfying(
              InvalidConfigurationException.class,
              e -> {
                assertThat(e.field()).isEqualTo("ModelName");
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage())
                    .contains("sagemaker:DescribeModel")
                    .contains("ValidationException")
                    .contains("1 validation error detected");
              });
    }
  }

  @Test
  void describe_throttledWithRetryAfter_isOneAttempt_retryableAfterTheServicesDelay()
      throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    error(400, "ThrottlingException", "Rate exceeded")
                        .withHeader("Retry-After", "3"));
        AwsPorts ports = ports(stub, new ArrayList<>())) {
      assertThatThrownBy(() -> ports.sageMaker().describe(SageMakerKind.ENDPOINT, "e"))
          .isInstanceOfSatisfying(
              OperatorSetupException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                assertThat(e.getMessage()).contains("throttled").contains("DescribeEndpoint");
              });
      assertThat(stub.requests()).hasSize(1);
    }
  }

  @Test
  void describe_serverErrorOrNoAnswer_isRetryable_accessDeniedIsNot() throws Exception {
    try (StubAwsEndpoint stub =
            new StubAwsEndpoint(
                r ->
                    r.header("X-Amz-Target").endsWith("DescribeEndpoint")
                        ? error(503, "ServiceUnavailable", "down")
                        : error(
                            400,
                            "AccessDeniedException",
                            "User: arn:aws:iam::123456789012:user/bob is not authorized to"
                                + " perform: sagemaker:DescribeModel"));
        AwsPorts ports = ports(stub, new ArrayList<>())) {
      assertThatThrownBy(() -> ports.sageMaker().describe(SageMakerKind.ENDPOINT, "e"))
          .isInstanceOfSatisfying(
              OperatorSetupException.class, e -> assertThat(e.retryable()).isTrue());
      assertThatThrownBy(() -> ports.sageMaker().describe(SageMakerKind.MODEL, "m"))
          .isInstanceOfSatisfying(
              PermissionDeniedException.class,
              e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.action()).isEqualTo("sagemaker:DescribeModel");
              });
      assertThat(stub.requests()).hasSize(2);
    }
    URI closed;
    try (StubAwsEndpoint gone = new StubAwsEndpoint(r -> error(500, "x", "y"))) {
      closed = gone.uri();
    }
    try (AwsPorts ports =
        AwsPorts.builder()
            .region("us-west-2")
            .credentialsProvider(CREDENTIALS)
            .endpointOverride(closed)
            .httpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .build()) {
      assertThatThrownBy(() -> ports.sageMaker().describe(SageMakerKind.MODEL, "m"))
          .isInstanceOfSatisfying(
              OperatorSetupException.class, e -> assertThat(e.retryable()).isTrue());
    }
  }

  @Test
  void endpoint_followsTheRegionsPartition() {
    assertThat(AwsPorts.sageMakerEndpoint("us-west-2"))
        .isEqualTo(URI.create("https://api.sagemaker.us-west-2.amazonaws.com"));
    assertThat(AwsPorts.sageMakerEndpoint("cn-north-1"))
        .isEqualTo(URI.create("https://api.sagemaker.cn-north-1.amazonaws.com.cn"));
    assertThat(AwsPorts.sageMakerEndpoint("us-gov-west-1"))
        .isEqualTo(URI.create("https://api.sagemaker.us-gov-west-1.amazonaws.com"));
  }
}
