package dev.operatorsetup.spi;

import dev.operatorsetup.port.AwsServices;

/**
 * Creates the AWS ports when none are passed in; found with {@link java.util.ServiceLoader}. The
 * {@code aws} module provides one.
 */
public interface AwsServicesProvider {
  AwsServices create(AwsSettings settings);
}
