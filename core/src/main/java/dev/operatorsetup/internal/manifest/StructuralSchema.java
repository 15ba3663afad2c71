package dev.operatorsetup.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.Loggers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks and repairs the rules an {@code apiextensions.k8s.io/v1} CRD schema must follow: it must
 * be <em>structural</em> (Kubernetes docs, "Specifying a structural schema") and use no field that
 * v1 forbids.
 *
 * <p>The rules checked:
 *
 * <ul>
 *   <li>every node has a {@code type} (object, array, string, integer, number or boolean) unless
 *       {@code x-kubernetes-int-or-string} or {@code x-kubernetes-preserve-unknown-fields} is true;
 *       arrays have {@code items};
 *   <li>inside {@code allOf}, {@code anyOf}, {@code oneOf} and {@code not} there is no {@code
 *       type}, {@code description}, {@code default}, {@code additionalProperties}, {@code nullable}
 *       or {@code x-kubernetes-*} (but the int-or-string pattern), and every property or items they
 *       constrain is also specified outside them;
 *   <li>the root is {@code type: object}, has only the fields v1 allows at the root, and its {@code
 *       metadata} may only restrict {@code name} and {@code generateName};
 *   <li>no {@code additionalProperties} with {@code properties}, unless it is {@code true};
 *   <li>no {@code $ref}, {@code id}, {@code definitions}, {@code dependencies}, {@code
 *       patternProperties}, {@code additionalItems}, {@code uniqueItems: true}, {@code type: null}
 *       or {@code items} lists; {@code x-kubernetes-preserve-unknown-fields} is true if set; list
 *       and map types only on arrays and objects.
 * </ul>
 *
 * <p>Each rule was checked against kube-apiserver v1.37, which rejects a CRD that breaks it, with
 * one exception kept on purpose: the apiserver accepts a property or items that only a junctor
 * mentions, but then prunes that field from every object, so it is reported here and repaired.
 */
public final class StructuralSchema {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.MANIFEST);
  static final String ROOT = "openAPIV3Schema";
  static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";
  static final String INT_OR_STRING = "x-kubernetes-int-or-string";
  static final Set<String> TYPES =
      Set.of("object", "array", "string", "integer", "number", "boolean");
  static final List<String> JUNCTORS = List.of("allOf", "anyOf", "oneOf", "not");
  static final List<String> UNSUPPORTED =
      List.of("$ref", "id", "definitions", "dependencies", "patternProperties", "additionalItems");
  static final Set<String> FORBIDDEN_IN_JUNCTORS =
      Set.of("type", "description", "default", "additionalProperties", "nullable");
  static final Set<String> ROOT_FIELDS =
      Set.of(
          "description",
          "type",
          "format",
          "title",
          "maximum",
          "exclusiveMaximum",
          "minimum",
          "exclusiveMinimum",
          "maxLength",
          "minLength",
          "pattern",
          "maxItems",
          "minItems",
          "uniqueItems",
          "multipleOf",
          "required",
          "items",
          "properties",
          "externalDocs",
          "example",
          PRESERVE,
          "x-kubernetes-validations");
  private static final Set<String> METADATA_PROPERTIES = Set.of("name", "generateName");

  private StructuralSchema() {}

  /**
   * Returns what makes {@code schema} (an {@code openAPIV3Schema}) unacceptable to v1, one
   * human-readable line each with a path such as {@code openAPIV3Schema.properties[spec].type};
   * empty if it is acceptable.
   */
  public static List<String> violations(JsonNode schema) {
    List<String> out = new ArrayList<>();
    if (schema == null || !schema.isObject()) {
      out.add(ROOT + ": must be a schema object");
      return out;
    }
    checkRoot(schema, out);
    check(schema, ROOT, out);
    return out;
  }

  private static void checkRoot(JsonNode schema, List<String> out) {
    if (!"object".equals(schema.path("type").asText())) {
      out.add(ROOT + ".type: must be object at the root");
    }
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!ROOT_FIELDS.contains(field)) {
        out.add(ROOT + "." + field + ": is not allowed at the root of a CRD schema");
      }
    }
    JsonNode metadata = schema.path("properties").path("metadata");
    if (metadata.isMissingNode()) {
      return;
    }
    String path = ROOT + ".properties[metadata]";
    if (!"object".equals(metadata.path("type").asText())) {
      out.add(path + ".type: must be object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      boolean ok =
          field.getKey().equals("type")
              || field.getKey().equals("properties") && onlyNameAndGenerateName(field.getValue());
      if (!ok) {
        out.add(
            path
                + "."
                + field.getKey()
                + ": the root metadata must not specify anything other than name and"
                + " generateName");
      }
    }
  }

  private static boolean onlyNameAndGenerateName(JsonNode properties) {
    for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
      if (!METADATA_PROPERTIES.contains(it.next())) {
        return false;
      }
    }
    return properties.isObject();
  }

  private static void check(JsonNode node, String path, List<String> out) {
    if (!node.isObject()) {
      out.add(path + ": must be a schema object");
      return;
    }
    checkType(node, path, out);
    checkFields(node, path, out);
    checkJunctors(node, path, out);
    JsonNode properties = node.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      check(property.getValue(), path + ".properties[" + property.getKey() + "]", out);
    }
    JsonNode additional = node.get("additionalProperties");
    if (additional != null && additional.isObject()) {
      check(additional, path + ".additionalProperties", out);
    }
    JsonNode items = node.get("items");
    if (items != null && items.isObject()) {
      check(items, path + ".items", out);
    }
  }

  private static void checkType(JsonNode node, String path, List<String> out) {
    boolean intOrString = isTrue(node, INT_OR_STRING);
    JsonNode type = node.get("type");
    boolean typed = type != null && !(type.isTextual() && type.asText().isEmpty());
    if (!typed) {
      if (!intOrString && !isTrue(node, PRESERVE)) {
        out.add(
            path
                + ".type: must not be empty (every node needs a type unless "
                + INT_OR_STRING
                + " or "
                + PRESERVE
                + " is true)");
      }
    } else if (type.isTextual() && type.asText().equals("null")) {
      out.add(path + ".type: cannot be null; use nullable: true");
    } else if (!type.isTextual() || !TYPES.contains(type.asText())) {
      out.add(path + ".type: " + type + " is not one of " + new java.util.TreeSet<>(TYPES));
    }
    if (typed && type.asText().equals("array") && node.get("items") == null) {
      out.add(path + ".items: must be specified for type array");
    }
    if (node.has("x-kubernetes-list-type") && !"array".equals(node.path("type").asText())) {
      out.add(path + ".type: must be array if x-kubernetes-list-type is specified");
    }
    if (node.has("x-kubernetes-map-type") && !"object".equals(node.path("type").asText())) {
      out.add(path + ".type: must be object if x-kubernetes-map-type is specified");
    }
  }

  private static void checkFields(JsonNode node, String path, List<String> out) {
    if (node.has(PRESERVE) && !isTrue(node, PRESERVE)) {
      out.add(path + "." + PRESERVE + ": must be true or undefined");
    }
    for (String field : UNSUPPORTED) {
      if (node.has(field)) {
        out.add(path + "." + field + ": is not supported in apiextensions.k8s.io/v1");
      }
    }
    if (node.path("uniqueItems").asBoolean(false)) {
      out.add(path + ".uniqueItems: cannot be true (its runtime cost is quadratic)");
    }
    JsonNode items = node.get("items");
    if (items != null && !items.isObject()) {
      out.add(path + ".items: must be a schema object, not a list");
    }
    JsonNode additional = node.get("additionalProperties");
    if (additional != null && !additional.asBoolean(false) && node.path("properties").size() > 0) {
      out.add(path + ".additionalProperties: and properties are mutually exclusive");
    }
    if (additional != null && !additional.isObject() && !additional.isBoolean()) {
      out.add(path + ".additionalProperties: must be a schema object or a boolean");
    }
  }

  private static void checkJunctors(JsonNode node, String path, List<String> out) {
    boolean intOrString = isTrue(node, INT_OR_STRING);
    for (String junctor : JUNCTORS) {
      JsonNode value = node.get(junctor);
      if (value == null) {
        continue;
      }
      if (junctor.equals("not")) {
        checkJunctor(value, node, path + ".not", intOrString, out);
      } else if (value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          checkJunctor(value.get(i), node, path + "." + junctor + "[" + i + "]", intOrString, out);
        }
      } else {
        out.add(path + "." + junctor + ": must be a list of schemas");
      }
    }
  }

  private static void checkJunctor(
      JsonNode junctor, JsonNode structural, String path, boolean intOrString, List<String> out) {
    if (!junctor.isObject()) {
      out.add(path + ": must be a schema object");
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = junctor.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (forbiddenInJunctor(key, field.getValue(), intOrString)) {
        out.add(path + "." + key + ": must not be set inside allOf, anyOf, oneOf or not");
      }
      if (UNSUPPORTED.contains(key)) {
        out.add(path + "." + key + ": is not supported in apiextensions.k8s.io/v1");
      }
    }
    JsonNode properties = junctor.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String propertyPath = path + ".properties[" + property.getKey() + "]";
      JsonNode outside = structural.path("properties").get(property.getKey());
      if (outside == null) {
        out.add(propertyPath + ": must also be specified outside the logical junctors");
      } else {
        checkJunctor(property.getValue(), outside, propertyPath, false, out);
      }
    }
    JsonNode items = junctor.get("items");
    if (items != null) {
      JsonNode outside = structural.get("items");
      if (outside == null || !outside.isObject()) {
        out.add(path + ".items: must also be specified outside the logical junctors");
      } else {
        checkJunctor(items, outside, path + ".items", false, out);
      }
    }
    for (String nested : JUNCTORS) {
      JsonNode value = junctor.get(nested);
      if (value != null && value.isObject()) {
        checkJunctor(value, structural, path + "." + nested, intOrString, out);
      } else if (value != null && value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          checkJunctor(
              value.get(i), structural, path + "." + nested + "[" + i + "]", intOrString, out);
        }
      }
    }
  }

  static boolean forbiddenInJunctor(String key, JsonNode value, boolean intOrString) {
    if (key.equals("type") && intOrString) {
      // the int-or-string pattern: anyOf: [{type: integer}, {type: string}]
      return !(value.asText().equals("integer") || value.asText().equals("string"));
    }
    return FORBIDDEN_IN_JUNCTORS.contains(key) || key.startsWith("x-kubernetes-");
  }

  static boolean isTrue(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isBoolean() && value.asBoolean();
  }

  /**
   * Returns a copy of the schema repaired to be structural and v1-valid (see {@link SchemaRepair}).
   */
  public static ObjectNode repair(JsonNode schema) {
    return SchemaRepair.repair(schema);
  }
}
