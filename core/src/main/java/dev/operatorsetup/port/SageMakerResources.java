package dev.operatorsetup.port;

import java.util.Map;
import java.util.Optional;

/**
 * SageMaker, read only: the Describe calls of the resources the legacy operator manages. There is
 * no write on this port, by design: a migration must never change a SageMaker resource.
 * Implementations are thread-safe.
 */
public interface SageMakerResources {
  /**
   * Returns the Describe output of the resource as SageMaker's JSON has it (member names as in the
   * API, e.g. {@code TrainingJobName}, {@code RoleArn}; values are strings, numbers, booleans,
   * lists and maps; timestamps as SageMaker returns them), or empty if SageMaker has no resource of
   * that kind and name.
   *
   * @throws dev.operatorsetup.OperatorSetupException on any other error (retryable ones marked)
   */
  Optional<Map<String, Object>> describe(SageMakerKind kind, String name);

  /** A port with no SageMaker behind it, for services that were built without one. */
  static SageMakerResources unavailable(String why) {
    return (kind, name) -> {
      throw new UnsupportedOperationException("no SageMaker port: " + why);
    };
  }
}
