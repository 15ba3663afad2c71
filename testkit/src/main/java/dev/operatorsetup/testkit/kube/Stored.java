package dev.operatorsetup.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** One stored object: its group and kind, its JSON, and which manager owns which of its fields. */
final class Stored {
  final String group;
  final String kind;
  ObjectNode obj;
  Map<Manager, Ownership> managers = new LinkedHashMap<>();

  Stored(String group, String kind, ObjectNode obj) {
    this.group = group;
    this.kind = kind;
    this.obj = obj;
  }

  boolean is(String group, String kind) {
    return this.group.equals(group) && this.kind.equals(kind);
  }

  ObjectNode meta() {
    return (ObjectNode) obj.get("metadata");
  }

  String name() {
    return obj.path("metadata").path("name").asText();
  }

  String namespace() {
    JsonNode ns = obj.path("metadata").path("namespace");
    return ns.isTextual() ? ns.asText() : null;
  }

  String uid() {
    return obj.path("metadata").path("uid").asText();
  }

  boolean deleting() {
    return obj.path("metadata").has("deletionTimestamp");
  }

  String display() {
    return kind + " " + (namespace() == null ? "" : namespace() + "/") + name();
  }

  /** Returns whether one of this object's owner references names {@code uid}. */
  boolean ownedBy(String uid) {
    for (JsonNode o : obj.path("metadata").path("ownerReferences")) {
      if (uid.equals(o.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }
}
