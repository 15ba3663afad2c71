package dev.operatorsetup.bench;

import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.port.Thumbprints;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Times every call the engine makes through the AWS ports (e.g. {@code roles.find}) on a {@link
 * Timeline}, by wrapping each port in a proxy; the AWS API calls behind a port call are counted by
 * {@link AwsCallLog}. Never closes the services it wraps.
 */
final class MeteredAws implements AwsServices {
  private final AwsServices delegate;
  private final Timeline timeline;
  private final CallerIdentity callerIdentity;
  private final Clusters clusters;
  private final OidcProviders oidcProviders;
  private final Roles roles;
  private final Policies policies;
  private final Thumbprints thumbprints;

  MeteredAws(AwsServices delegate, Timeline timeline) {
    this.delegate = delegate;
    this.timeline = timeline;
    this.callerIdentity = proxy(CallerIdentity.class, delegate.callerIdentity(), "callerIdentity");
    this.clusters = proxy(Clusters.class, delegate.clusters(), "clusters");
    this.oidcProviders = proxy(OidcProviders.class, delegate.oidcProviders(), "oidcProviders");
    this.roles = proxy(Roles.class, delegate.roles(), "roles");
    this.policies = proxy(Policies.class, delegate.policies(), "policies");
    this.thumbprints = proxy(Thumbprints.class, delegate.thumbprints(), "thumbprints");
  }

  private <T> T proxy(Class<T> type, T target, String port) {
    Object p =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
              }
              long start = System.nanoTime();
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                timeline.add("AWS " + port + "." + method.getName(), start, System.nanoTime());
              }
            });
    return type.cast(p);
  }

  AwsServices delegate() {
    return delegate;
  }

  @Override
  public CallerIdentity callerIdentity() {
    return callerIdentity;
  }

  @Override
  public Clusters clusters() {
    return clusters;
  }

  @Override
  public OidcProviders oidcProviders() {
    return oidcProviders;
  }

  @Override
  public Roles roles() {
    return roles;
  }

  @Override
  public Policies policies() {
    return policies;
  }

  @Override
  public Thumbprints thumbprints() {
    return thumbprints;
  }
}
