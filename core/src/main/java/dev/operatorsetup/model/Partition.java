package dev.operatorsetup.model;

import dev.operatorsetup.InvalidConfigurationException;

/** An AWS partition, which every ARN and DNS name this library builds must follow. */
public enum Partition {
  AWS("aws", "amazonaws.com", "us-east-1"),
  AWS_CN("aws-cn", "amazonaws.com.cn", "cn-north-1"),
  AWS_US_GOV("aws-us-gov", "amazonaws.com", "us-gov-west-1");

  private final String id;
  private final String dnsSuffix;
  private final String globalRegion;

  Partition(String id, String dnsSuffix, String globalRegion) {
    this.id = id;
    this.dnsSuffix = dnsSuffix;
    this.globalRegion = globalRegion;
  }

  /** Returns the partition as it appears in ARNs: {@code aws}, {@code aws-cn}, ... */
  public String id() {
    return id;
  }

  /** Returns the DNS suffix of service endpoints in this partition. */
  public String dnsSuffix() {
    return dnsSuffix;
  }

  /** Returns the region that signs requests to IAM, a global service, in this partition. */
  public String globalRegion() {
    return globalRegion;
  }

  /** Returns the partition a region belongs to. */
  public static Partition ofRegion(String region) {
    Rules.region(region);
    if (region.startsWith("cn-")) {
      return AWS_CN;
    }
    if (region.startsWith("us-gov-")) {
      return AWS_US_GOV;
    }
    return AWS;
  }

  /** Returns the partition with this ARN id. */
  public static Partition ofId(String id) {
    for (Partition p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new InvalidConfigurationException(
        "partition",
        id,
        "the partition must be one of aws, aws-cn, aws-us-gov",
        "use an ARN of the cluster's partition");
  }
}
