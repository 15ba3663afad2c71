package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.matches;
import static dev.operatorsetup.testkit.kube.KubeJson.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation after defaulting, as the real API server's registry strategies do it: object names,
 * Deployments, CustomResourceDefinitions (including structural schemas), role bindings, and custom
 * resources against their version's schema.
 */
final class Validation {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private Validation() {}

  /**
   * Throws if the API server would refuse {@code obj}.
   *
   * @param before the stored object it replaces, or null on create
   */
  static void check(KubeKind k, ObjectNode obj, ObjectNode before, String display) {
    List<String> errors = new ArrayList<>();
    String name = obj.path("metadata").path("name").asText();
    name(k, name, errors);
    if (k.builtIn()) {
      switch (k.kind()) {
        case "Deployment" -> deployment(obj, before, errors);
        case "CustomResourceDefinition" -> crd(k, obj, before, errors);
        case "RoleBinding", "ClusterRoleBinding" -> roleBinding(obj, before, errors);
        default -> {
          // nothing more to check
        }
      }
    } else if (k.schema() != null) {
      errors.addAll(KubeSchemas.validate(obj, k.schema()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidConfigurationException(
          "Kubernetes object",
          display,
          k.qualifiedKind()
              + " \""
              + name
              + "\" is invalid: "
              + (errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]"),
          "correct the object so that the API server accepts it");
    }
  }

  private static void name(KubeKind k, String name, List<String> errors) {
    boolean labelName = k.kind().equals("Namespace") || k.kind().equals("Service");
    Pattern rule = labelName ? LABEL : SUBDOMAIN;
    int max = labelName ? 63 : 253;
    if (!k.group().startsWith("rbac.") && (!rule.matcher(name).matches() || name.length() > max)) {
      errors.add(
          "metadata.name: Invalid value: \""
              + name
              + "\": a lowercase RFC 1123 "
              + (labelName ? "label" : "subdomain")
              + " must consist of lower case alphanumeric characters, '-'"
              + (labelName ? "" : " or '.'")
              + ", and must start and end with an alphanumeric character");
    }
  }

  private static void roleBinding(ObjectNode obj, ObjectNode before, List<String> errors) {
    if (!obj.path("roleRef").isObject()) {
      errors.add("roleRef.name: Required value");
    } else if (before != null && !KubeFieldSets.same(before.get("roleRef"), obj.get("roleRef"))) {
      errors.add("roleRef: Invalid value: " + obj.get("roleRef") + ": cannot change roleRef");
    }
  }

  private static void deployment(ObjectNode obj, ObjectNode before, List<String> errors) {
    JsonNode spec = obj.path("spec");
    JsonNode selector = spec.path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      errors.add("spec.selector: Required value");
    } else {
      Map<String, String> templateLabels =
          stringMap(spec.path("template").path("metadata").path("labels"));
      if (!matches(templateLabels, stringMap(selector.path("matchLabels")))) {
        errors.add(
            "spec.template.metadata.labels: Invalid value: "
                + spec.path("template").path("metadata").path("labels")
                + ": `selector` does not match template `labels`");
      }
      if (before != null && !KubeFieldSets.same(before.path("spec").path("selector"), selector)) {
        errors.add("spec.selector: Invalid value: " + selector + ": field is immutable");
      }
    }
    JsonNode containers = spec.path("template").path("spec").path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      errors.add("spec.template.spec.containers: Required value");
    }
    int i = 0;
    for (JsonNode c : containers) {
      if (c.path("name").asText("").isEmpty()) {
        errors.add("spec.template.spec.containers[" + i + "].name: Required value");
      }
      if (c.path("image").asText("").isEmpty()) {
        errors.add("spec.template.spec.containers[" + i + "].image: Required value");
      }
      i++;
    }
  }

  private static void crd(KubeKind k, ObjectNode obj, ObjectNode before, List<String> errors) {
    crdNames(obj, errors);
    JsonNode spec = obj.path("spec");
    String scope = spec.path("scope").asText("");
    if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      errors.add(
          "spec.scope: Unsupported value: \""
              + scope
              + "\": supported values: \"Cluster\", \"Namespaced\"");
    }
    if (before != null
        && !KubeFieldSets.same(before.path("spec").path("scope"), spec.path("scope"))) {
      errors.add("spec.scope: Invalid value: \"" + scope + "\": field is immutable");
    }
    crdVersions(k.version().equals("v1"), spec.path("versions"), errors);
  }

  private static void crdNames(ObjectNode obj, List<String> errors) {
    JsonNode spec = obj.path("spec");
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    String name = obj.path("metadata").path("name").asText();
    if (group.isEmpty()) {
      errors.add("spec.group: Required value");
    }
    if (plural.isEmpty()) {
      errors.add("spec.names.plural: Required value");
    }
    if (spec.path("names").path("kind").asText("").isEmpty()) {
      errors.add("spec.names.kind: Required value");
    }
    if (!name.equals(plural + "." + group)) {
      errors.add(
          "metadata.name: Invalid value: \""
              + name
              + "\": must be spec.names.plural+\".\"+spec.group");
    }
  }

  private static void crdVersions(boolean v1, JsonNode versions, List<String> errors) {
    if (v1 && (!versions.isArray() || versions.isEmpty())) {
      errors.add(
          "spec.versions: Invalid value: null: must have exactly one version marked as storage version");
      return;
    }
    int storage = 0;
    int i = 0;
    for (JsonNode v : versions) {
      if (v.path("storage").asBoolean(false)) {
        storage++;
      }
      if (v1) {
        errors.addAll(
            KubeSchemas.checkStructural(
                v.path("schema").path("openAPIV3Schema"),
                "spec.versions[" + i + "].schema.openAPIV3Schema"));
      }
      i++;
    }
    if (versions.isArray() && !versions.isEmpty() && storage != 1) {
      errors.add(
          "spec.versions: Invalid value: "
              + versions.size()
              + ": must have exactly one version marked as storage version");
    }
  }
}
