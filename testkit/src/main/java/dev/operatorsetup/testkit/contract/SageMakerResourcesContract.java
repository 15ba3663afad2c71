package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import dev.operatorsetup.testkit.CallLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SageMakerResources} shares with SageMaker's Describe calls: a resource
 * created with the kind's {@code Create*} request is described with its name, its ARN and what it
 * was created with; a missing one is empty (in its region only); a malformed name is SageMaker's
 * {@code ValidationException}; answers are deep copies; and the port only ever reads, one call per
 * describe. Where an emulator differs from AWS, the test asserts AWS's behaviour and the emulator's
 * subclass names the {@link Gap} in {@link #gaps()}; that test is then skipped for it, with the
 * reason printed.
 */
public abstract class SageMakerResourcesContract {
  /** Ways an emulator is known to differ from SageMaker, each with the behaviour AWS has. */
  public enum Gap {
    /** The emulator's Describe calls do not check the name. */
    DESCRIBE_ACCEPTS_MALFORMED_NAMES(
        "AWS's Describe calls reject a name that breaks the name member's length or pattern"
            + " (ValidationException: 1 validation error detected: Value ... failed to satisfy"
            + " constraint); the emulator looks it up and answers that it could not find it"),
    /** The emulator's CreateProcessingJob drops ProcessingResources. */
    PROCESSING_JOB_DROPS_PROCESSING_RESOURCES(
        "AWS's DescribeProcessingJob returns the ProcessingResources (cluster config) the job was"
            + " created with; the emulator's CreateProcessingJob does not keep them");

    private final String reason;

    Gap(String reason) {
      this.reason = reason;
    }

    /** Returns what AWS does and what the emulator does instead. */
    public String reason() {
      return reason;
    }
  }

  /** The region {@link #seed} creates resources in. */
  protected static final String REGION = "us-west-2";

  /** A region no test creates resources in. */
  protected static final String OTHER_REGION = "eu-west-1";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Returns the port under test for a region. */
  protected abstract SageMakerResources sageMaker(String region);

  /**
   * Makes a resource exist in {@link #REGION} as SageMaker's {@code Create*} call of the kind makes
   * it from this request (member names as in SageMaker's API reference).
   */
  protected abstract void seed(SageMakerKind kind, String createRequestJson);

  /** Returns the log the ports of {@link #sageMaker(String)} record their calls in. */
  protected abstract CallLog callLog();

  /** Returns how the backend under test differs from SageMaker (default: it does not). */
  protected Set<Gap> gaps() {
    return EnumSet.noneOf(Gap.class);
  }

  /** Skips the calling test, printing why, if the backend has the gap. */
  protected final void skipIf(Gap gap) {
    if (gaps().contains(gap)) {
      String reason =
          "Skipped for " + getClass().getSimpleName() + " (" + gap + "): " + gap.reason();
      System.err.println(reason);
      Assumptions.abort(reason);
    }
  }

  /** Returns a name no earlier test used, within every kind's limits (a tuning job's 32). */
  protected static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ------------------------------------------------------------------------------ present

  @Test
  public void describe_trainingJob_carriesWhatItWasCreatedWith() {
    String name = uniqueName("train");
    Map<String, Object> request =
        seeded(SageMakerKind.TRAINING_JOB, SageMakerRequests.trainingJob(name));

    Map<String, Object> out = present(SageMakerKind.TRAINING_JOB, name);

    assertCarries(request, out);
    assertThat(out)
        .containsKeys(
            "AlgorithmSpecification",
            "RoleArn",
            "ResourceConfig",
            "StoppingCondition",
            "OutputDataConfig");
  }

  @Test
  public void describe_hyperParameterTuningJob_carriesWhatItWasCreatedWith() {
    String name = uniqueName("tune");
    Map<String, Object> request =
        seeded(SageMakerKind.HYPER_PARAMETER_TUNING_JOB, SageMakerRequests.tuningJob(name));

    Map<String, Object> out = present(SageMakerKind.HYPER_PARAMETER_TUNING_JOB, name);

    assertCarries(request, out);
    assertThat(out).containsKeys("HyperParameterTuningJobConfig", "TrainingJobDefinition");
  }

  @Test
  public void describe_transformJob_carriesWhatItWasCreatedWith() {
    String model = uniqueName("model");
    seeded(SageMakerKind.MODEL, SageMakerRequests.model(model));
    String name = uniqueName("transform");
    Map<String, Object> request =
        seeded(SageMakerKind.TRANSFORM_JOB, SageMakerRequests.transformJob(name, model));

    Map<String, Object> out = present(SageMakerKind.TRANSFORM_JOB, name);

    assertCarries(request, out);
    assertThat(out.get("ModelName")).isEqualTo(model);
  }

  @Test
  public void describe_processingJob_carriesWhatItWasCreatedWith() {
    String name = uniqueName("process");
    Map<String, Object> request =
        seeded(SageMakerKind.PROCESSING_JOB, SageMakerRequests.processingJob(name));
    request.remove("ProcessingResources"); // its own test, below

    Map<String, Object> out = present(SageMakerKind.PROCESSING_JOB, name);

    assertCarries(request, out);
    assertThat(out).containsKeys("AppSpecification", "RoleArn", "ProcessingOutputConfig");
  }

  @Test
  public void describe_processingJob_carriesItsProcessingResources() {
    skipIf(Gap.PROCESSING_JOB_DROPS_PROCESSING_RESOURCES);
    String name = uniqueName("process");
    Map<String, Object> request =
        seeded(SageMakerKind.PROCESSING_JOB, SageMakerRequests.processingJob(name));

    Map<String, Object> out = present(SageMakerKind.PROCESSING_JOB, name);

    assertCarriesAt("ProcessingResources", request.get("ProcessingResources"), out);
  }

  @Test
  public void describe_model_carriesWhatItWasCreatedWith() {
    String name = uniqueName("model");
    Map<String, Object> request = seeded(SageMakerKind.MODEL, SageMakerRequests.model(name));

    Map<String, Object> out = present(SageMakerKind.MODEL, name);

    assertCarries(request, out);
    assertThat(out).containsKeys("ExecutionRoleArn", "PrimaryContainer");
  }

  @Test
  public void describe_endpointConfig_carriesItsVariantsAndTheirModel() {
    String model = uniqueName("model");
    seeded(SageMakerKind.MODEL, SageMakerRequests.model(model));
    String name = uniqueName("config");
    Map<String, Object> request =
        seeded(SageMakerKind.ENDPOINT_CONFIG, SageMakerRequests.endpointConfig(name, model));

    Map<String, Object> out = present(SageMakerKind.ENDPOINT_CONFIG, name);

    assertCarries(request, out);
  }

  /** A hosting deployment, read as a migration reads it: endpoint, then its config, its model. */
  @Test
  public void describe_endpoint_leadsThroughItsConfigToItsModel() {
    String model = uniqueName("model");
    Map<String, Object> modelRequest = seeded(SageMakerKind.MODEL, SageMakerRequests.model(model));
    String config = uniqueName("config");
    seeded(SageMakerKind.ENDPOINT_CONFIG, SageMakerRequests.endpointConfig(config, model));
    String name = uniqueName("endpoint");
    Map<String, Object> request =
        seeded(SageMakerKind.ENDPOINT, SageMakerRequests.endpoint(name, config));

    Map<String, Object> endpoint = present(SageMakerKind.ENDPOINT, name);
    assertCarries(request, endpoint);
    Map<String, Object> configOut =
        present(SageMakerKind.ENDPOINT_CONFIG, (String) endpoint.get("EndpointConfigName"));
    List<?> variants = (List<?>) configOut.get("ProductionVariants");
    String variantModel = (String) ((Map<?, ?>) variants.get(0)).get("ModelName");
    Map<String, Object> modelOut = present(SageMakerKind.MODEL, variantModel);

    assertThat(variantModel).isEqualTo(model);
    assertCarries(modelRequest, modelOut);
  }

  // ------------------------------------------------------------------------------- absent

  @Test
  public void describe_missingResourceOfEveryKind_isEmpty() {
    for (SageMakerKind kind : SageMakerKind.values()) {
      assertThat(sageMaker(REGION).describe(kind, uniqueName("absent")))
          .as("%s of a name never created", kind.operation())
          .isEmpty();
    }
  }

  @Test
  public void describe_inAnotherRegion_isEmpty() {
    String name = uniqueName("model");
    seeded(SageMakerKind.MODEL, SageMakerRequests.model(name));

    assertThat(sageMaker(OTHER_REGION).describe(SageMakerKind.MODEL, name)).isEmpty();
    assertThat(sageMaker(REGION).describe(SageMakerKind.MODEL, name)).isPresent();
  }

  @Test
  public void describe_afterOtherKindOfSameName_isEmpty() {
    String name = uniqueName("shared");
    seeded(SageMakerKind.MODEL, SageMakerRequests.model(name));

    assertThat(sageMaker(REGION).describe(SageMakerKind.ENDPOINT, name)).isEmpty();
    assertThat(sageMaker(REGION).describe(SageMakerKind.TRAINING_JOB, name)).isEmpty();
  }

  // ------------------------------------------------------------------------------- names

  @Test
  public void describe_longestAndHyphenatedNames_areAccepted() {
    String longest = "a".repeat(62) + "9";
    String longestTuning = "t".repeat(31) + "1";

    assertThat(sageMaker(REGION).describe(SageMakerKind.TRAINING_JOB, longest)).isEmpty();
    assertThat(sageMaker(REGION).describe(SageMakerKind.ENDPOINT, "a--b-c")).isEmpty();
    assertThat(sageMaker(REGION).describe(SageMakerKind.HYPER_PARAMETER_TUNING_JOB, longestTuning))
        .isEmpty();
  }

  @Test
  public void describe_malformedName_isSageMakersValidationException() {
    skipIf(Gap.DESCRIBE_ACCEPTS_MALFORMED_NAMES);
    Map<SageMakerKind, String> malformed =
        Map.of(
            SageMakerKind.TRAINING_JOB, "bad_name",
            SageMakerKind.MODEL, "-leading-hyphen",
            SageMakerKind.ENDPOINT, "trailing-hyphen-",
            SageMakerKind.ENDPOINT_CONFIG, "a".repeat(64),
            SageMakerKind.HYPER_PARAMETER_TUNING_JOB, "t".repeat(33),
            SageMakerKind.PROCESSING_JOB, "dots.are.not.allowed",
            SageMakerKind.TRANSFORM_JOB, "");
    malformed.forEach(
        (kind, name) ->
            assertThatThrownBy(() -> sageMaker(REGION).describe(kind, name))
                .as("%s of '%s'", kind.operation(), name)
                .isInstanceOfSatisfying(
                    InvalidConfigurationException.class,
                    e -> {
                      assertThat(e.field()).isEqualTo(kind.nameMember());
                      assertThat(e.retryable()).isFalse();
                      assertThat(e.getMessage()).contains("ValidationException");
                    }));
  }

  // ----------------------------------------------------------------- copies and calls

  @Test
  public void describe_returnsADeepCopy() {
    String name = uniqueName("train");
    seeded(SageMakerKind.TRAINING_JOB, SageMakerRequests.trainingJob(name));
    Map<String, Object> first = present(SageMakerKind.TRAINING_JOB, name);
    Map<String, Object> pristine = present(SageMakerKind.TRAINING_JOB, name);

    first.put("RoleArn", "arn:aws:iam::111122223333:role/Changed");
    mutable(first.get("ResourceConfig")).put("InstanceCount", 99);
    listOf(first.get("InputDataConfig")).clear();

    assertThat(present(SageMakerKind.TRAINING_JOB, name)).isEqualTo(pristine);
  }

  @Test
  public void describe_makesOneReadPerCall_andNoWrite() {
    String name = uniqueName("model");
    seeded(SageMakerKind.MODEL, SageMakerRequests.model(name));
    int before = callLog().calls().size();

    sageMaker(REGION).describe(SageMakerKind.MODEL, name);
    for (SageMakerKind kind : SageMakerKind.values()) {
      sageMaker(REGION).describe(kind, uniqueName("absent"));
    }

    List<CallLog.Call> calls = callLog().calls();
    List<CallLog.Call> made = calls.subList(before, calls.size());
    assertThat(made).hasSize(1 + SageMakerKind.values().length);
    assertThat(made).allSatisfy(c -> assertThat(c.service()).isEqualTo("sagemaker"));
    assertThat(made).noneMatch(CallLog.Call::write);
    assertThat(made.get(0).operation()).isEqualTo("DescribeModel");
    assertThat(made.subList(1, made.size()))
        .extracting(CallLog.Call::operation)
        .containsExactly(
            Arrays.stream(SageMakerKind.values())
                .map(SageMakerKind::operation)
                .toArray(String[]::new));
  }

  // ------------------------------------------------------------------------------ helpers

  /** Seeds the resource and returns its create request as a JSON object. */
  private Map<String, Object> seeded(SageMakerKind kind, String createRequestJson) {
    seed(kind, createRequestJson);
    try {
      return JSON.readValue(createRequestJson, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Describes a resource that must exist: it names itself and has an ARN of its kind and name. */
  private Map<String, Object> present(SageMakerKind kind, String name) {
    Map<String, Object> out =
        sageMaker(REGION)
            .describe(kind, name)
            .orElseThrow(() -> new AssertionError(kind.operation() + " found no " + name));
    assertThat(out.get(kind.nameMember())).as(kind.nameMember()).isEqualTo(name);
    String arnMember = kind.nameMember().replaceFirst("Name$", "Arn");
    assertThat(out.get(arnMember)).as(arnMember).isInstanceOf(String.class);
    String arn = (String) out.get(arnMember);
    String type = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    assertThat(arn).as(arnMember).startsWith("arn:aws:sagemaker:" + REGION + ":");
    // SageMaker lower-cases the name in the ARN; moto keeps its case.
    assertThat(arn.toLowerCase(Locale.ROOT))
        .as(arnMember)
        .endsWith(":" + type + "/" + name.toLowerCase(Locale.ROOT));
    return out;
  }

  /** Asserts that every member of the request is in the output with the value it was given. */
  private static void assertCarries(Map<String, Object> request, Map<String, Object> out) {
    request.forEach((member, value) -> assertCarriesAt(member, value, out));
  }

  private static void assertCarriesAt(String member, Object given, Map<String, Object> out) {
    assertThat(out).as("Describe output").containsKey(member);
    assertContains(member, given, out.get(member));
  }

  /**
   * Asserts that {@code actual} holds {@code given}: the same scalars (numbers by value, so 1 and
   * 1.0 agree), lists of the same length, and maps with at least the given members (SageMaker fills
   * in defaults, e.g. a KMS key or metric definitions).
   */
  private static void assertContains(String path, Object given, Object actual) {
    if (given instanceof Map<?, ?> map) {
      assertThat(actual).as(path).isInstanceOf(Map.class);
      Map<?, ?> actualMap = (Map<?, ?>) actual;
      map.forEach(
          (k, v) -> {
            assertThat(actualMap.containsKey(k)).as(path + " has member " + k).isTrue();
            assertContains(path + "." + k, v, actualMap.get(k));
          });
    } else if (given instanceof List<?> list) {
      assertThat(actual).as(path).isInstanceOf(List.class);
      List<?> actualList = (List<?>) actual;
      assertThat(actualList).as(path).hasSameSizeAs(list);
      for (int i = 0; i < list.size(); i++) {
        assertContains(path + "[" + i + "]", list.get(i), actualList.get(i));
      }
    } else if (given instanceof Number number) {
      assertThat(actual).as(path).isInstanceOf(Number.class);
      assertThat(new BigDecimal(actual.toString()))
          .as(path)
          .isEqualByComparingTo(number.toString());
    } else {
      assertThat(actual).as(path).isEqualTo(given);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mutable(Object map) {
    return (Map<String, Object>) map;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> listOf(Object list) {
    return (List<Object>) list;
  }
}
