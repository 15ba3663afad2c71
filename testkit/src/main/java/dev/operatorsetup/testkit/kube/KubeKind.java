package dev.operatorsetup.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One kind at one version as an API server serves it: resource name, scope, whether it has a status
 * subresource and a {@code metadata.generation}, and for custom resources the CRD and its schema.
 */
record KubeKind(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    boolean statusSubresource,
    boolean generation,
    boolean builtIn,
    String crdName,
    JsonNode schema,
    boolean preserveUnknownFields) {

  static final String CRD_GROUP = "apiextensions.k8s.io";

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code Deployment.apps}, {@code ConfigMap}: how the real server names a kind in messages. */
  String qualifiedKind() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  boolean is(String group, String kind) {
    return this.group.equals(group) && this.kind.equals(kind);
  }

  private static KubeKind builtIn(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      boolean status,
      boolean generation) {
    return new KubeKind(
        group, version, kind, plural, namespaced, status, generation, true, null, null, true);
  }

  /** The built-in kinds this fake serves (a real server serves more). */
  static List<KubeKind> builtIns(boolean legacyCrds) {
    List<KubeKind> kinds = new ArrayList<>();
    kinds.add(builtIn("", "v1", "Namespace", "namespaces", false, true, false));
    kinds.add(builtIn("", "v1", "ServiceAccount", "serviceaccounts", true, false, false));
    kinds.add(builtIn("", "v1", "ConfigMap", "configmaps", true, false, false));
    kinds.add(builtIn("", "v1", "Secret", "secrets", true, false, false));
    kinds.add(builtIn("", "v1", "Service", "services", true, true, false));
    kinds.add(builtIn("", "v1", "Pod", "pods", true, true, true));
    kinds.add(builtIn("apps", "v1", "Deployment", "deployments", true, true, true));
    kinds.add(builtIn("apps", "v1", "ReplicaSet", "replicasets", true, true, true));
    String rbac = "rbac.authorization.k8s.io";
    kinds.add(builtIn(rbac, "v1", "Role", "roles", true, false, false));
    kinds.add(builtIn(rbac, "v1", "ClusterRole", "clusterroles", false, false, false));
    kinds.add(builtIn(rbac, "v1", "RoleBinding", "rolebindings", true, false, false));
    kinds.add(
        builtIn(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", false, false, false));
    kinds.add(
        builtIn(
            CRD_GROUP,
            "v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
            false,
            true,
            true));
    if (legacyCrds) {
      kinds.add(
          builtIn(
              CRD_GROUP,
              "v1beta1",
              "CustomResourceDefinition",
              "customresourcedefinitions",
              false,
              true,
              true));
    }
    return kinds;
  }

  /**
   * Returns the kinds a stored CRD defines, one per served version; v1 and the legacy v1beta1
   * layout (top-level {@code version}, {@code validation}, {@code subresources}) are both read.
   */
  static List<KubeKind> fromCrd(JsonNode crd) {
    List<KubeKind> kinds = new ArrayList<>();
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    String kind = spec.path("names").path("kind").asText("");
    String plural = spec.path("names").path("plural").asText("");
    if (group.isEmpty() || kind.isEmpty() || plural.isEmpty()) {
      return kinds;
    }
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
    boolean legacy = crd.path("apiVersion").asText().endsWith("/v1beta1");
    boolean preserve = legacy && spec.path("preserveUnknownFields").asBoolean(true);
    String name = crd.path("metadata").path("name").asText();
    List<JsonNode> versions = new ArrayList<>();
    spec.path("versions").forEach(versions::add);
    if (versions.isEmpty() && spec.has("version")) {
      versions.add(
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
              .objectNode()
              .put("name", spec.get("version").asText())
              .put("served", true)
              .put("storage", true));
    }
    for (JsonNode v : versions) {
      if (!v.path("served").asBoolean(false)) {
        continue;
      }
      JsonNode schema = v.path("schema").path("openAPIV3Schema");
      if (schema.isMissingNode()) {
        schema = spec.path("validation").path("openAPIV3Schema");
      }
      boolean status =
          v.path("subresources").has("status") || spec.path("subresources").has("status");
      kinds.add(
          new KubeKind(
              group,
              v.path("name").asText(),
              kind,
              plural,
              namespaced,
              status,
              true,
              false,
              name,
              schema.isMissingNode() ? null : schema,
              preserve || schema.isMissingNode()));
    }
    return kinds;
  }
}
