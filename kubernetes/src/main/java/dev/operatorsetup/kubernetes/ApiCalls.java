package dev.operatorsetup.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonObject;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.KubeObject;
import io.kubernetes.client.common.KubernetesType;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to the API server and turns its failure into this library's exception. One
 * attempt, never more: throttling (429), server errors and unanswered calls become a retryable
 * {@link OperatorSetupException} carrying the server's {@code Retry-After}, and the engine's retry
 * decides whether to call again (see {@link KubernetesPorts}).
 */
final class ApiCalls {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.KUBERNETES);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ApiClient client;

  @FunctionalInterface
  interface ApiCall<T> {
    T call() throws ApiException;
  }

  ApiCalls(ApiClient client) {
    this.client = client;
    RetryAfter.install(client);
  }

  ApiClient client() {
    return client;
  }

  DynamicKubernetesApi api(ApiResources.Resource r) {
    return new DynamicKubernetesApi(r.group(), r.version(), r.plural(), client);
  }

  /**
   * Makes a call once and returns its response, successful or not; a call that does not reach the
   * server is a retryable exception (unless its TLS certificate is not trusted).
   */
  <T extends KubernetesType> KubernetesApiResponse<T> send(
      String verb, String what, Supplier<KubernetesApiResponse<T>> call) {
    RetryAfter.clear();
    KubernetesApiResponse<T> response;
    try {
      response = call.get();
    } catch (IllegalStateException e) {
      // the generic client wraps an IOException in an IllegalStateException
      throw ApiErrors.unreachable(
          verb, what, client.getBasePath(), e.getCause() == null ? e : e.getCause());
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof ApiException api)) {
        throw e;
      }
      // an error answer without a Status body (e.g. a proxy's empty 503)
      LOG.debug("kubernetes call={} what=\"{}\" status={}", verb, what, api.getCode());
      V1Status status = parseStatus(api.getResponseBody());
      Duration retryAfter = RetryAfter.of(status);
      throw ApiErrors.toException(
          api.getCode(),
          status,
          verb,
          what,
          "",
          retryAfter != null ? retryAfter : RetryAfter.of(api.getResponseHeaders()));
    }
    LOG.debug("kubernetes call={} what=\"{}\" status={}", verb, what, response.getHttpStatusCode());
    return response;
  }

  /** Makes a discovery call once; 404 is a ResourceNotFoundException. */
  <T> T discovery(String verb, String what, ApiCall<T> call) {
    try {
      return call.call();
    } catch (ApiException e) {
      int code = e.getCode();
      LOG.debug("kubernetes call={} what=\"{}\" status={}", verb, what, code);
      if (code == 0) {
        throw ApiErrors.unreachable(
            verb, what, client.getBasePath(), e.getCause() == null ? e : e.getCause());
      }
      V1Status status = parseStatus(e.getResponseBody());
      Duration retryAfter = RetryAfter.of(status);
      throw ApiErrors.toException(
          code,
          status,
          verb,
          what,
          "",
          retryAfter != null ? retryAfter : RetryAfter.of(e.getResponseHeaders()));
    }
  }

  /** Lists all pages of a resource, in a namespace or cluster-wide; a 404 is an empty list. */
  List<KubeObject> list(
      ApiResources.Resource r, String namespace, String labelSelector, String what) {
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

  static V1Status parseStatus(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return io.kubernetes.client.openapi.JSON.deserialize(body, V1Status.class);
    } catch (RuntimeException notStatus) {
      return new V1Status().message(body);
    }
  }

  static String message(KubernetesApiResponse<?> response) {
    V1Status s = response.getStatus();
    return s == null || s.getMessage() == null ? "" : s.getMessage();
  }

  /** The exception for an unsuccessful response, with the server's Retry-After if it is one. */
  static OperatorSetupException failure(
      KubernetesApiResponse<?> response, String verb, String what, String plural) {
    return ApiErrors.toException(
        response.getHttpStatusCode(),
        response.getStatus(),
        verb,
        what,
        plural,
        RetryAfter.of(response.getStatus()));
  }

  static KubeObject toKubeObject(JsonObject raw, ApiResources.Resource r) {
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
}
