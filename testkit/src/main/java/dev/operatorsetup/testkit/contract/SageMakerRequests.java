package dev.operatorsetup.testkit.contract;

/**
 * SageMaker {@code Create*} requests for {@link SageMakerResourcesContract}, as SageMaker's API
 * reference has them, with the fields a migration reads.
 */
final class SageMakerRequests {
  static final String ROLE = "arn:aws:iam::111122223333:role/SageMakerExecution";
  static final String IMAGE = "111122223333.dkr.ecr.us-west-2.amazonaws.com/xgboost:1.7-1";

  private SageMakerRequests() {}

  static String trainingJob(String name) {
    return """
        {"TrainingJobName": "%s",
         "AlgorithmSpecification": {"TrainingImage": "%s", "TrainingInputMode": "File"},
         "RoleArn": "%s",
         "HyperParameters": {"max_depth": "5", "num_round": "10"},
         "InputDataConfig": [{"ChannelName": "train", "ContentType": "text/csv",
           "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
             "S3Uri": "s3://example-bucket/train/", "S3DataDistributionType": "FullyReplicated"}}}],
         "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output/"},
         "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 5},
         "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
        """
        .formatted(name, IMAGE, ROLE);
  }

  static String tuningJob(String name) {
    return """
        {"HyperParameterTuningJobName": "%s",
         "HyperParameterTuningJobConfig": {"Strategy": "Bayesian",
           "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:auc"},
           "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2},
           "ParameterRanges": {"IntegerParameterRanges": [
             {"Name": "max_depth", "MinValue": "1", "MaxValue": "10", "ScalingType": "Auto"}]}},
         "TrainingJobDefinition": {"StaticHyperParameters": {"num_round": "10"},
           "AlgorithmSpecification": {"TrainingImage": "%s", "TrainingInputMode": "File"},
           "RoleArn": "%s",
           "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/tuning/"},
           "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1,
             "VolumeSizeInGB": 5},
           "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}
        """
        .formatted(name, IMAGE, ROLE);
  }

  static String transformJob(String name, String model) {
    return """
        {"TransformJobName": "%s", "ModelName": "%s",
         "TransformInput": {"ContentType": "text/csv", "SplitType": "Line",
           "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
             "S3Uri": "s3://example-bucket/batch/"}}},
         "TransformOutput": {"S3OutputPath": "s3://example-bucket/batch-out/"},
         "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1}}
        """
        .formatted(name, model);
  }

  static String processingJob(String name) {
    return """
        {"ProcessingJobName": "%s",
         "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1,
           "InstanceType": "ml.m5.large", "VolumeSizeInGB": 5}},
         "AppSpecification": {"ImageUri": "%s",
           "ContainerEntrypoint": ["python3", "/opt/ml/processing/code/run.py"]},
         "RoleArn": "%s",
         "ProcessingInputs": [{"InputName": "raw", "S3Input": {
           "S3Uri": "s3://example-bucket/raw/", "LocalPath": "/opt/ml/processing/input",
           "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
         "ProcessingOutputConfig": {"Outputs": [{"OutputName": "processed", "S3Output": {
           "S3Uri": "s3://example-bucket/processed/", "LocalPath": "/opt/ml/processing/output",
           "S3UploadMode": "EndOfJob"}}]},
         "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
        """
        .formatted(name, IMAGE, ROLE);
  }

  static String model(String name) {
    return """
        {"ModelName": "%s", "ExecutionRoleArn": "%s",
         "PrimaryContainer": {"Image": "%s",
           "ModelDataUrl": "s3://example-bucket/output/model.tar.gz",
           "Environment": {"SAGEMAKER_PROGRAM": "inference.py"}}}
        """
        .formatted(name, ROLE, IMAGE);
  }

  static String endpointConfig(String name, String model) {
    return """
        {"EndpointConfigName": "%s",
         "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": "%s",
           "InitialInstanceCount": 1, "InstanceType": "ml.m5.large",
           "InitialVariantWeight": 1.0}]}
        """
        .formatted(name, model);
  }

  static String endpoint(String name, String config) {
    return """
        {"EndpointName": "%s", "EndpointConfigName": "%s"}
        """
        .formatted(name, config);
  }
}
