package dev.operatorsetup.aws;

import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.spi.AwsServicesProvider;
import dev.operatorsetup.spi.AwsSettings;

/**
 * Provides {@link AwsPorts} to {@link java.util.ServiceLoader}, so {@code OperatorSetup} finds the
 * AWS adapters when this module is on the class path. Credentials come from the settings' profile
 * or the SDK's default chain.
 */
public final class SdkAwsServicesProvider implements AwsServicesProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public SdkAwsServicesProvider() {}

  @Override
  public AwsServices create(AwsSettings settings) {
    return AwsPorts.create(settings);
  }
}
