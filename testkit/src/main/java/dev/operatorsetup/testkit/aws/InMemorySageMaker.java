package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import dev.operatorsetup.testkit.Recorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SageMaker's Describe calls over the fake account's SageMaker resources of one region, each a
 * Describe output as a test put it ({@link AwsAccount#putSageMaker}). Names are checked as
 * SageMaker checks a Describe request (its API reference: length and pattern of the name member),
 * written out here rather than borrowed from the product; a malformed name fails as SageMaker's
 * {@code ValidationException} does, a missing resource is empty, and every answer is a deep copy.
 */
final class InMemorySageMaker extends AccountService implements SageMakerResources {
  // SageMaker API reference: TrainingJobName, ModelName, ... are 1 to 63 characters (a tuning job's
  // 1 to 32) of ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}, a whole-value match.
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9])*");

  private final String region;

  InMemorySageMaker(AwsAccount aws, String region, Recorder recorder) {
    super(aws, recorder);
    this.region = region;
  }

  @Override
  public Optional<Map<String, Object>> describe(SageMakerKind kind, String name) {
    return read(
        kind.operation(),
        () -> {
          checkName(kind, name);
          return Optional.ofNullable(resources(aws, region, kind).get(name))
              .map(InMemorySageMaker::copyObject);
        });
  }

  /** The resources of one kind in one region; the caller holds the account's lock. */
  static Map<String, Map<String, Object>> resources(
      AwsAccount aws, String region, SageMakerKind kind) {
    return aws.sageMaker
        .computeIfAbsent(region, r -> new LinkedHashMap<>())
        .computeIfAbsent(kind, k -> new LinkedHashMap<>());
  }

  /**
   * Returns the name of a Describe output a test puts: its name member, which must be a name
   * SageMaker accepts; the output must hold only what SageMaker's JSON has.
   *
   * @throws IllegalArgumentException if it does not
   */
  static String nameOf(SageMakerKind kind, Map<String, Object> describeOutput) {
    if (!(describeOutput.get(kind.nameMember()) instanceof String name)) {
      throw new IllegalArgumentException(
          "A "
              + kind.operation()
              + " output names its resource in the string member "
              + kind.nameMember()
              + "; this one has "
              + describeOutput.get(kind.nameMember()));
    }
    try {
      checkName(kind, name);
    } catch (InvalidConfigurationException e) {
      throw new IllegalArgumentException("SageMaker would not have created it: " + e.getMessage());
    }
    return name;
  }

  /** SageMaker's check of the name member of a Describe request. */
  static void checkName(SageMakerKind kind, String name) {
    int max = kind == SageMakerKind.HYPER_PARAMETER_TUNING_JOB ? 32 : 63;
    String member =
        Character.toLowerCase(kind.nameMember().charAt(0)) + kind.nameMember().substring(1);
    List<String> errors = new ArrayList<>();
    String value = name == null ? "" : name;
    if (value.length() > max) {
      errors.add(violation(value, member, "Member must have length less than or equal to " + max));
    }
    if (!NAME.matcher(value).matches()) {
      errors.add(
          violation(
              value,
              member,
              "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,"
                  + (max - 1)
                  + "}"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidConfigurationException(
          kind.nameMember(),
          name,
          "SageMaker rejected it in sagemaker:"
              + kind.operation()
              + " (ValidationException: "
              + errors.size()
              + " validation error"
              + (errors.size() == 1 ? "" : "s")
              + " detected: "
              + String.join("; ", errors)
              + ")",
          "pass the name of the " + kind.label() + " as SageMaker has it");
    }
  }

  private static String violation(String value, String member, String constraint) {
    return "Value '" + value + "' at '" + member + "' failed to satisfy constraint: " + constraint;
  }

  /**
   * Returns a deep copy of a JSON object of maps, lists, strings, numbers and booleans.
   *
   * @throws IllegalArgumentException for anything else (null included: SageMaker leaves members out
   *     rather than sending null; timestamps are epoch seconds, a number)
   */
  static Map<String, Object> copyObject(Map<?, ?> object) {
    return copyObject(object, "$");
  }

  private static Map<String, Object> copyObject(Map<?, ?> object, String path) {
    Map<String, Object> copy = new LinkedHashMap<>();
    object.forEach(
        (k, v) -> {
          if (!(k instanceof String key)) {
            throw new IllegalArgumentException(
                "member name " + k + " at " + path + " is no string");
          }
          copy.put(key, copy(v, path + "." + key));
        });
    return copy;
  }

  private static Object copy(Object value, String path) {
    if (value instanceof Map<?, ?> map) {
      return copyObject(map, path);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copy(list.get(i), path + "[" + i + "]"));
      }
      return copy;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    throw new IllegalArgumentException(
        (value == null ? "null" : "a " + value.getClass().getSimpleName())
            + " at "
            + path
            + " is not what SageMaker's JSON holds (maps, lists, strings, numbers, booleans;"
            + " no nulls; timestamps as epoch seconds)");
  }
}
