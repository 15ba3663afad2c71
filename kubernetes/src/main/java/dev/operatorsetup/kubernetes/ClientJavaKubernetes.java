package dev.operatorsetup.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import dev.operatorsetup.port.Kubernetes;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.DeleteOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Kubernetes} port over the official Java client: discovery ({@link ApiResources},
 * cached per group version) maps kinds to resources, applies are server-side applies ({@code PATCH}
 * with {@code application/apply-patch+yaml}, {@code fieldManager}, {@code force}), and waits
 * ({@link Waits}) poll with a bounded backoff.
 *
 * <p>Every port call sends each request once ({@link ApiCalls}): throttling (429), server errors
 * and unanswered calls become a retryable exception with the server's {@code Retry-After}, and only
 * the engine's retry calls again (see {@link KubernetesPorts}). Every other error Status becomes
 * one of this library's exceptions with the server's message ({@link ApiErrors}).
 */
final class ClientJavaKubernetes implements Kubernetes {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.KUBERNETES);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  private static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";

  /** How often apply looks a kind up again that discovery does not list yet (a new CRD's). */
  private static final int KIND_WAITS = 3;

  private final ApiClient client;
  private final boolean ownsClient;
  private final ApiCalls calls;
  private final ApiResources resources;
  private final Waits waits;

  ClientJavaKubernetes(ApiClient client, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.calls = new ApiCalls(client);
    this.resources = new ApiResources(calls);
    this.waits = new Waits(this);
  }

  private static String display(String kind, String ns, String name) {
    return kind + " " + (ns == null ? "" : ns + "/") + name;
  }

  @Override
  public ServerInfo serverInfo() {
    return resources.serverInfo();
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
    ApiResources.Resource r = resources.resource(object.apiVersion(), object.kind(), KIND_WAITS);
    if (r == null) {
      throw ResourceNotFoundException.noMatchesForKind(object.ref());
    }
    ObjectNode body = object.json();
    ObjectNode meta = (ObjectNode) body.get("metadata");
    String ns = r.namespace(object.namespace().orElse(null));
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
    KubernetesApiResponse<DynamicKubernetesObject> response =
        patch("apply", what, r, ns, object.name(), V1Patch.PATCH_FORMAT_APPLY_YAML, body, options);
    if (!response.isSuccess()) {
      if (response.getHttpStatusCode() == 404
          && !ApiCalls.message(response).contains("namespaces \"")) {
        resources.forget(r.apiVersion());
      }
      throw ApiCalls.failure(response, "apply", what, r.plural());
    }
    KubeObject stored = ApiCalls.toKubeObject(response.getObject().getRaw(), r);
    LOG.debug(
        "kubernetes applied object=\"{}\" fieldManager={} force={} resourceVersion={} generation={}",
        what,
        fieldManager,
        force,
        stored.at("/metadata/resourceVersion").asText(),
        stored.at("/metadata/generation").asText(""));
    return stored;
  }

  private KubernetesApiResponse<DynamicKubernetesObject> patch(
      String verb,
      String what,
      ApiResources.Resource r,
      String ns,
      String name,
      String format,
      JsonNode body,
      PatchOptions options) {
    DynamicKubernetesApi api = calls.api(r);
    V1Patch patch = new V1Patch(body.toString());
    return calls.send(
        verb,
        what,
        () ->
            ns == null
                ? api.patch(name, format, patch, options)
                : api.patch(ns, name, format, patch, options));
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    ApiResources.Resource r = resources.resource(ref.apiVersion(), ref.kind(), 0);
    if (r == null) {
      return Optional.empty();
    }
    String ns = r.namespace(ref.namespace().orElse(null));
    String what = display(r.kind(), ns, ref.name());
    DynamicKubernetesApi api = calls.api(r);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        calls.send("get", what, () -> ns == null ? api.get(ref.name()) : api.get(ns, ref.name()));
    if (response.getHttpStatusCode() == 404) {
      return Optional.empty();
    }
    if (!response.isSuccess()) {
      throw ApiCalls.failure(response, "get", what, r.plural());
    }
    return Optional.of(ApiCalls.toKubeObject(response.getObject().getRaw(), r));
  }

  @Override
  public boolean delete(ObjectRef ref) {
    ApiResources.Resource r = resources.resource(ref.apiVersion(), ref.kind(), 0);
    if (r == null) {
      return false;
    }
    String ns = r.namespace(ref.namespace().orElse(null));
    String what = display(r.kind(), ns, ref.name());
    DeleteOptions options = new DeleteOptions();
    options.setPropagationPolicy("Background");
    DynamicKubernetesApi api = calls.api(r);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        calls.send(
            "delete",
            what,
            () ->
                ns == null ? api.delete(ref.name(), options) : api.delete(ns, ref.name(), options));
    if (response.getHttpStatusCode() == 404) {
      return false;
    }
    if (!response.isSuccess()) {
      throw ApiCalls.failure(response, "delete", what, r.plural());
    }
    LOG.debug("kubernetes deleted object=\"{}\"", what);
    return true;
  }

  @Override
  public void awaitDeleted(ObjectRef ref, Duration timeout) {
    waits.awaitDeleted(ref, timeout);
  }

  @Override
  public void awaitCrdEstablished(String crdName, Duration timeout) {
    waits.awaitCrdEstablished(crdName, timeout);
  }

  @Override
  public void awaitRollout(String namespace, String name, Duration timeout) {
    waits.awaitRollout(namespace, name, timeout);
  }

  @Override
  public void restartDeployment(String namespace, String name, String fieldManager) {
    ApiResources.Resource r = resources.resource("apps/v1", "Deployment", 0);
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
    KubernetesApiResponse<DynamicKubernetesObject> response =
        patch(
            "restart",
            what,
            r,
            namespace,
            name,
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
            patch,
            options);
    if (response.getHttpStatusCode() == 404) {
      throw new ResourceNotFoundException(
          "Cannot restart " + what + ": it does not exist. Fix: apply the Deployment first.");
    }
    if (!response.isSuccess()) {
      throw ApiCalls.failure(response, "restart", what, r.plural());
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
    ApiResources.Resource r =
        new ApiResources.Resource(
            spec.path("group").asText(),
            version,
            spec.path("names").path("kind").asText(),
            spec.path("names").path("plural").asText(),
            !"Cluster".equals(spec.path("scope").asText()));
    List<KubeObject> out = calls.list(r, null, null, "list custom resources of " + crdName);
    out.sort(
        Comparator.comparing((KubeObject o) -> o.namespace().orElse(""))
            .thenComparing(KubeObject::name));
    return out;
  }

  @Override
  public boolean removeFinalizers(ObjectRef ref) {
    ApiResources.Resource r = resources.resource(ref.apiVersion(), ref.kind(), 0);
    if (r == null) {
      return false;
    }
    String ns = r.namespace(ref.namespace().orElse(null));
    String what = display(r.kind(), ns, ref.name());
    ObjectNode patch = JSON.objectNode();
    patch.putObject("metadata").putNull("finalizers");
    String verb = "remove the finalizers of";
    KubernetesApiResponse<DynamicKubernetesObject> response =
        patch(
            verb,
            what,
            r,
            ns,
            ref.name(),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
            patch,
            new PatchOptions());
    if (response.getHttpStatusCode() == 404) {
      return false;
    }
    if (!response.isSuccess()) {
      throw ApiCalls.failure(response, verb, what, r.plural());
    }
    LOG.debug("kubernetes removed finalizers object=\"{}\"", what);
    return true;
  }

  @Override
  public List<KubeObject> listPods(String namespace, Map<String, String> selector) {
    ApiResources.Resource pods = new ApiResources.Resource("", "v1", "Pod", "pods", true);
    String labelSelector =
        selector.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    List<KubeObject> out = calls.list(pods, namespace, labelSelector, "list pods in " + namespace);
    out.sort(Comparator.comparing(KubeObject::name));
    return out;
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> selector) {
    ApiResources.Resource r = resources.resource(apiVersion, kind, 0);
    if (r == null) {
      return List.of();
    }
    String labelSelector =
        selector.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    String ns = r.namespaced() ? namespace : null;
    List<KubeObject> out = calls.list(r, ns, labelSelector, "list " + r.plural());
    out.sort(
        Comparator.comparing((KubeObject o) -> o.namespace().orElse(""))
            .thenComparing(KubeObject::name));
    return out;
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.getHttpClient().dispatcher().executorService().shutdown();
      client.getHttpClient().connectionPool().evictAll();
    }
  }
}
