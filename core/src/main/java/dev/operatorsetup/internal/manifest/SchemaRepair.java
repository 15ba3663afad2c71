package dev.operatorsetup.internal.manifest;

import static dev.operatorsetup.internal.manifest.StructuralSchema.INT_OR_STRING;
import static dev.operatorsetup.internal.manifest.StructuralSchema.JUNCTORS;
import static dev.operatorsetup.internal.manifest.StructuralSchema.PRESERVE;
import static dev.operatorsetup.internal.manifest.StructuralSchema.ROOT;
import static dev.operatorsetup.internal.manifest.StructuralSchema.ROOT_FIELDS;
import static dev.operatorsetup.internal.manifest.StructuralSchema.TYPES;
import static dev.operatorsetup.internal.manifest.StructuralSchema.UNSUPPORTED;
import static dev.operatorsetup.internal.manifest.StructuralSchema.forbiddenInJunctor;
import static dev.operatorsetup.internal.manifest.StructuralSchema.isTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.Loggers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Repairs a CRD schema so that {@link StructuralSchema#violations} finds nothing. */
final class SchemaRepair {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.MANIFEST);

  private SchemaRepair() {}

  /**
   * Returns a copy of {@code schema} changed so that {@link StructuralSchema#violations} finds
   * nothing, keeping as much validation as the rules allow. Untyped nodes get their type from their
   * properties, items or enum values, else {@code x-kubernetes-preserve-unknown-fields: true}; the
   * root metadata keeps only name and generateName; forbidden fields are dropped.
   */
  static ObjectNode repair(JsonNode schema) {
    ObjectNode root =
        schema != null && schema.isObject()
            ? (ObjectNode) schema.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    repairNode(root, ROOT);
    repairRoot(root);
    return root;
  }

  private static void repairRoot(ObjectNode root) {
    root.put("type", "object");
    root.remove(INT_OR_STRING);
    List<String> dropped = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!ROOT_FIELDS.contains(field)) {
        dropped.add(field);
        it.remove();
      }
    }
    if (!dropped.isEmpty()) {
      LOG.debug("schema repair path={} dropped={}", ROOT, dropped);
    }
    JsonNode properties = root.path("properties");
    if (properties.has("metadata")) {
      JsonNode old = properties.get("metadata");
      ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("type", "object");
      ObjectNode kept = JsonNodeFactory.instance.objectNode();
      for (String name : List.of("name", "generateName")) {
        if (old.path("properties").has(name)) {
          kept.set(name, old.path("properties").get(name));
        }
      }
      if (!kept.isEmpty()) {
        metadata.set("properties", kept);
      }
      if (!metadata.equals(old)) {
        LOG.debug("schema repair path={}.properties[metadata] reduced to name/generateName", ROOT);
      }
      ((ObjectNode) properties).set("metadata", metadata);
    }
  }

  private static void repairNode(ObjectNode node, String path) {
    boolean preserve = repairFields(node, path);
    boolean intOrString = isTrue(node, INT_OR_STRING);
    repairJunctors(node, intOrString);
    if (preserve) {
      node.put(PRESERVE, true);
    }
    repairType(node, intOrString);
    repairChildren(node, path);
  }

  /** Drops what v1 forbids; returns whether the node must now preserve unknown fields. */
  private static boolean repairFields(ObjectNode node, String path) {
    boolean preserve = false;
    for (String field : UNSUPPORTED) {
      if (node.remove(field) != null) {
        LOG.debug("schema repair path={} dropped={}", path, field);
        preserve |= !field.equals("id");
      }
    }
    if (node.path("uniqueItems").asBoolean(false)) {
      node.remove("uniqueItems");
    }
    if (node.has(PRESERVE) && !isTrue(node, PRESERVE)) {
      node.remove(PRESERVE);
    }
    JsonNode type = node.get("type");
    if (type != null && type.isTextual() && type.asText().equals("null")) {
      node.remove("type");
      node.put("nullable", true);
    } else if (type != null && (!type.isTextual() || !TYPES.contains(type.asText()))) {
      node.remove("type");
    }
    JsonNode items = node.get("items");
    if (items != null && !items.isObject()) {
      node.set(
          "items",
          items.isArray() && items.size() == 1 && items.get(0).isObject()
              ? items.get(0)
              : preserveUnknown());
    }
    JsonNode additional = node.get("additionalProperties");
    if (additional != null && !additional.asBoolean(false) && node.path("properties").size() > 0) {
      node.remove("additionalProperties");
      // keep what a map schema allowed: fields beyond the listed properties
      preserve |= additional.isObject();
    } else if (additional != null && !additional.isObject() && !additional.isBoolean()) {
      node.remove("additionalProperties");
    }
    return preserve;
  }

  private static void repairJunctors(ObjectNode node, boolean intOrString) {
    for (String junctor : JUNCTORS) {
      JsonNode value = node.get(junctor);
      if (value == null) {
        continue;
      }
      if (value.isObject()) {
        repairJunctor((ObjectNode) value, node, intOrString);
      } else if (value.isArray()) {
        for (JsonNode element : value) {
          if (element.isObject()) {
            repairJunctor((ObjectNode) element, node, intOrString);
          }
        }
      } else {
        node.remove(junctor);
      }
    }
  }

  private static void repairType(ObjectNode node, boolean intOrString) {
    if (!node.has("type") && !intOrString && !isTrue(node, PRESERVE)) {
      String inferred = inferType(node);
      if (inferred != null) {
        node.put("type", inferred);
      } else {
        node.put(PRESERVE, true);
      }
    }
    if ("array".equals(node.path("type").asText()) && !node.has("items")) {
      node.set("items", preserveUnknown());
    }
    if (node.has("x-kubernetes-list-type") && !"array".equals(node.path("type").asText())) {
      node.remove("x-kubernetes-list-type");
      node.remove("x-kubernetes-list-map-keys");
    }
    if (node.has("x-kubernetes-map-type") && !"object".equals(node.path("type").asText())) {
      node.remove("x-kubernetes-map-type");
    }
  }

  private static void repairChildren(ObjectNode node, String path) {
    JsonNode properties = node.get("properties");
    if (properties != null && properties.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        if (property.getValue().isObject()) {
          repairNode(
              (ObjectNode) property.getValue(), path + ".properties[" + property.getKey() + "]");
        } else {
          property.setValue(preserveUnknown());
        }
      }
    } else if (properties != null) {
      node.remove("properties");
    }
    if (node.get("additionalProperties") instanceof ObjectNode child) {
      repairNode(child, path + ".additionalProperties");
    }
    if (node.get("items") instanceof ObjectNode child) {
      repairNode(child, path + ".items");
    }
  }

  private static String inferType(ObjectNode node) {
    if (node.has("properties") || node.has("additionalProperties")) {
      return "object";
    }
    if (node.has("items")) {
      return "array";
    }
    JsonNode values = node.path("enum");
    if (values.isArray() && !values.isEmpty()) {
      String common = null;
      for (JsonNode value : values) {
        String type =
            value.isTextual()
                ? "string"
                : value.isIntegralNumber()
                    ? "integer"
                    : value.isNumber() ? "number" : value.isBoolean() ? "boolean" : null;
        if (type == null || common != null && !common.equals(type)) {
          return null;
        }
        common = type;
      }
      return common;
    }
    return null;
  }

  private static void repairJunctor(
      ObjectNode junctor, ObjectNode structural, boolean intOrString) {
    for (Iterator<Map.Entry<String, JsonNode>> it = junctor.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (forbiddenInJunctor(field.getKey(), field.getValue(), intOrString)
          || UNSUPPORTED.contains(field.getKey())) {
        it.remove();
      }
    }
    JsonNode properties = junctor.get("properties");
    if (properties != null && properties.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode outside = structural.path("properties").get(property.getKey());
        if (outside == null && !structural.has("additionalProperties")) {
          // specify it in the structural part, or v1 would prune the field it validates
          if (!(structural.get("properties") instanceof ObjectNode)) {
            structural.set("properties", JsonNodeFactory.instance.objectNode());
          }
          outside = preserveUnknown();
          ((ObjectNode) structural.get("properties")).set(property.getKey(), outside);
        }
        if (outside instanceof ObjectNode outsideObject && property.getValue().isObject()) {
          repairJunctor((ObjectNode) property.getValue(), outsideObject, false);
        } else {
          it.remove();
        }
      }
    } else if (properties != null) {
      junctor.remove("properties");
    }
    JsonNode items = junctor.get("items");
    if (items != null) {
      if (!(structural.get("items") instanceof ObjectNode)) {
        structural.set("items", preserveUnknown());
      }
      if (items.isObject()) {
        repairJunctor((ObjectNode) items, (ObjectNode) structural.get("items"), false);
      } else {
        junctor.remove("items");
      }
    }
    for (String nested : JUNCTORS) {
      JsonNode value = junctor.get(nested);
      if (value instanceof ObjectNode object) {
        repairJunctor(object, structural, intOrString);
      } else if (value != null && value.isArray()) {
        for (JsonNode element : value) {
          if (element instanceof ObjectNode object) {
            repairJunctor(object, structural, intOrString);
          }
        }
      } else if (value != null) {
        junctor.remove(nested);
      }
    }
  }

  private static ObjectNode preserveUnknown() {
    return JsonNodeFactory.instance.objectNode().put(PRESERVE, true);
  }
}
