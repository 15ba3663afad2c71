package dev.operatorsetup.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.SageMakerKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Legacy operator custom resources as users declare them and as the legacy controller leaves them
 * (finalizer {@code sagemaker-operator-finalizer}, the SageMaker names in the status), with the
 * SageMaker resources they stand for as the Create requests that made them. Shared by the fake and
 * the real-server migration tests.
 */
public final class LegacyFixtures {
  public static final String GROUP_VERSION = "sagemaker.aws.amazon.com/v1";
  public static final String FINALIZER = "sagemaker-operator-finalizer";
  public static final String EXECUTION_ROLE = "arn:aws:iam::012345678910:role/sagemaker-execution";
  public static final String IMAGE = "433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private LegacyFixtures() {}

  /** A SageMaker resource as its Create request made it. */
  public record SageMakerResource(SageMakerKind kind, String name, Map<String, Object> create) {}

  /**
   * A legacy object: the object as declared (with the finalizer), the status its controller wrote,
   * and the SageMaker resources behind it.
   */
  public record Legacy(KubeObject object, JsonNode status, List<SageMakerResource> sageMaker) {}

  /** The legacy operator's CRD names, e.g. {@code trainingjobs.sagemaker.aws.amazon.com}. */
  public static final List<String> CRDS =
      List.of(
              "trainingjobs",
              "hyperparametertuningjobs",
              "batchtransformjobs",
              "processingjobs",
              "models",
              "endpointconfigs",
              "hostingdeployments",
              "hostingautoscalingpolicies")
          .stream()
          .map(plural -> plural + ".sagemaker.aws.amazon.com")
          .toList();

  /** A Namespace object, as {@code kubectl create namespace} makes it. */
  public static KubeObject namespace(String name) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", "v1");
    o.put("kind", "Namespace");
    o.putObject("metadata").put("name", name);
    return KubeObject.of(o);
  }

  /** A CustomResourceDefinition's reference. */
  public static dev.operatorsetup.model.ObjectRef crd(String name) {
    return dev.operatorsetup.model.ObjectRef.of(
        "apiextensions.k8s.io/v1", "CustomResourceDefinition", null, name);
  }

  /** A TrainingJob the legacy controller submitted as {@code sageMakerName}. */
  public static Legacy trainingJob(String ns, String name, String region, String sageMakerName) {
    Map<String, Object> create = trainingJobRequest(sageMakerName);
    ObjectNode spec = JSON.createObjectNode();
    spec.putObject("algorithmSpecification")
        .put("trainingImage", IMAGE)
        .put("trainingInputMode", "File");
    spec.putObject("outputDataConfig").put("s3OutputPath", "s3://ml-bucket/out");
    spec.put("region", region);
    spec.putObject("resourceConfig")
        .put("instanceCount", 1)
        .put("instanceType", "ml.m5.large")
        .put("volumeSizeInGB", 5);
    spec.put("roleArn", EXECUTION_ROLE);
    spec.putObject("stoppingCondition").put("maxRuntimeInSeconds", 3600);
    ObjectNode status = JSON.createObjectNode();
    status.put("trainingJobStatus", "InProgress");
    status.put("sageMakerTrainingJobName", sageMakerName);
    return new Legacy(
        object("TrainingJob", ns, name, spec),
        status,
        List.of(new SageMakerResource(SageMakerKind.TRAINING_JOB, sageMakerName, create)));
  }

  /** A TrainingJob the legacy controller never submitted (no status). */
  public static Legacy unsubmittedTrainingJob(String ns, String name, String region) {
    Legacy l = trainingJob(ns, name, region, "unused");
    return new Legacy(l.object(), JSON.createObjectNode(), List.of());
  }

  /** A Model the legacy controller created as {@code sageMakerName}. */
  public static Legacy model(String ns, String name, String region, String sageMakerName) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("executionRoleArn", EXECUTION_ROLE);
    spec.put("region", region);
    spec.putObject("primaryContainer")
        .put("image", IMAGE)
        .put("modelDataUrl", "s3://ml-bucket/model.tar.gz");
    ObjectNode status = JSON.createObjectNode();
    status.put("status", "Created");
    status.put("sageMakerModelName", sageMakerName);
    return new Legacy(
        object("Model", ns, name, spec),
        status,
        List.of(
            new SageMakerResource(
                SageMakerKind.MODEL, sageMakerName, modelRequest(sageMakerName))));
  }

  /**
   * A HostingDeployment whose endpoint, endpoint config and one model the legacy controller created
   * with the given names.
   */
  public static Legacy hostingDeployment(
      String ns, String name, String region, String endpoint, String config, String model) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("region", region);
    ObjectNode m = spec.putArray("models").addObject();
    m.put("name", "xgboost");
    m.put("executionRoleArn", EXECUTION_ROLE);
    m.put("primaryContainer", "xgboost-container");
    m.putArray("containers")
        .addObject()
        .put("containerHostname", "xgboost-container")
        .put("image", IMAGE)
        .put("modelDataUrl", "s3://ml-bucket/model.tar.gz");
    spec.putArray("productionVariants")
        .addObject()
        .put("variantName", "AllTraffic")
        .put("modelName", "xgboost")
        .put("initialInstanceCount", 1)
        .put("instanceType", "ml.m5.large");
    ObjectNode status = JSON.createObjectNode();
    status.put("status", "InService");
    status.put("endpointName", endpoint);
    status.put("endpointConfigName", config);
    status.putArray("modelNames").addObject().put("name", "xgboost").put("value", model);
    return new Legacy(
        object("HostingDeployment", ns, name, spec),
        status,
        List.of(
            new SageMakerResource(SageMakerKind.MODEL, model, modelRequest(model)),
            new SageMakerResource(
                SageMakerKind.ENDPOINT_CONFIG, config, endpointConfigRequest(config, model)),
            new SageMakerResource(
                SageMakerKind.ENDPOINT, endpoint, endpointRequest(endpoint, config))));
  }

  /** A HostingAutoscalingPolicy, which has no ACK SageMaker counterpart. */
  public static Legacy autoscalingPolicy(String ns, String name, String region) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("region", region);
    ObjectNode status = JSON.createObjectNode();
    status.put("hostingAutoscalingPolicyStatus", "Created");
    return new Legacy(object("HostingAutoscalingPolicy", ns, name, spec), status, List.of());
  }

  static Map<String, Object> trainingJobRequest(String name) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("TrainingJobName", name);
    r.put("AlgorithmSpecification", Map.of("TrainingImage", IMAGE, "TrainingInputMode", "File"));
    r.put("RoleArn", EXECUTION_ROLE);
    r.put("OutputDataConfig", Map.of("S3OutputPath", "s3://ml-bucket/out"));
    r.put(
        "ResourceConfig",
        Map.of("InstanceType", "ml.m5.large", "InstanceCount", 1, "VolumeSizeInGB", 5));
    r.put("StoppingCondition", Map.of("MaxRuntimeInSeconds", 3600));
    r.put("HyperParameters", Map.of("max_depth", "5", "num_round", "10"));
    return r;
  }

  static Map<String, Object> modelRequest(String name) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ModelName", name);
    r.put("ExecutionRoleArn", EXECUTION_ROLE);
    r.put(
        "PrimaryContainer", Map.of("Image", IMAGE, "ModelDataUrl", "s3://ml-bucket/model.tar.gz"));
    return r;
  }

  static Map<String, Object> endpointConfigRequest(String name, String model) {
    Map<String, Object> variant = new LinkedHashMap<>();
    variant.put("VariantName", "AllTraffic");
    variant.put("ModelName", model);
    variant.put("InitialInstanceCount", 1);
    variant.put("InstanceType", "ml.m5.large");
    variant.put("InitialVariantWeight", 1.0);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("EndpointConfigName", name);
    r.put("ProductionVariants", List.of(variant));
    return r;
  }

  static Map<String, Object> endpointRequest(String name, String config) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("EndpointName", name);
    r.put("EndpointConfigName", config);
    return r;
  }

  private static KubeObject object(String kind, String ns, String name, ObjectNode spec) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", GROUP_VERSION);
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    meta.putArray("finalizers").add(FINALIZER);
    o.set("spec", spec);
    return KubeObject.of(o);
  }
}
