package dev.operatorsetup.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.KubeObject;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Converts {@code apiextensions.k8s.io/v1beta1} CustomResourceDefinitions, which Kubernetes 1.22
 * and later no longer serve, to {@code apiextensions.k8s.io/v1}.
 *
 * <p>The top-level {@code validation}, {@code subresources} and {@code additionalPrinterColumns}
 * move into every entry of {@code versions} (an entry's own settings win); {@code JSONPath} becomes
 * {@code jsonPath}; {@code spec.version} goes (it becomes the only version if there is no {@code
 * versions}); {@code preserveUnknownFields} is false; the conversion webhook moves to {@code
 * conversion.webhook}; an empty {@code scope} becomes {@code Namespaced} (the v1beta1 default).
 * Each schema is repaired with {@link StructuralSchema#repair} so that v1 accepts it. The {@code
 * status} stub and {@code metadata.creationTimestamp} are dropped.
 */
public final class CrdConversion {
  /** The apiVersion of the CRDs this converts. */
  public static final String V1BETA1 = "apiextensions.k8s.io/v1beta1";

  /** The apiVersion it converts them to. */
  public static final String V1 = "apiextensions.k8s.io/v1";

  private static final String KIND = "CustomResourceDefinition";
  private static final List<String> COLUMN_FIELDS =
      List.of("name", "type", "format", "description", "priority", "jsonPath");

  private CrdConversion() {}

  /** Returns whether {@code object} is a CRD this class would change. */
  public static boolean isV1beta1Crd(KubeObject object) {
    return KIND.equals(object.kind()) && V1BETA1.equals(object.apiVersion());
  }

  /**
   * Returns {@code crd} as an {@code apiextensions.k8s.io/v1} CRD; a CRD of any other version is
   * returned unchanged.
   *
   * @throws IllegalArgumentException if {@code crd} is not a CustomResourceDefinition
   * @throws InvalidConfigurationException if it has no spec or no version
   */
  public static KubeObject toV1(KubeObject crd) {
    if (!KIND.equals(crd.kind())) {
      throw new IllegalArgumentException("not a CustomResourceDefinition: " + crd);
    }
    if (!V1BETA1.equals(crd.apiVersion())) {
      return crd;
    }
    ObjectNode in = crd.json();
    JsonNode spec = in.path("spec");
    if (!spec.isObject()) {
      throw invalid(crd, "it has no spec");
    }
    ObjectNode newSpec = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      switch (field.getKey()) {
        case "version",
            "validation",
            "subresources",
            "additionalPrinterColumns",
            "preserveUnknownFields" -> {
          // moved into versions[] or replaced below
        }
        case "versions" -> newSpec.set("versions", versions(crd, spec));
        case "conversion" -> newSpec.set("conversion", conversion(field.getValue()));
        case "scope" ->
            newSpec.put(
                "scope",
                field.getValue().asText().isEmpty() ? "Namespaced" : field.getValue().asText());
        default -> newSpec.set(field.getKey(), field.getValue());
      }
    }
    if (!newSpec.has("versions")) {
      newSpec.set("versions", versions(crd, spec));
    }
    if (!newSpec.has("scope")) {
      newSpec.put("scope", "Namespaced");
    }
    newSpec.put("preserveUnknownFields", false);

    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = in.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      switch (field.getKey()) {
        case "apiVersion" -> out.put("apiVersion", V1);
        case "spec" -> out.set("spec", newSpec);
        case "status" -> {
          // a stub of what the server writes; never applied
        }
        case "metadata" -> {
          ObjectNode metadata = ((ObjectNode) field.getValue()).deepCopy();
          metadata.remove("creationTimestamp");
          out.set("metadata", metadata);
        }
        default -> out.set(field.getKey(), field.getValue());
      }
    }
    return KubeObject.of(out);
  }

  private static ArrayNode versions(KubeObject crd, JsonNode spec) {
    ArrayNode given = spec.path("versions").isArray() ? (ArrayNode) spec.get("versions") : null;
    if (given == null || given.isEmpty()) {
      String version = spec.path("version").asText("");
      if (version.isEmpty()) {
        throw invalid(crd, "it has neither spec.version nor spec.versions");
      }
      given = JsonNodeFactory.instance.arrayNode();
      given.addObject().put("name", version).put("served", true).put("storage", true);
    }
    JsonNode topSchema = spec.path("validation").path("openAPIV3Schema");
    JsonNode topSubresources = spec.get("subresources");
    JsonNode topColumns = spec.get("additionalPrinterColumns");
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode entry : given) {
      if (!entry.isObject()) {
        throw invalid(crd, "an entry of spec.versions is not a mapping");
      }
      ObjectNode version = ((ObjectNode) entry).deepCopy();
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      if (schema.isMissingNode()) {
        schema = topSchema;
      }
      ObjectNode repaired =
          schema.isObject()
              ? StructuralSchema.repair(schema)
              : JsonNodeFactory.instance
                  .objectNode()
                  .put("type", "object")
                  .put("x-kubernetes-preserve-unknown-fields", true);
      version.remove("schema");
      version.set("schema", JsonNodeFactory.instance.objectNode().set("openAPIV3Schema", repaired));
      JsonNode subresources =
          version.has("subresources") ? version.get("subresources") : topSubresources;
      version.remove("subresources");
      if (subresources != null && !subresources.isNull()) {
        version.set("subresources", subresources);
      }
      JsonNode columns =
          version.has("additionalPrinterColumns")
              ? version.get("additionalPrinterColumns")
              : topColumns;
      version.remove("additionalPrinterColumns");
      if (columns != null && columns.isArray() && !columns.isEmpty()) {
        version.set("additionalPrinterColumns", columns(columns));
      }
      out.add(version);
    }
    return out;
  }

  private static ArrayNode columns(JsonNode columns) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode column : columns) {
      ObjectNode converted = JsonNodeFactory.instance.objectNode();
      JsonNode path = column.has("jsonPath") ? column.get("jsonPath") : column.get("JSONPath");
      for (String field : COLUMN_FIELDS) {
        JsonNode value = field.equals("jsonPath") ? path : column.get(field);
        if (value != null && !value.isNull()) {
          converted.set(field, value);
        }
      }
      out.add(converted);
    }
    return out;
  }

  private static ObjectNode conversion(JsonNode conversion) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    String strategy = conversion.path("strategy").asText("None");
    out.put("strategy", strategy);
    if (strategy.equals("Webhook")) {
      ObjectNode webhook = out.putObject("webhook");
      JsonNode clientConfig =
          conversion.has("webhookClientConfig")
              ? conversion.get("webhookClientConfig")
              : conversion.path("webhook").get("clientConfig");
      if (clientConfig != null) {
        webhook.set("clientConfig", clientConfig);
      }
      JsonNode reviewVersions =
          conversion.has("conversionReviewVersions")
              ? conversion.get("conversionReviewVersions")
              : conversion.path("webhook").get("conversionReviewVersions");
      if (reviewVersions == null) {
        // v1beta1 defaulted this; v1 requires it
        reviewVersions = JsonNodeFactory.instance.arrayNode().add("v1beta1");
      }
      webhook.set("conversionReviewVersions", reviewVersions);
    }
    return out;
  }

  private static InvalidConfigurationException invalid(KubeObject crd, String problem) {
    return new InvalidConfigurationException(
        "CustomResourceDefinition",
        crd.name(),
        problem + ", so it cannot be converted to " + V1,
        "fix the CRD in the manifest");
  }
}
