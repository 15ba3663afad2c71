package dev.operatorsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the fake's SageMaker adds to the contract suite: its set-up API, the log and faults. */
class InMemorySageMakerTest {
  private final InMemoryAws aws = new InMemoryAws();
  private final SageMakerResources sageMaker = aws.services("us-west-2").sageMaker();

  private static Map<String, Object> model(String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ModelName", name);
    out.put("ModelArn", "arn:aws:sagemaker:us-west-2:123456789012:model/" + name);
    out.put("PrimaryContainer", new HashMap<>(Map.of("Image", "img:1")));
    out.put("CreationTime", 1.7E9);
    return out;
  }

  @Test
  void put_storesACopy_andRemoveForgets() {
    Map<String, Object> output = model("m1");
    aws.putSageMaker("us-west-2", SageMakerKind.MODEL, output);
    output.put("ModelName", "changed");
    ((Map<String, Object>) output.get("PrimaryContainer")).put("Image", "changed");

    assertThat(sageMaker.describe(SageMakerKind.MODEL, "m1")).contains(model("m1"));
    assertThat(aws.removeSageMaker("us-west-2", SageMakerKind.MODEL, "m1")).isTrue();
    assertThat(aws.removeSageMaker("us-west-2", SageMakerKind.MODEL, "m1")).isFalse();
    assertThat(sageMaker.describe(SageMakerKind.MODEL, "m1")).isEmpty();
  }

  @Test
  void put_replacesTheResourceOfTheSameName() {
    aws.putSageMaker(
        "us-west-2",
        SageMakerKind.TRAINING_JOB,
        Map.of("TrainingJobName", "t1", "TrainingJobStatus", "InProgress"));
    aws.putSageMaker(
        "us-west-2",
        SageMakerKind.TRAINING_JOB,
        Map.of("TrainingJobName", "t1", "TrainingJobStatus", "Completed"));

    assertThat(sageMaker.describe(SageMakerKind.TRAINING_JOB, "t1").orElseThrow())
        .containsEntry("TrainingJobStatus", "Completed");
  }

  @Test
  void put_refusesWhatSageMakerWouldNotHave() {
    assertThatThrownBy(
            () -> aws.putSageMaker("us-west-2", SageMakerKind.MODEL, Map.of("Name", "m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ModelName");
    assertThatThrownBy(
            () -> aws.putSageMaker("us-west-2", SageMakerKind.MODEL, Map.of("ModelName", "a_b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regular expression");
    Map<String, Object> withNull = model("m2");
    withNull.put("FailureReason", null);
    assertThatThrownBy(() -> aws.putSageMaker("us-west-2", SageMakerKind.MODEL, withNull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$.FailureReason");
    Map<String, Object> withInstant = model("m3");
    withInstant.put("CreationTime", Instant.EPOCH);
    assertThatThrownBy(() -> aws.putSageMaker("us-west-2", SageMakerKind.MODEL, withInstant))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epoch seconds");
    assertThatThrownBy(() -> aws.putSageMaker("mars-1", SageMakerKind.MODEL, model("m4")))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void describe_malformedName_failsAsSageMakersValidationException_andIsLogged() {
    assertThatThrownBy(
            () -> sageMaker.describe(SageMakerKind.HYPER_PARAMETER_TUNING_JOB, "t".repeat(33)))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.getMessage())
                    .contains(
                        "Value '"
                            + "t".repeat(33)
                            + "' at 'hyperParameterTuningJobName' failed to satisfy constraint:"
                            + " Member must have length less than or equal to 32"));
    assertThat(aws.log().calls())
        .extracting(CallLog.Call::toString)
        .containsExactly("sagemaker:DescribeHyperParameterTuningJob");
  }

  @Test
  void faults_throttleAndFailDescribeCalls() {
    aws.putSageMaker("us-west-2", SageMakerKind.MODEL, model("m1"));
    aws.faults()
        .throttle(c -> c.operation().equals("DescribeModel"), 1)
        .fail(c -> c.service().equals("sagemaker"), 1);

    assertThatThrownBy(() -> sageMaker.describe(SageMakerKind.MODEL, "m1"))
        .isInstanceOfSatisfying(
            OperatorSetupException.class, e -> assertThat(e.retryable()).isTrue());
    assertThatThrownBy(() -> sageMaker.describe(SageMakerKind.ENDPOINT, "e1"))
        .isInstanceOfSatisfying(
            OperatorSetupException.class, e -> assertThat(e.retryable()).isFalse());
    assertThat(sageMaker.describe(SageMakerKind.MODEL, "m1")).isPresent();
    assertThat(aws.log().reads("sagemaker")).isEqualTo(3);
    assertThat(aws.log().writeCount()).isZero();
  }

  @Test
  void describe_answersListsAndMapsThatTheCallerMayChange() {
    Map<String, Object> output = model("m1");
    output.put("Containers", new ArrayList<>(List.of(Map.of("Image", "a"))));
    aws.putSageMaker("us-west-2", SageMakerKind.MODEL, output);

    Map<String, Object> first = sageMaker.describe(SageMakerKind.MODEL, "m1").orElseThrow();
    ((List<Object>) first.get("Containers")).add("more");

    assertThat(
            (List<?>) sageMaker.describe(SageMakerKind.MODEL, "m1").orElseThrow().get("Containers"))
        .hasSize(1);
  }
}
