package dev.operatorsetup.bench;

import dev.operatorsetup.port.AwsPortSet;
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
final class MeteredAws {
  private MeteredAws() {}

  /** The ports of {@code delegate}, each call timed on {@code timeline}. */
  static AwsServices of(AwsServices delegate, Timeline timeline) {
    return new AwsPortSet(
        "metered " + delegate,
        proxy(timeline, CallerIdentity.class, delegate.callerIdentity(), "callerIdentity"),
        proxy(timeline, Clusters.class, delegate.clusters(), "clusters"),
        proxy(timeline, OidcProviders.class, delegate.oidcProviders(), "oidcProviders"),
        proxy(timeline, Roles.class, delegate.roles(), "roles"),
        proxy(timeline, Policies.class, delegate.policies(), "policies"),
        proxy(timeline, Thumbprints.class, delegate.thumbprints(), "thumbprints"));
  }

  private static <T> T proxy(Timeline timeline, Class<T> type, T target, String port) {
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
}
