package dev.operatorsetup.port;

/**
 * The SageMaker resource kinds the migration reads, each with its Describe operation and the
 * request member that names the resource (which is also the ACK controller's adoption field, in
 * lower camel case).
 */
public enum SageMakerKind {
  TRAINING_JOB("DescribeTrainingJob", "TrainingJobName"),
  HYPER_PARAMETER_TUNING_JOB("DescribeHyperParameterTuningJob", "HyperParameterTuningJobName"),
  TRANSFORM_JOB("DescribeTransformJob", "TransformJobName"),
  PROCESSING_JOB("DescribeProcessingJob", "ProcessingJobName"),
  MODEL("DescribeModel", "ModelName"),
  ENDPOINT_CONFIG("DescribeEndpointConfig", "EndpointConfigName"),
  ENDPOINT("DescribeEndpoint", "EndpointName");

  private final String operation;
  private final String nameMember;

  SageMakerKind(String operation, String nameMember) {
    this.operation = operation;
    this.nameMember = nameMember;
  }

  /** The SageMaker API operation, e.g. {@code DescribeTrainingJob}. */
  public String operation() {
    return operation;
  }

  /** The request member that names the resource, e.g. {@code TrainingJobName}. */
  public String nameMember() {
    return nameMember;
  }

  /** What people call it, e.g. {@code training job}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
