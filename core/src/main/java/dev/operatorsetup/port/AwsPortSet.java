package dev.operatorsetup.port;

/**
 * {@link AwsServices} made of the given ports, for wrappers and fakes; closing it closes nothing.
 *
 * @param name what {@link #toString()} returns, e.g. {@code InMemoryAws.services(us-west-2)}
 */
public record AwsPortSet(
    String name,
    CallerIdentity callerIdentity,
    Clusters clusters,
    OidcProviders oidcProviders,
    Roles roles,
    Policies policies,
    Thumbprints thumbprints,
    SageMakerResources sageMaker)
    implements AwsServices {
  /** Six ports and no SageMaker. */
  public AwsPortSet(
      String name,
      CallerIdentity callerIdentity,
      Clusters clusters,
      OidcProviders oidcProviders,
      Roles roles,
      Policies policies,
      Thumbprints thumbprints) {
    this(
        name,
        callerIdentity,
        clusters,
        oidcProviders,
        roles,
        policies,
        thumbprints,
        SageMakerResources.unavailable(name + " has no SageMaker port"));
  }

  @Override
  public String toString() {
    return name;
  }
}
