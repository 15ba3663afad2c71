package dev.operatorsetup.spi;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach AWS: the cluster's region, and optionally one endpoint for STS, EKS and IAM (an
 * emulator) and a named credentials profile.
 */
public record AwsSettings(String region, Optional<URI> endpoint, Optional<String> profile) {
  public AwsSettings {
    java.util.Objects.requireNonNull(region, "region");
    java.util.Objects.requireNonNull(endpoint, "endpoint");
    java.util.Objects.requireNonNull(profile, "profile");
  }

  public static AwsSettings of(String region) {
    return new AwsSettings(region, Optional.empty(), Optional.empty());
  }
}
