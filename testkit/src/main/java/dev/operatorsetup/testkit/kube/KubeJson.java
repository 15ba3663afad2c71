package dev.operatorsetup.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small JSON helpers the fake's parts share: nodes, conditions, labels, timestamps. */
final class KubeJson {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The alphabet Kubernetes uses for generated name suffixes and the pod-template-hash. */
  static final String SAFE_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private KubeJson() {}

  static String timestamp() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static ObjectNode condition(
      String type, String status, String reason, String message, String time) {
    ObjectNode c = JSON.objectNode().put("type", type).put("status", status);
    c.put("lastTransitionTime", time);
    if (reason != null) {
      c.put("reason", reason);
    }
    if (message != null) {
      c.put("message", message);
    }
    return c;
  }

  static JsonNode condition(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  static ObjectNode objectAt(ObjectNode parent, String field) {
    JsonNode c = parent.get(field);
    return c instanceof ObjectNode o ? o : parent.putObject(field);
  }

  static ArrayNode arrayAt(ObjectNode parent, String field) {
    JsonNode c = parent.get(field);
    return c instanceof ArrayNode a ? a : parent.putArray(field);
  }

  static void putIfAbsent(ObjectNode node, String field, JsonNode value) {
    if (!node.has(field)) {
      node.set(field, value);
    }
  }

  static void putPositive(ObjectNode node, String field, long value) {
    if (value > 0) {
      node.put(field, value);
    }
  }

  static Map<String, String> labels(JsonNode obj) {
    return stringMap(obj.path("metadata").path("labels"));
  }

  static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n.isObject()) {
      n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  static boolean matches(Map<String, String> labels, Map<String, String> selector) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static void bumpGeneration(ObjectNode obj) {
    ObjectNode meta = (ObjectNode) obj.get("metadata");
    meta.put("generation", meta.path("generation").asLong(0) + 1);
  }
}
