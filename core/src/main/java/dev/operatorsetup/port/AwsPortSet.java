package dev.operatorsetup.port;

/**
 * {@link AwsServices} made of six given ports, for wrappers and fakes; closing it closes nothing.
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
    Thumbprints thumbprints)
    implements AwsServices {
  @Override
  public String toString() {
    return name;
  }
}
