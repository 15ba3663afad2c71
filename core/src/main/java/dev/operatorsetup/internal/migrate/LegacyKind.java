package dev.operatorsetup.internal.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.SageMakerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The legacy operator's custom resource kinds (group {@code sagemaker.aws.amazon.com}), each with
 * the status field that names its SageMaker resource and the ACK SageMaker controller kind that
 * adopts it. The README's migration table is this enum.
 */
public enum LegacyKind {
  TRAINING_JOB(
      "TrainingJob", "trainingjobs", "sageMakerTrainingJobName", SageMakerKind.TRAINING_JOB),
  HYPERPARAMETER_TUNING_JOB(
      "HyperparameterTuningJob",
      "hyperparametertuningjobs",
      "sageMakerHyperParameterTuningJobName",
      SageMakerKind.HYPER_PARAMETER_TUNING_JOB),
  BATCH_TRANSFORM_JOB(
      "BatchTransformJob",
      "batchtransformjobs",
      "sageMakerTransformJobName",
      SageMakerKind.TRANSFORM_JOB),
  PROCESSING_JOB(
      "ProcessingJob",
      "processingjobs",
      "sageMakerProcessingJobName",
      SageMakerKind.PROCESSING_JOB),
  MODEL("Model", "models", "sageMakerModelName", SageMakerKind.MODEL),
  ENDPOINT_CONFIG(
      "EndpointConfig",
      "endpointconfigs",
      "sageMakerEndpointConfigName",
      SageMakerKind.ENDPOINT_CONFIG),
  /** An endpoint with its endpoint config and models: three ACK kinds. */
  HOSTING_DEPLOYMENT("HostingDeployment", "hostingdeployments", "endpointName", null),
  /** Application Auto Scaling, which the ACK SageMaker controller does not manage. */
  HOSTING_AUTOSCALING_POLICY("HostingAutoscalingPolicy", "hostingautoscalingpolicies", null, null);

  public static final String GROUP = "sagemaker.aws.amazon.com";

  /** The finalizer the legacy controller puts on every object it manages. */
  public static final String FINALIZER = "sagemaker-operator-finalizer";

  private final String kind;
  private final String plural;
  private final String statusName;
  private final SageMakerKind sageMaker;

  LegacyKind(String kind, String plural, String statusName, SageMakerKind sageMaker) {
    this.kind = kind;
    this.plural = plural;
    this.statusName = statusName;
    this.sageMaker = sageMaker;
  }

  public String kind() {
    return kind;
  }

  /** The CRD's name, e.g. {@code trainingjobs.sagemaker.aws.amazon.com}. */
  public String crdName() {
    return plural + "." + GROUP;
  }

  /** The status field naming the SageMaker resource, e.g. {@code sageMakerTrainingJobName}. */
  public Optional<String> statusName() {
    return Optional.ofNullable(statusName);
  }

  /** Whether the ACK SageMaker controller has a counterpart. */
  public boolean migrates() {
    return statusName != null;
  }

  /**
   * The SageMaker resources the object stands for, read from its status as the legacy controller
   * writes it; empty if it was never submitted. A HostingDeployment stands for its endpoint, its
   * endpoint config and each of its models.
   */
  public List<Wanted> wanted(KubeObject legacy) {
    JsonNode status = legacy.json().path("status");
    String name = text(status, statusName);
    if (name == null) {
      return List.of();
    }
    if (this != HOSTING_DEPLOYMENT) {
      return List.of(new Wanted(sageMaker, name, legacy.name()));
    }
    List<Wanted> out = new ArrayList<>();
    out.add(new Wanted(SageMakerKind.ENDPOINT, name, legacy.name()));
    String config = text(status, "endpointConfigName");
    if (config != null) {
      out.add(new Wanted(SageMakerKind.ENDPOINT_CONFIG, config, legacy.name()));
    }
    JsonNode models = status.path("modelNames");
    for (JsonNode model : models) {
      String key = text(model, "name");
      String value = text(model, "value");
      if (value != null) {
        String suffix = models.size() == 1 || key == null ? "" : "-" + dnsLabel(key);
        out.add(new Wanted(SageMakerKind.MODEL, value, legacy.name() + suffix));
      }
    }
    return out;
  }

  /** One SageMaker resource a legacy object stands for, and the ACK object's name for it. */
  public record Wanted(SageMakerKind kind, String sageMakerName, String ackName) {}

  public static Optional<LegacyKind> ofKind(String kind) {
    for (LegacyKind k : values()) {
      if (k.kind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private static String text(JsonNode node, String field) {
    if (field == null) {
      return null;
    }
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
  }

  /** A Kubernetes-name-safe form of a key: lower case, other characters as dashes. */
  static String dnsLabel(String key) {
    String s = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    s = s.replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "model" : s;
  }
}
