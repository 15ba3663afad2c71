package dev.operatorsetup.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One Kubernetes object as a JSON tree. Immutable: every accessor returns a copy and {@link #edit}
 * makes a changed copy.
 */
public final class KubeObject {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ObjectNode node;

  private KubeObject(ObjectNode node) {
    this.node = node;
  }

  /**
   * Wraps a copy of a JSON object that has apiVersion, kind and metadata.name.
   *
   * @throws InvalidConfigurationException if one of those is missing
   */
  @JsonCreator
  public static KubeObject of(JsonNode node) {
    if (node == null
        || !node.isObject()
        || !node.path("apiVersion").isTextual()
        || !node.path("kind").isTextual()
        || !node.path("metadata").path("name").isTextual()) {
      throw new InvalidConfigurationException(
          "manifest object",
          node == null ? null : node.toString(),
          "every object needs apiVersion, kind and metadata.name",
          "fix the manifest document");
    }
    return new KubeObject(node.deepCopy());
  }

  /** Parses one object from JSON text. */
  public static KubeObject parse(String json) {
    try {
      return of(MAPPER.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidConfigurationException(
          "manifest object", json, "it is not valid JSON: " + e.getOriginalMessage(), "fix it");
    }
  }

  /** Returns a deep copy of the tree. */
  @JsonValue
  public ObjectNode json() {
    return node.deepCopy();
  }

  /** Returns a copy changed by {@code change}, which gets a private copy of the tree. */
  public KubeObject edit(Consumer<ObjectNode> change) {
    ObjectNode copy = node.deepCopy();
    change.accept(copy);
    return of(copy);
  }

  /**
   * Returns a copy whose labels are changed by {@code change}; an object without labels gets an
   * empty map of them first.
   */
  public KubeObject editLabels(Consumer<ObjectNode> change) {
    return edit(
        node -> {
          ObjectNode metadata = (ObjectNode) node.get("metadata");
          JsonNode labels = metadata.get("labels");
          change.accept(labels instanceof ObjectNode l ? l : metadata.putObject("labels"));
        });
  }

  public String apiVersion() {
    return node.get("apiVersion").asText();
  }

  public String kind() {
    return node.get("kind").asText();
  }

  public String name() {
    return node.get("metadata").get("name").asText();
  }

  public Optional<String> namespace() {
    JsonNode ns = node.path("metadata").path("namespace");
    return ns.isTextual() && !ns.asText().isEmpty() ? Optional.of(ns.asText()) : Optional.empty();
  }

  public ObjectRef ref() {
    return ObjectRef.of(apiVersion(), kind(), namespace().orElse(null), name());
  }

  public Map<String, String> labels() {
    return stringMap(node.path("metadata").path("labels"));
  }

  public Map<String, String> annotations() {
    return stringMap(node.path("metadata").path("annotations"));
  }

  /** Returns the value at a JSON pointer such as {@code /status/phase}, or a missing node. */
  public JsonNode at(String pointer) {
    return node.at(pointer).deepCopy();
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /**
   * Returns whether every field set in {@code desired} has the same value here. Lists must have the
   * same length and match element by element. This is how a re-run decides an object needs no
   * apply: the server adds defaults, but never drops what was applied.
   */
  public boolean contains(KubeObject desired) {
    return subset(desired.node, node);
  }

  private static boolean subset(JsonNode want, JsonNode have) {
    if (want.isObject()) {
      if (!have.isObject()) {
        return false;
      }
      for (var it = want.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode h = have.get(e.getKey());
        if (e.getValue().isNull()) {
          if (h != null && !h.isNull()) {
            return false;
          }
          continue;
        }
        if (h == null && isEmptyValue(e.getValue())) {
          continue; // the server omits empty values (omitempty)
        }
        if (h == null || !subset(e.getValue(), h)) {
          return false;
        }
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        return false;
      }
      Map<String, JsonNode> byName = byName(have);
      if (byName != null && byName(want) != null) {
        // A list keyed by name (containers, env, ports, volumes): the server merges it by key
        // under server-side apply, so an element added by an upgrade may sit elsewhere.
        for (JsonNode w : want) {
          JsonNode h = byName.get(w.get("name").asText());
          if (h == null || !subset(w, h)) {
            return false;
          }
        }
        return true;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!subset(want.get(i), have.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (want.isNumber() && have.isNumber()) {
      return want.decimalValue().compareTo(have.decimalValue()) == 0;
    }
    if (want.isValueNode() && have.isValueNode() && !want.isNumber() && !have.isNumber()) {
      return want.asText().equals(have.asText()) && want.getNodeType() == have.getNodeType();
    }
    return want.asText().equals(have.asText());
  }

  /** The elements by their {@code name}, or null unless every one has a distinct textual name. */
  private static Map<String, JsonNode> byName(JsonNode list) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode e : list) {
      if (!e.path("name").isTextual() || out.put(e.get("name").asText(), e) != null) {
        return null;
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static boolean isEmptyValue(JsonNode n) {
    return n.isNull()
        || (n.isTextual() && n.asText().isEmpty())
        || (n.isContainerNode() && n.isEmpty())
        || (n.isBoolean() && !n.asBoolean())
        || (n.isNumber() && n.asDouble() == 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KubeObject other && other.node.equals(node);
  }

  @Override
  public int hashCode() {
    return node.hashCode();
  }

  @Override
  public String toString() {
    return ref().display();
  }
}
