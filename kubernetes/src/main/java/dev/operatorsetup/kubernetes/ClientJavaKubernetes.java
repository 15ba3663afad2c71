package dev.operatorsetup.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonObject;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import dev.operatorsetup.port.Kubernetes;
import io.kubernetes.client.Discovery;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.DeleteOptions;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Kubernetes} port over the official Java client: discovery (cached per group version)
 * maps kinds to resources, applies are server-side applies ({@code PATCH} with {@code
 * application/apply-patch+yaml}, {@code fieldManager}, {@code force}), and waits poll with a
 * bounded backoff. Throttling and server errors are retried a few times; every other error Status
 * becomes one of this library's exceptions with the server's message.
 */
final class ClientJavaKubernetes implements Kubernetes {
  private static final Logger LOG = LoggerFactory.getLogger(ClientJavaKubernetes.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  private static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";
  private static final int ATTEMPTS = 5;
  private static final long FIRST_BACKOFF_MS = 200;
  private static final long MAX_POLL_MS = 2000;

  /**
   * The first pause of a wait. Short, because a CRD is Established and a one-replica Deployment on
   * a healthy cluster rolls out within a few hundred milliseconds; the pause grows by half each
   * time up to {@link #MAX_POLL_MS}, so a long wait still polls every 2 seconds.
   */
  private static final long FIRST_POLL_MS = 25;

  private final ApiClient client;
  private final boolean ownsClient;
  private final Map<String, Map<String, Resource>> resources = new ConcurrentHashMap<>();

  /** One kind as discovery reports it. */
  record Resource(String group, String version, String kind, String plural, boolean namespaced) {
    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  @FunctionalInterface
  private interface ApiCall<T> {
    T call() throws ApiException;
  }

  ClientJavaKubernetes(ApiClient client, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
  }

  // ---------------------------------------------------------------------------------------------
  // Kubernetes

  @Override
  public ServerInfo serverInfo() {
    String version =
        discoveryCall(
                "read", "the server version", () -> new VersionApi(client).getCode().execute())
            .getGitVersion();
    Set<String> groupVersions = new TreeSet<>();
    Discovery discovery = new Discovery(client);
    groupVersions.addAll(
        Optional.ofNullable(
                discoveryCall("discover", "/api", discovery::legacyCoreApi).getVersions())
            .orElse(List.of()));
    for (V1APIGroup g :
        Optional.ofNullable(
                discoveryCall("discover", "/apis", () -> discovery.groupDiscovery("/apis"))
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

  @Override
  public KubeObject apply(KubeObject object, String fieldManager, boolean force) {
    Objects.requireNonNull(object, "object");
    if (fieldManager == null || fieldManager.isBlank()) {
      throw new InvalidConfigurationException(
          "field manager",
          fieldManager,
          "server-side apply needs a field manager",
          "pass a field manager name such as operator-setup");
    }
    Resource r = resource(object.apiVersion(), object.kind(), 3);
    if (r == null) {
      throw noMatches(object.ref());
    }
    ObjectNode body = object.json();
    ObjectNode meta = (ObjectNode) body.get("metadata");
    String ns = namespace(r, object.namespace().orElse(null));
    if (ns == null) {
      meta.remove("namespace");
    } else {
      meta.put("namespace", ns);
    }
    String what = display(r.kind(), ns, object.name());
    PatchOptions options = new PatchOptions().fieldManager(fieldManager);
    if (force) {
      options.force(true);
    }
    V1Patch patch = new V1Patch(body.toString());
    DynamicKubernetesApi api = api(r);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        send(
            "apply",
            what,
            () ->
                ns == null
                    ? api.patch(object.name(), V1Patch.PATCH_FORMAT_APPLY_YAML, patch, options)
                    : api.patch(
                        ns, object.name(), V1Patch.PATCH_FORMAT_APPLY_YAML, patch, options));
    if (!response.isSuccess()) {
      if (response.getHttpStatusCode() == 404 && !message(response).contains("namespaces \"")) {
        resources.remove(r.apiVersion());
      }
      throw failure(response, "apply", what, r.plural());
    }
    KubeObject stored = toKubeObject(response.getObject().getRaw(), r);
    LOG.debug(
        "kubernetes applied object=\"{}\" fieldManager={} force={} resourceVersion={} generation={}",
        what,
        fieldManager,
        force,
        stored.at("/metadata/resourceVersion").asText(),
        stored.at("/metadata/generation").asText(""));
    return stored;
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    Resource r = resource(ref.apiVersion(), ref.kind(), 0);
    if (r == null) {
      return Optional.empty();
    }
    String ns = namespace(r, ref.namespace().orElse(null));
    String what = display(r.kind(), ns, ref.name());
    DynamicKubernetesApi api = api(r);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        send("get", what, () -> ns == null ? api.get(ref.name()) : api.get(ns, ref.name()));
    if (response.getHttpStatusCode() == 404) {
      return Optional.empty();
    }
    if (!response.isSuccess()) {
      throw failure(response, "get", what, r.plural());
    }
    return Optional.of(toKubeObject(response.getObject().getRaw(), r));
  }

  @Override
  public boolean delete(ObjectRef ref) {
    Resource r = resource(ref.apiVersion(), ref.kind(), 0);
    if (r == null) {
      return false;
    }
    String ns = namespace(r, ref.namespace().orElse(null));
    String what = display(r.kind(), ns, ref.name());
    DeleteOptions options = new DeleteOptions();
    options.setPropagationPolicy("Background");
    DynamicKubernetesApi api = api(r);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        send(
            "delete",
            what,
            () ->
                ns == null ? api.delete(ref.name(), options) : api.delete(ns, ref.name(), options));
    if (response.getHttpStatusCode() == 404) {
      return false;
    }
    if (!response.isSuccess()) {
      throw failure(response, "delete", what, r.plural());
    }
    LOG.debug("kubernetes deleted object=\"{}\"", what);
    return true;
  }

  @Override
  public void awaitDeleted(ObjectRef ref, Duration timeout) {
    poll(
        ref.display() + " to be deleted",
        timeout,
        () -> {
          Optional<KubeObject> live = get(ref);
          if (live.isEmpty()) {
            return null;
          }
          KubeObject o = live.get();
          if (!o.at("/metadata/deletionTimestamp").isTextual()) {
            return "it still exists and is not being deleted";
          }
          StringBuilder b =
              new StringBuilder("deletion started at ")
                  .append(o.at("/metadata/deletionTimestamp").asText())
                  .append(", finalizers ")
                  .append(o.at("/metadata/finalizers"));
          for (JsonNode c : o.at("/status/conditions")) {
            if ("True".equals(c.path("status").asText()) && c.has("message")) {
              b.append("; ")
                  .append(c.path("type").asText())
                  .append(": ")
                  .append(c.path("message").asText());
            }
          }
          return b.toString();
        },
        null);
  }

  @Override
  public void awaitCrdEstablished(String crdName, Duration timeout) {
    ObjectRef ref = ObjectRef.of(CRD_API_VERSION, "CustomResourceDefinition", null, crdName);
    poll(
        "CustomResourceDefinition " + crdName + " to become Established",
        timeout,
        () -> {
          Optional<KubeObject> crd = get(ref);
          if (crd.isEmpty()) {
            return "it does not exist";
          }
          if ("True".equals(conditionStatus(crd.get(), "Established"))) {
            return null;
          }
          return "conditions " + crd.get().at("/status/conditions");
        },
        null);
  }

  @Override
  public void awaitRollout(String namespace, String name, Duration timeout) {
    ObjectRef ref = ObjectRef.of("apps/v1", "Deployment", namespace, name);
    poll(
        "Deployment " + namespace + "/" + name + " to roll out",
        timeout,
        () -> {
          Optional<KubeObject> d = get(ref);
          if (d.isEmpty()) {
            return "it does not exist";
          }
          String pending = rolloutPending(d.get().json());
          if (pending != null) {
            for (JsonNode c : d.get().at("/status/conditions")) {
              // ReplicaFailure: the ReplicaSet cannot create pods (quota, admission, limits)
              if ("ProgressDeadlineExceeded".equals(c.path("reason").asText())
                  || ("ReplicaFailure".equals(c.path("type").asText())
                      && "True".equals(c.path("status").asText()))) {
                pending += "; " + c.path("message").asText();
              }
            }
          }
          return pending;
        },
        last -> last + podProblems(namespace, ref));
  }

  @Override
  public void restartDeployment(String namespace, String name, String fieldManager) {
    Resource r = resource("apps/v1", "Deployment", 0);
    String what = display("Deployment", namespace, name);
    if (r == null) {
      throw new ResourceNotFoundException(
          "Cannot restart " + what + ": the server does not serve apps/v1 Deployments.");
    }
    ObjectNode patch = JSON.objectNode();
    patch
        .putObject("spec")
        .putObject("template")
        .putObject("metadata")
        .putObject("annotations")
        .put(RESTARTED_AT, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    PatchOptions options = new PatchOptions().fieldManager(fieldManager);
    DynamicKubernetesApi api = api(r);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        send(
            "restart",
            what,
            () ->
                api.patch(
                    namespace,
                    name,
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                    new V1Patch(patch.toString()),
                    options));
    if (response.getHttpStatusCode() == 404) {
      throw new ResourceNotFoundException(
          "Cannot restart " + what + ": it does not exist. Fix: apply the Deployment first.");
    }
    if (!response.isSuccess()) {
      throw failure(response, "restart", what, r.plural());
    }
    LOG.debug("kubernetes restarted object=\"{}\" fieldManager={}", what, fieldManager);
  }

  @Override
  public List<KubeObject> listCustomResources(String crdName) {
    Optional<KubeObject> crd =
        get(ObjectRef.of(CRD_API_VERSION, "CustomResourceDefinition", null, crdName));
    if (crd.isEmpty()) {
      return List.of();
    }
    JsonNode spec = crd.get().at("/spec");
    String version = null;
    for (JsonNode v : spec.path("versions")) {
      if (v.path("served").asBoolean(false)
          && (version == null || v.path("storage").asBoolean(false))) {
        version = v.path("name").asText();
      }
    }
    if (version == null) {
      return List.of();
    }
    Resource r =
        new Resource(
            spec.path("group").asText(),
            version,
            spec.path("names").path("kind").asText(),
            spec.path("names").path("plural").asText(),
            !"Cluster".equals(spec.path("scope").asText()));
    List<KubeObject> out = list(r, null, null, "list custom resources of " + crdName);
    out.sort(
        Comparator.comparing((KubeObject o) -> o.namespace().orElse(""))
            .thenComparing(KubeObject::name));
    return out;
  }

  @Override
  public boolean removeFinalizers(ObjectRef ref) {
    Resource r = resource(ref.apiVersion(), ref.kind(), 0);
    if (r == null) {
      return false;
    }
    String ns = namespace(r, ref.namespace().orElse(null));
    String what = display(r.kind(), ns, ref.name());
    V1Patch patch = new V1Patch("{\"metadata\":{\"finalizers\":null}}");
    PatchOptions options = new PatchOptions();
    DynamicKubernetesApi api = api(r);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        send(
            "remove the finalizers of",
            what,
            () ->
                ns == null
                    ? api.patch(ref.name(), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, patch, options)
                    : api.patch(
                        ns, ref.name(), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, patch, options));
    if (response.getHttpStatusCode() == 404) {
      return false;
    }
    if (!response.isSuccess()) {
      throw failure(response, "remove the finalizers of", what, r.plural());
    }
    LOG.debug("kubernetes removed finalizers object=\"{}\"", what);
    return true;
  }

  @Override
  public List<KubeObject> listPods(String namespace, Map<String, String> selector) {
    Resource pods = new Resource("", "v1", "Pod", "pods", true);
    String labelSelector =
        selector.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    List<KubeObject> out = list(pods, namespace, labelSelector, "list pods in " + namespace);
    out.sort(Comparator.comparing(KubeObject::name));
    return out;
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.getHttpClient().dispatcher().executorService().shutdown();
      client.getHttpClient().connectionPool().evictAll();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // discovery

  /**
   * Returns the resource of a kind, or null if the server does not serve it. A kind missing from
   * the cache is looked up again (up to {@code retries} more times, 250 ms apart: a new CRD's kind
   * can reach discovery a moment after it became Established).
   */
  private Resource resource(String apiVersion, String kind, int retries) {
    Map<String, Resource> known = resources.get(apiVersion);
    if (known != null && known.containsKey(kind)) {
      return known.get(kind);
    }
    for (int i = 0; i <= retries; i++) {
      if (i > 0) {
        sleep(250, "discovery of " + apiVersion);
      }
      known = discover(apiVersion);
      resources.put(apiVersion, known);
      if (known.containsKey(kind)) {
        return known.get(kind);
      }
    }
    return null;
  }

  private Map<String, Resource> discover(String apiVersion) {
    String path = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    V1APIResourceList list;
    try {
      list = discoveryCall("discover", path, () -> new Discovery(client).resourceDiscovery(path));
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

  private static ResourceNotFoundException noMatches(ObjectRef ref) {
    return ResourceNotFoundException.noMatchesForKind(ref);
  }

  // ---------------------------------------------------------------------------------------------
  // calls

  private DynamicKubernetesApi api(Resource r) {
    return new DynamicKubernetesApi(r.group(), r.version(), r.plural(), client);
  }

  private static String namespace(Resource r, String requested) {
    if (!r.namespaced()) {
      return null;
    }
    return requested == null || requested.isEmpty() ? "default" : requested;
  }

  private static String display(String kind, String ns, String name) {
    return kind + " " + (ns == null ? "" : ns + "/") + name;
  }

  private List<KubeObject> list(Resource r, String namespace, String labelSelector, String what) {
    DynamicKubernetesApi api = api(r);
    List<KubeObject> out = new ArrayList<>();
    String token = null;
    do {
      ListOptions options = new ListOptions().limit(500);
      if (token != null) {
        options._continue(token);
      }
      if (labelSelector != null && !labelSelector.isEmpty()) {
        options.labelSelector(labelSelector);
      }
      KubernetesApiResponse<DynamicKubernetesListObject> response =
          send(
              "list",
              what,
              () -> namespace == null ? api.list(options) : api.list(namespace, options));
      if (response.getHttpStatusCode() == 404) {
        return out;
      }
      if (!response.isSuccess()) {
        throw failure(response, "list", what, r.plural());
      }
      DynamicKubernetesListObject page = response.getObject();
      for (DynamicKubernetesObject item : Optional.ofNullable(page.getItems()).orElse(List.of())) {
        out.add(toKubeObject(item.getRaw(), r));
      }
      token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    LOG.debug("kubernetes call=list what=\"{}\" items={}", what, out.size());
    return out;
  }

  /**
   * Makes a call, again after a backoff while it is throttled, fails on the server side or does not
   * reach the server; returns the last response.
   */
  private <T extends io.kubernetes.client.common.KubernetesType> KubernetesApiResponse<T> send(
      String verb, String what, Supplier<KubernetesApiResponse<T>> call) {
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      KubernetesApiResponse<T> response;
      try {
        response = call.get();
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof IOException)
            || attempt >= ATTEMPTS
            || interrupted()
            || ApiErrors.isTlsFailure(e.getCause())) {
          throw ApiErrors.unreachable(
              verb, what, client.getBasePath(), e.getCause() == null ? e : e.getCause());
        }
        LOG.debug(
            "kubernetes call={} what=\"{}\" attempt={} error={}",
            verb,
            what,
            attempt,
            e.getCause().toString());
        sleep(backoff, verb + " " + what);
        backoff *= 2;
        continue;
      }
      int code = response.getHttpStatusCode();
      LOG.debug("kubernetes call={} what=\"{}\" status={} attempt={}", verb, what, code, attempt);
      if (response.isSuccess()
          || !ApiErrors.retryable(code, message(response))
          || attempt >= ATTEMPTS) {
        return response;
      }
      Integer retryAfter =
          response.getStatus() == null || response.getStatus().getDetails() == null
              ? null
              : response.getStatus().getDetails().getRetryAfterSeconds();
      sleep(
          retryAfter == null ? backoff : Math.min(retryAfter * 1000L, 10_000L), verb + " " + what);
      backoff *= 2;
    }
  }

  /**
   * Makes a discovery call, with the same retries as {@link #send}; 404 is a
   * ResourceNotFoundException.
   */
  private <T> T discoveryCall(String verb, String what, ApiCall<T> call) {
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (ApiException e) {
        int code = e.getCode();
        LOG.debug("kubernetes call={} what=\"{}\" status={} attempt={}", verb, what, code, attempt);
        if (code == 0 && (attempt >= ATTEMPTS || interrupted() || ApiErrors.isTlsFailure(e))) {
          throw ApiErrors.unreachable(
              verb, what, client.getBasePath(), e.getCause() == null ? e : e.getCause());
        }
        if (!ApiErrors.retryable(code) || attempt >= ATTEMPTS) {
          V1Status status = parseStatus(e.getResponseBody());
          throw ApiErrors.toException(code, status, verb, what, "");
        }
        sleep(backoff, verb + " " + what);
        backoff *= 2;
      }
    }
  }

  private V1Status parseStatus(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return io.kubernetes.client.openapi.JSON.deserialize(body, V1Status.class);
    } catch (RuntimeException notStatus) {
      return new V1Status().message(body);
    }
  }

  private static String message(KubernetesApiResponse<?> response) {
    V1Status s = response.getStatus();
    return s == null || s.getMessage() == null ? "" : s.getMessage();
  }

  private static OperatorSetupException failure(
      KubernetesApiResponse<?> response, String verb, String what, String plural) {
    return ApiErrors.toException(
        response.getHttpStatusCode(), response.getStatus(), verb, what, plural);
  }

  private static KubeObject toKubeObject(JsonObject raw, Resource r) {
    ObjectNode node;
    try {
      node = (ObjectNode) MAPPER.readTree(raw.toString());
    } catch (JsonProcessingException e) {
      throw new OperatorSetupException(
          "The API server sent an object that is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!node.path("apiVersion").isTextual()) {
      node.put("apiVersion", r.apiVersion());
    }
    if (!node.path("kind").isTextual()) {
      node.put("kind", r.kind());
    }
    return KubeObject.of(node);
  }

  // ---------------------------------------------------------------------------------------------
  // waits

  private void poll(
      String waitingFor,
      Duration timeout,
      Supplier<String> pending,
      java.util.function.UnaryOperator<String> onTimeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long delay = FIRST_POLL_MS;
    String last = "not checked yet";
    while (true) {
      if (interrupted()) {
        throw new OperatorSetupException(
            "Interrupted while waiting for " + waitingFor, new InterruptedException());
      }
      try {
        String p = pending.get();
        if (p == null) {
          LOG.debug("kubernetes wait=\"{}\" done", waitingFor);
          return;
        }
        last = p;
      } catch (OperatorSetupException e) {
        if (interrupted()) {
          throw new OperatorSetupException("Interrupted while waiting for " + waitingFor, e);
        }
        if (!e.retryable()) {
          throw e;
        }
        last = "last check failed: " + e.getMessage();
      }
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        String detail = last;
        if (onTimeout != null) {
          try {
            detail = onTimeout.apply(last);
          } catch (OperatorSetupException e) {
            // keep what we saw last
          }
        }
        throw new WaitTimeoutException(waitingFor, timeout, detail);
      }
      sleep(Math.min(delay, leftMs), waitingFor);
      delay = Math.min(delay * 3 / 2, MAX_POLL_MS);
    }
  }

  private static boolean interrupted() {
    return Thread.currentThread().isInterrupted();
  }

  private static void sleep(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorSetupException("Interrupted while waiting for " + what, e);
    }
  }

  /**
   * Returns why the Deployment has not rolled out, as {@code kubectl rollout status} explains it,
   * or null if it has.
   */
  static String rolloutPending(JsonNode deployment) {
    JsonNode status = deployment.path("status");
    long generation = deployment.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(0);
    long want = deployment.path("spec").path("replicas").asLong(1);
    long updated = status.path("updatedReplicas").asLong(0);
    long total = status.path("replicas").asLong(0);
    long available = status.path("availableReplicas").asLong(0);
    if (observed < generation) {
      return "waiting for the deployment spec update to be observed";
    }
    if (updated < want) {
      return updated + " out of " + want + " new replicas have been updated";
    }
    if (total > updated) {
      return (total - updated) + " old replicas are pending termination";
    }
    if (available < updated) {
      return available + " of " + updated + " updated replicas are available";
    }
    return null;
  }

  private String podProblems(String namespace, ObjectRef deployment) {
    Optional<KubeObject> d = get(deployment);
    if (d.isEmpty()) {
      return "";
    }
    Map<String, String> selector = new LinkedHashMap<>();
    d.get()
        .at("/spec/selector/matchLabels")
        .properties()
        .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
    List<String> problems = new ArrayList<>();
    for (KubeObject pod : listPods(namespace, selector)) {
      for (JsonNode cs : pod.at("/status/containerStatuses")) {
        JsonNode waiting = cs.path("state").path("waiting");
        if (waiting.isObject()) {
          problems.add(
              "pod "
                  + pod.name()
                  + " container "
                  + cs.path("name").asText()
                  + " waiting: "
                  + waiting.path("reason").asText()
                  + (waiting.has("message") ? " (" + waiting.path("message").asText() + ")" : ""));
        }
      }
      for (JsonNode c : pod.at("/status/conditions")) {
        if ("PodScheduled".equals(c.path("type").asText())
            && "False".equals(c.path("status").asText())) {
          problems.add("pod " + pod.name() + " unschedulable: " + c.path("message").asText());
        }
      }
    }
    return problems.isEmpty() ? "" : "; " + String.join("; ", problems);
  }

  private static String conditionStatus(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return null;
  }
}
