package dev.operatorsetup.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The typed conversion that server-side apply does before anything else: an applied object may only
 * hold fields its type declares, with values of the right JSON type, or the real server answers
 * HTTP 500 "failed to create typed patch object (...): .spec.x: field not declared in schema".
 * Custom resources are checked against their CRD's schema in full; built-in kinds only at the top
 * level, in {@code metadata}, in a Deployment's {@code spec} and in string maps (the fake has no
 * OpenAPI models of the built-in types).
 */
final class KubeTypes {
  /** ObjectMeta's fields: those a client sets, and those the server sets. */
  private static final Set<String> META =
      Stream.concat(
              Stream.of(
                  "name",
                  "generateName",
                  "namespace",
                  "labels",
                  "annotations",
                  "ownerReferences",
                  "finalizers"),
              ServerSideApply.SYSTEM_FIELDS.stream())
          .collect(Collectors.toUnmodifiableSet());

  private static final Map<String, Set<String>> TOP =
      Map.ofEntries(
          Map.entry("Namespace", Set.of("spec", "status")),
          Map.entry(
              "ServiceAccount",
              Set.of("secrets", "imagePullSecrets", "automountServiceAccountToken")),
          Map.entry("ConfigMap", Set.of("data", "binaryData", "immutable")),
          Map.entry("Secret", Set.of("data", "stringData", "type", "immutable")),
          Map.entry("Service", Set.of("spec", "status")),
          Map.entry("Pod", Set.of("spec", "status")),
          Map.entry("Deployment", Set.of("spec", "status")),
          Map.entry("ReplicaSet", Set.of("spec", "status")),
          Map.entry("Role", Set.of("rules")),
          Map.entry("ClusterRole", Set.of("rules", "aggregationRule")),
          Map.entry("RoleBinding", Set.of("subjects", "roleRef")),
          Map.entry("ClusterRoleBinding", Set.of("subjects", "roleRef")),
          Map.entry("CustomResourceDefinition", Set.of("spec", "status")));
  private static final Set<String> DEPLOYMENT_SPEC =
      Set.of(
          "replicas",
          "selector",
          "template",
          "strategy",
          "minReadySeconds",
          "revisionHistoryLimit",
          "paused",
          "progressDeadlineSeconds");

  private KubeTypes() {}

  /** Returns what typed conversion rejects in the applied object, each as {@code .path: reason}. */
  static List<String> errors(KubeKind k, ObjectNode applied) {
    List<String> errors = new ArrayList<>();
    JsonNode meta = applied.path("metadata");
    meta.properties()
        .forEach(
            e -> {
              if (!META.contains(e.getKey())) {
                errors.add(".metadata." + e.getKey() + ": field not declared in schema");
              }
            });
    stringMap(meta.path("labels"), ".metadata.labels", errors);
    stringMap(meta.path("annotations"), ".metadata.annotations", errors);
    if (meta.has("finalizers") && !meta.get("finalizers").isArray()) {
      errors.add(
          ".metadata.finalizers: expected list, got " + meta.get("finalizers").getNodeType());
    }
    if (k.builtIn()) {
      Set<String> top = TOP.getOrDefault(k.kind(), Set.of());
      applied
          .properties()
          .forEach(
              e -> {
                String f = e.getKey();
                if (!f.equals("apiVersion")
                    && !f.equals("kind")
                    && !f.equals("metadata")
                    && !top.contains(f)) {
                  errors.add("." + f + ": field not declared in schema");
                }
              });
      if (k.kind().equals("ConfigMap")) {
        stringMap(applied.path("data"), ".data", errors);
      }
      if (k.kind().equals("Deployment")) {
        applied
            .path("spec")
            .properties()
            .forEach(
                e -> {
                  if (!DEPLOYMENT_SPEC.contains(e.getKey())) {
                    errors.add(".spec." + e.getKey() + ": field not declared in schema");
                  }
                });
      }
    } else if (!k.preserveUnknownFields() && k.schema() != null) {
      ObjectNode body = applied.deepCopy();
      body.remove(List.of("apiVersion", "kind", "metadata"));
      errors.addAll(KubeSchemas.typeErrors(body, k.schema(), ""));
    }
    return errors;
  }

  private static void stringMap(JsonNode map, String path, List<String> errors) {
    if (map.isMissingNode() || map.isNull()) {
      return;
    }
    if (!map.isObject()) {
      errors.add(
          path
              + ": expected map, got "
              + map.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    map.properties()
        .forEach(
            e -> {
              if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                errors.add(
                    path
                        + "."
                        + e.getKey()
                        + ": expected string, got "
                        + e.getValue().getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
              }
            });
  }
}
