package dev.operatorsetup.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What kube-apiserver does with a custom resource and the structural OpenAPI v3 schema of its
 * version on server-side apply: reject undeclared fields and wrong JSON types, fill in defaults,
 * then validate. Covers the keywords installers use (type, properties, items, additionalProperties,
 * required, enum, pattern, minimum, maximum, minLength, maxLength, minItems, maxItems, nullable,
 * default, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string); anything else is
 * accepted as the real server would mostly accept it.
 */
final class KubeSchemas {
  private KubeSchemas() {}

  /** Sets {@code default} values of absent properties, recursively. */
  static void applyDefaults(JsonNode node, JsonNode schema) {
    if (schema == null || node == null) {
      return;
    }
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> it =
              schema.path("properties").properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!obj.has(p.getKey()) && p.getValue().has("default")) {
          obj.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (obj.has(p.getKey())) {
          applyDefaults(obj.get(p.getKey()), p.getValue());
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!schema.path("properties").has(e.getKey())) {
            applyDefaults(e.getValue(), additional);
          }
        }
      }
    } else if (node.isArray() && schema.has("items")) {
      for (JsonNode item : node) {
        applyDefaults(item, schema.get("items"));
      }
    }
  }

  /**
   * Returns the validation errors, each like the real server's: {@code spec.size: Invalid value:
   * "big": spec.size in body must be of type integer: "string"}.
   */
  static List<String> validate(ObjectNode object, JsonNode schema) {
    List<String> errors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      if (f.equals("apiVersion") || f.equals("kind") || f.equals("metadata")) {
        continue;
      }
      JsonNode s = schema.path("properties").get(f);
      if (s != null) {
        check(e.getValue(), s, f, errors);
      }
    }
    for (JsonNode r : schema.path("required")) {
      if (!object.has(r.asText()) && !isMeta(r.asText())) {
        errors.add(r.asText() + ": Required value");
      }
    }
    return errors;
  }

  private static boolean isMeta(String f) {
    return f.equals("apiVersion") || f.equals("kind") || f.equals("metadata");
  }

  private static void check(JsonNode v, JsonNode s, String path, List<String> errors) {
    if (!checkType(v, s, path, errors)) {
      return;
    }
    if (s.has("enum")) {
      checkEnum(v, s, path, errors);
    }
    if (v.isTextual()) {
      checkString(v.asText(), s, path, errors);
    }
    if (v.isNumber()) {
      checkNumber(v, s, path, errors);
    }
    if (v.isArray()) {
      checkArray((ArrayNode) v, s, path, errors);
    }
    if (v.isObject()) {
      checkObject(v, s, path, errors);
    }
  }

  /** Checks null and the JSON type; returns whether the value's content should be checked. */
  private static boolean checkType(JsonNode v, JsonNode s, String path, List<String> errors) {
    if (v.isNull()) {
      if (!s.path("nullable").asBoolean(false)) {
        errors.add(
            path
                + ": Invalid value: \"null\": "
                + path
                + " in body must be of type "
                + type(s)
                + ": \"null\"");
      }
      return false;
    }
    String type = s.path("type").asText("");
    boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
    if (intOrString) {
      if (!v.isIntegralNumber() && !v.isTextual()) {
        errors.add(
            path
                + ": Invalid value: \""
                + kindOf(v)
                + "\": "
                + path
                + " in body must be of type integer or string: \""
                + kindOf(v)
                + "\"");
        return false;
      }
    } else if (!type.isEmpty() && !matchesType(v, type)) {
      errors.add(
          path
              + ": Invalid value: \""
              + kindOf(v)
              + "\": "
              + path
              + " in body must be of type "
              + type
              + ": \""
              + kindOf(v)
              + "\"");
      return false;
    }
    return true;
  }

  private static void checkEnum(JsonNode v, JsonNode s, String path, List<String> errors) {
    boolean found = false;
    List<String> allowed = new ArrayList<>();
    for (JsonNode e : s.get("enum")) {
      allowed.add(e.toString());
      found |= e.equals(v);
    }
    if (!found) {
      errors.add(
          path + ": Unsupported value: " + v + ": supported values: " + String.join(", ", allowed));
    }
  }

  private static void checkString(String t, JsonNode s, String path, List<String> errors) {
    if (s.has("pattern")) {
      try {
        if (!Pattern.compile(s.get("pattern").asText()).matcher(t).find()) {
          errors.add(
              path
                  + ": Invalid value: \""
                  + t
                  + "\": "
                  + path
                  + " in body should match '"
                  + s.get("pattern").asText()
                  + "'");
        }
      } catch (PatternSyntaxException ignored) {
        // the real server rejects such a CRD; here the pattern is simply not enforced
      }
    }
    if (s.has("maxLength") && t.length() > s.get("maxLength").asInt()) {
      errors.add(
          path + ": Too long: may not be more than " + s.get("maxLength").asInt() + " bytes");
    }
    if (s.has("minLength") && t.length() < s.get("minLength").asInt()) {
      errors.add(
          path
              + ": Invalid value: \""
              + t
              + "\": "
              + path
              + " in body should be at least "
              + s.get("minLength").asInt()
              + " chars long");
    }
  }

  private static void checkNumber(JsonNode v, JsonNode s, String path, List<String> errors) {
    if (s.has("minimum") && v.decimalValue().compareTo(s.get("minimum").decimalValue()) < 0) {
      errors.add(
          path
              + ": Invalid value: "
              + v
              + ": "
              + path
              + " in body should be greater than or equal to "
              + s.get("minimum"));
    }
    if (s.has("maximum") && v.decimalValue().compareTo(s.get("maximum").decimalValue()) > 0) {
      errors.add(
          path
              + ": Invalid value: "
              + v
              + ": "
              + path
              + " in body should be less than or equal to "
              + s.get("maximum"));
    }
  }

  private static void checkArray(ArrayNode a, JsonNode s, String path, List<String> errors) {
    if (s.has("maxItems") && a.size() > s.get("maxItems").asInt()) {
      errors.add(
          path
              + ": Too many: "
              + a.size()
              + ": must have at most "
              + s.get("maxItems").asInt()
              + " items");
    }
    if (s.has("minItems") && a.size() < s.get("minItems").asInt()) {
      errors.add(
          path
              + ": Invalid value: "
              + a.size()
              + ": "
              + path
              + " in body should have at least "
              + s.get("minItems").asInt()
              + " items");
    }
    if (s.has("items")) {
      for (int i = 0; i < a.size(); i++) {
        check(a.get(i), s.get("items"), path + "[" + i + "]", errors);
      }
    }
  }

  private static void checkObject(JsonNode v, JsonNode s, String path, List<String> errors) {
    JsonNode props = s.path("properties");
    JsonNode additional = s.path("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String child = path + "." + e.getKey();
      if (props.has(e.getKey())) {
        check(e.getValue(), props.get(e.getKey()), child, errors);
      } else if (additional.isObject()) {
        check(e.getValue(), additional, child, errors);
      }
    }
    for (JsonNode r : s.path("required")) {
      if (!v.has(r.asText())) {
        errors.add(path + "." + r.asText() + ": Required value");
      }
    }
  }

  private static String type(JsonNode s) {
    return s.path("type").asText("object");
  }

  private static boolean matchesType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  /** The JSON types a value can have, the narrower first (an integer is also a number). */
  private static final List<String> JSON_TYPES =
      List.of("object", "array", "string", "integer", "number", "boolean");

  private static String kindOf(JsonNode v) {
    return JSON_TYPES.stream().filter(t -> matchesType(v, t)).findFirst().orElse("null");
  }

  /**
   * Returns what server-side apply's typed conversion rejects (the real server answers HTTP 500
   * "failed to create typed patch object"): fields the schema does not declare (unless it preserves
   * unknown fields there) and values of the wrong JSON type. Integer and number both count as
   * numeric here; the finer checks come later, in {@link #validate}.
   */
  static List<String> typeErrors(JsonNode node, JsonNode schema, String path) {
    List<String> errors = new ArrayList<>();
    typed(node, schema, path, errors);
    return errors;
  }

  private static void typed(JsonNode v, JsonNode s, String path, List<String> errors) {
    if (s == null || s.isMissingNode() || v.isNull()) {
      return;
    }
    String type = s.path("type").asText("");
    if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!v.isNumber() && !v.isTextual()) {
        errors.add(path + ": expected numeric (int or float) or string, got " + kindOf(v));
      }
      return;
    }
    boolean ok =
        switch (type) {
          case "object" -> v.isObject();
          case "array" -> v.isArray();
          case "string" -> v.isTextual();
          case "integer", "number" -> v.isNumber();
          case "boolean" -> v.isBoolean();
          default -> true;
        };
    if (!ok) {
      String expected =
          switch (type) {
            case "object" -> "map";
            case "array" -> "list";
            case "integer", "number" -> "numeric (int or float)";
            default -> type;
          };
      errors.add(path + ": expected " + expected + ", got " + kindOf(v));
      return;
    }
    if (v.isObject()) {
      JsonNode props = s.path("properties");
      JsonNode additional = s.path("additionalProperties");
      boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path + "." + e.getKey();
        if (props.has(e.getKey())) {
          typed(e.getValue(), props.get(e.getKey()), child, errors);
        } else if (additional.isObject()) {
          typed(e.getValue(), additional, child, errors);
        } else if (!preserve && !additional.asBoolean(false)) {
          errors.add(child + ": field not declared in schema");
        }
      }
    } else if (v.isArray() && s.has("items")) {
      for (JsonNode item : v) {
        typed(item, s.get("items"), path, errors);
      }
    }
  }

  /**
   * Checks the rules the real server enforces on a v1 schema: present, {@code type: object} at the
   * root, and every node typed (structural) unless it preserves unknown fields or is int-or-string.
   * Returns the errors.
   */
  static List<String> checkStructural(JsonNode schema, String path) {
    List<String> errors = new ArrayList<>();
    if (schema == null || schema.isMissingNode() || schema.isNull()) {
      errors.add(path + ": Required value");
      return errors;
    }
    if (!"object".equals(schema.path("type").asText())) {
      errors.add(path + ".type: Required value: must be object at the root");
    }
    structural(schema, path, errors);
    return errors;
  }

  private static void structural(JsonNode s, String path, List<String> errors) {
    boolean typed = s.has("type");
    boolean exempt =
        s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
            || s.path("x-kubernetes-int-or-string").asBoolean(false);
    if (!typed && !exempt) {
      errors.add(path + ".type: Required value: must not be empty for specified object fields");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      structural(e.getValue(), path + ".properties[" + e.getKey() + "]", errors);
    }
    if (s.path("items").isObject()) {
      structural(s.get("items"), path + ".items", errors);
    }
    if (s.path("additionalProperties").isObject()) {
      structural(s.get("additionalProperties"), path + ".additionalProperties", errors);
    }
  }
}
