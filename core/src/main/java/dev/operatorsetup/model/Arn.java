package dev.operatorsetup.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.operatorsetup.InvalidConfigurationException;
import java.util.Objects;

/**
 * An Amazon Resource Name, parsed and checked: {@code
 * arn:partition:service:region:account:resource}.
 */
public final class Arn {
  private final Partition partition;
  private final String service;
  private final String region;
  private final String account;
  private final String resource;

  private Arn(Partition partition, String service, String region, String account, String resource) {
    this.partition = partition;
    this.service = service;
    this.region = region;
    this.account = account;
    this.resource = resource;
  }

  /** Builds an ARN from its parts. */
  public static Arn of(
      Partition partition, String service, String region, String account, String resource) {
    return new Arn(partition, service, region, account, resource);
  }

  /**
   * Parses an ARN.
   *
   * @param field the input's name for the error message, e.g. {@code policy ARN}
   * @throws InvalidConfigurationException if the text is not an ARN of a known partition
   */
  public static Arn parse(String field, String text) {
    if (text == null || !text.startsWith("arn:")) {
      throw new InvalidConfigurationException(
          field,
          text,
          "an ARN has the form arn:<partition>:<service>:<region>:<account>:<resource>",
          "copy the full ARN, e.g. arn:aws:iam::aws:policy/AmazonSageMakerFullAccess");
    }
    String[] parts = text.split(":", 6);
    if (parts.length != 6 || parts[2].isEmpty() || parts[5].isEmpty()) {
      throw new InvalidConfigurationException(
          field,
          text,
          "an ARN has six ':'-separated parts and a non-empty service and resource",
          "copy the full ARN, e.g. arn:aws:iam::aws:policy/AmazonSageMakerFullAccess");
    }
    Partition partition;
    try {
      partition = Partition.ofId(parts[1]);
    } catch (InvalidConfigurationException e) {
      throw new InvalidConfigurationException(
          field,
          text,
          "its partition '" + parts[1] + "' is not one of aws, aws-cn, aws-us-gov",
          "use the ARN of the cluster's partition");
    }
    if (!parts[4].isEmpty()
        && !parts[4].equals("aws")
        && !Rules.ACCOUNT.matcher(parts[4]).matches()) {
      throw new InvalidConfigurationException(
          field,
          text,
          "its account '" + parts[4] + "' is not 12 digits",
          "copy the full ARN, with the account id of 12 digits");
    }
    return new Arn(partition, parts[2], parts[3], parts[4], parts[5]);
  }

  /**
   * Parses the ARN of an IAM managed policy: {@code
   * arn:<p>:iam::<account|aws>:policy/<path><name>}.
   */
  public static Arn parsePolicy(String field, String text) {
    Arn arn = parse(field, text);
    if (!arn.service.equals("iam")
        || !arn.resource.startsWith("policy/")
        || arn.account.isEmpty()
        || !arn.region.isEmpty()
        || !Rules.POLICY_NAME.matcher(arn.resourceName()).matches()) {
      throw new InvalidConfigurationException(
          field,
          text,
          "it is not the ARN of an IAM managed policy (arn:<partition>:iam::<account or aws>:policy/<name>)",
          "use e.g. arn:" + arn.partition.id() + ":iam::aws:policy/AmazonSageMakerFullAccess");
    }
    return arn;
  }

  /** Parses the ARN of an IAM role: {@code arn:<p>:iam::<account>:role/<path><name>}. */
  public static Arn parseRole(String field, String text) {
    Arn arn = parse(field, text);
    if (!arn.service.equals("iam")
        || !arn.resource.startsWith("role/")
        || !Rules.ACCOUNT.matcher(arn.account).matches()
        || !Rules.ROLE_NAME.matcher(arn.resourceName()).matches()) {
      throw new InvalidConfigurationException(
          field,
          text,
          "it is not the ARN of an IAM role (arn:<partition>:iam::<account>:role/<name>)",
          "use the Arn printed by 'aws iam get-role'");
    }
    return arn;
  }

  public Partition partition() {
    return partition;
  }

  public String service() {
    return service;
  }

  public String region() {
    return region;
  }

  public String account() {
    return account;
  }

  /** Returns the resource part, e.g. {@code role/path/name}. */
  public String resource() {
    return resource;
  }

  /** Returns the last '/'-separated segment of the resource: the role's or policy's name. */
  public String resourceName() {
    int slash = resource.lastIndexOf('/');
    return slash < 0 ? resource : resource.substring(slash + 1);
  }

  @JsonValue
  @Override
  public String toString() {
    return "arn:" + partition.id() + ":" + service + ":" + region + ":" + account + ":" + resource;
  }

  @JsonCreator
  static Arn fromJson(String text) {
    return parse("ARN", text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Arn other && other.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toString());
  }
}
