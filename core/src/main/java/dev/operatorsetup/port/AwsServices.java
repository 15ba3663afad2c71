package dev.operatorsetup.port;

/**
 * The AWS ports of one region, with the clients behind them. Closing it closes the clients it
 * created, never clients passed in.
 */
public interface AwsServices extends AutoCloseable {
  CallerIdentity callerIdentity();

  Clusters clusters();

  OidcProviders oidcProviders();

  Roles roles();

  Policies policies();

  /** Returns the thumbprint of the top certificate of the issuer's TLS chain (SHA-1, hex). */
  Thumbprints thumbprints();

  /** SageMaker, read only (Describe calls), for the migration from the legacy operator. */
  default SageMakerResources sageMaker() {
    return SageMakerResources.unavailable(getClass().getName() + " has no SageMaker port");
  }

  @Override
  default void close() {}
}
