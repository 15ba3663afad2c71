package dev.operatorsetup.testkit.moto;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.port.SageMakerKind;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Creates SageMaker resources on a {@link MotoServer} for tests, with SageMaker's own {@code
 * Create*} calls in its JSON protocol ({@code X-Amz-Target: SageMaker.CreateModel}, ...). The
 * product's SageMaker port is read only; this writer is test-side, and the aws module has none.
 *
 * <p>moto does not check request signatures, so the requests carry the same made-up SigV4 header as
 * {@link MotoServer}'s, which names the region and the service {@code sagemaker}. Thread-safe.
 *
 * {@snippet :
 * MotoSageMaker sageMaker = new MotoSageMaker(MotoServer.shared());
 * sageMaker.create("us-west-2", SageMakerKind.MODEL, """
 *     {"ModelName": "xgboost", "ExecutionRoleArn": "arn:aws:iam::123456789012:role/sm",
 *      "PrimaryContainer": {"Image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/xgb:1"}}
 *     """);
 * }
 */
public final class MotoSageMaker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DESCRIBE = "Describe";

  private final MotoServer moto;

  public MotoSageMaker(MotoServer moto) {
    this.moto = Objects.requireNonNull(moto, "moto");
  }

  /** Returns SageMaker's create operation of a kind, e.g. {@code CreateTrainingJob}. */
  public static String createOperation(SageMakerKind kind) {
    return "Create" + kind.operation().substring(DESCRIBE.length());
  }

  /**
   * Creates a resource in a region with the kind's {@code Create*} call and returns moto's answer
   * (e.g. {@code {"ModelArn": "arn:aws:sagemaker:..."}}).
   *
   * @param createRequestJson the request as SageMaker's API reference has it
   * @throws IllegalStateException if moto refuses it
   */
  public Map<String, Object> create(String region, SageMakerKind kind, String createRequestJson) {
    String operation = createOperation(kind);
    String answer;
    try {
      answer =
          moto.post(
              "/",
              "application/x-amz-json-1.1",
              createRequestJson,
              region,
              "sagemaker",
              Map.of("X-Amz-Target", "SageMaker." + operation));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "moto refused SageMaker " + operation + " in " + region + ": " + e.getMessage(), e);
    }
    try {
      return JSON.readValue(answer, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("moto's " + operation + " answered " + answer, e);
    }
  }
}
