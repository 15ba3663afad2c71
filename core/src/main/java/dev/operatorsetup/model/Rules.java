package dev.operatorsetup.model;

import dev.operatorsetup.InvalidConfigurationException;
import java.util.regex.Pattern;

/** The AWS and Kubernetes naming rules every value checks on construction. */
public final class Rules {
  public static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
  public static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
  public static final Pattern IAM_PATH = Pattern.compile("/|/[\\u0021-\\u007E]{1,510}/");
  public static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
  public static final Pattern REGION =
      Pattern.compile("(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-[a-z]+-\\d{1,2}");
  public static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  public static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  public static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  public static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
  public static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
  public static final Pattern THUMBPRINT = Pattern.compile("[0-9a-fA-F]{40}");
  public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  public static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._\\-/:@]*[A-Za-z0-9_]");

  private Rules() {}

  /** Throws unless {@code value} matches {@code pattern}. */
  public static String require(
      String field, String value, Pattern pattern, String rule, String fix) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new InvalidConfigurationException(field, value, rule, fix);
    }
    return value;
  }

  public static String roleName(String field, String value) {
    return require(
        field,
        value,
        ROLE_NAME,
        "an IAM role name is 1 to 64 characters of letters, digits and + = , . @ _ -",
        "choose a name such as eks-sagemaker-operator (.withRole(...) or --role)");
  }

  public static String clusterName(String value) {
    return require(
        "cluster name",
        value,
        CLUSTER_NAME,
        "an EKS cluster name starts with a letter or digit and has at most 100 letters, digits,"
            + " - and _",
        "pass the name shown by 'aws eks list-clusters' (OperatorSetup.forCluster(...) or"
            + " --cluster)");
  }

  public static String region(String value) {
    if (value != null && value.startsWith("us-iso")) {
      throw new InvalidConfigurationException(
          "region",
          value,
          "the ISO partitions are not supported",
          "use a region of the aws, aws-cn or aws-us-gov partition");
    }
    return require(
        "region",
        value,
        REGION,
        "a region looks like us-east-1, cn-northwest-1 or us-gov-west-1",
        "pass the cluster's region (.inRegion(...) or --region)");
  }

  public static String namespace(String field, String value) {
    return require(
        field,
        value,
        DNS1123_LABEL,
        "a Kubernetes namespace is a DNS-1123 label: at most 63 lower-case letters, digits and -,"
            + " starting and ending with a letter or digit",
        "use a name such as sagemaker-k8s-operator-system");
  }

  public static String objectName(String field, String value) {
    if (value != null && value.length() > 253) {
      throw new InvalidConfigurationException(
          field,
          value,
          "a Kubernetes object name has at most 253 characters",
          "use a shorter name such as sagemaker-k8s-operator-default");
    }
    return require(
        field,
        value,
        DNS1123_SUBDOMAIN,
        "a Kubernetes object name is a DNS-1123 subdomain: lower-case letters, digits, - and .,"
            + " starting and ending with a letter or digit",
        "use a name such as sagemaker-k8s-operator-default");
  }

  public static String account(String field, String value) {
    return require(
        field,
        value,
        ACCOUNT,
        "an AWS account id is exactly 12 digits",
        "use the id printed by 'aws sts get-caller-identity'");
  }
}
