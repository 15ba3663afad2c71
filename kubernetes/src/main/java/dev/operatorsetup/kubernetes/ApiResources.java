package dev.operatorsetup.kubernetes;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.ServerInfo;
import io.kubernetes.client.Discovery;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Discovery: the server's version and group versions, and kinds mapped to resources (cached). */
final class ApiResources {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.KUBERNETES);

  /** How long to wait before looking a kind up again that discovery did not list yet. */
  private static final long KIND_WAIT_MS = 250;

  private final ApiCalls calls;
  private final Map<String, Map<String, Resource>> resources = new ConcurrentHashMap<>();

  /** One kind as discovery reports it. */
  record Resource(String group, String version, String kind, String plural, boolean namespaced) {
    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** Returns the namespace of an object of this kind: null if cluster-scoped. */
    String namespace(String requested) {
      if (!namespaced) {
        return null;
      }
      return requested == null || requested.isEmpty() ? "default" : requested;
    }
  }

  ApiResources(ApiCalls calls) {
    this.calls = calls;
  }

  ServerInfo serverInfo() {
    String version =
        calls
            .discovery(
                "read",
                "the server version",
                () -> new VersionApi(calls.client()).getCode().execute())
            .getGitVersion();
    Set<String> groupVersions = new TreeSet<>();
    Discovery discovery = new Discovery(calls.client());
    groupVersions.addAll(
        Optional.ofNullable(
                calls.discovery("discover", "/api", discovery::legacyCoreApi).getVersions())
            .orElse(List.of()));
    for (V1APIGroup g :
        Optional.ofNullable(
                calls
                    .discovery("discover", "/apis", () -> discovery.groupDiscovery("/apis"))
                    .getGroups())
            .orElse(List.of())) {
      for (V1GroupVersionForDiscovery v : g.getVersions()) {
        groupVersions.add(v.getGroupVersion());
      }
    }
    LOG.debug(
        "kubernetes call=serverInfo gitVersion={} groupVersions={}", version, groupVersions.size());
    return new ServerInfo.Builder().gitVersion(version).groupVersions(groupVersions).build();
  }

  /**
   * Returns the resource of a kind, or null if the server does not serve it. A kind missing from
   * the cache is looked up again (up to {@code waits} more times, 250 ms apart: a new CRD's kind
   * can reach discovery a moment after it became Established). That is a wait for discovery, not a
   * retry: a failed discovery call fails this at once.
   */
  Resource resource(String apiVersion, String kind, int waits) {
    Map<String, Resource> known = resources.get(apiVersion);
    if (known != null && known.containsKey(kind)) {
      return known.get(kind);
    }
    for (int i = 0; i <= waits; i++) {
      if (i > 0) {
        Waits.sleep(KIND_WAIT_MS, "discovery of " + apiVersion);
      }
      known = discover(apiVersion);
      resources.put(apiVersion, known);
      if (known.containsKey(kind)) {
        return known.get(kind);
      }
    }
    return null;
  }

  /** Forgets what discovery said about a group version (e.g. its CRD was deleted). */
  void forget(String apiVersion) {
    resources.remove(apiVersion);
  }

  private Map<String, Resource> discover(String apiVersion) {
    String path = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    V1APIResourceList list;
    try {
      list =
          calls.discovery(
              "discover", path, () -> new Discovery(calls.client()).resourceDiscovery(path));
    } catch (ResourceNotFoundException notServed) {
      LOG.debug("kubernetes call=discover groupVersion={} served=false", apiVersion);
      return Map.of();
    }
    Map<String, Resource> kinds = new LinkedHashMap<>();
    for (V1APIResource r : Optional.ofNullable(list.getResources()).orElse(List.of())) {
      if (!r.getName().contains("/")) {
        kinds.put(
            r.getKind(),
            new Resource(
                group, version, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced())));
      }
    }
    LOG.debug("kubernetes call=discover groupVersion={} kinds={}", apiVersion, kinds.size());
    return kinds;
  }
}
