package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.model.KubeObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fake's etcd: every stored object by group, kind, namespace and name, the kinds served (the
 * built-in ones and those of the stored CRDs), the resourceVersion counter, and how an object is
 * presented to a client (with its {@code managedFields}). Not thread-safe; guarded by the cluster's
 * lock.
 */
final class ObjectStore {
  private final Map<String, Stored> objects = new LinkedHashMap<>();
  private boolean legacyCrds;
  private long resourceVersion = 100;
  private int nextIp = 1;

  void serveLegacyCrds(boolean serve) {
    this.legacyCrds = serve;
  }

  // ---------------------------------------------------------------------------------------------
  // objects

  /** The stored objects, live, in insertion order. */
  Collection<Stored> all() {
    return objects.values();
  }

  /** A copy of the stored objects, to iterate while changing the store. */
  List<Stored> snapshot() {
    return List.copyOf(objects.values());
  }

  boolean contains(Stored st) {
    return objects.containsValue(st);
  }

  Stored get(KubeKind k, String namespace, String name) {
    return objects.get(key(k, namespace, name));
  }

  Stored get(String group, String kind, String namespace, String name) {
    return objects.get(key(group, kind, namespace, name));
  }

  Stored crd(String name) {
    return get(KubeKind.CRD_GROUP, "CustomResourceDefinition", null, name);
  }

  /** Stores {@code st} under its group, kind, namespace and name. */
  void add(Stored st) {
    objects.put(key(st.group, st.kind, st.namespace(), st.name()), st);
  }

  void remove(Stored st) {
    objects.values().remove(st);
  }

  /** Returns whether an object of that group, kind, namespace and name is stored. */
  boolean exists(String group, String kind, String namespace, String name) {
    return objects.containsKey(key(group, kind, namespace, name));
  }

  private static String key(KubeKind k, String namespace, String name) {
    return key(
        k.group(),
        k.kind(),
        k.namespaced() ? (namespace == null ? "default" : namespace) : null,
        name);
  }

  private static String key(String group, String kind, String namespace, String name) {
    return group + "|" + kind + "|" + (namespace == null ? "" : namespace) + "|" + name;
  }

  // ---------------------------------------------------------------------------------------------
  // kinds

  List<KubeKind> kinds() {
    List<KubeKind> kinds = new ArrayList<>(KubeKind.builtIns(legacyCrds));
    for (Stored st : objects.values()) {
      if (st.is(KubeKind.CRD_GROUP, "CustomResourceDefinition")) {
        kinds.addAll(KubeKind.fromCrd(st.obj));
      }
    }
    return kinds;
  }

  /** Returns the kind served at {@code apiVersion}, or null if none is. */
  KubeKind kindFor(String apiVersion, String kind) {
    for (KubeKind k : kinds()) {
      if (k.apiVersion().equals(apiVersion) && k.kind().equals(kind)) {
        return k;
      }
    }
    return null;
  }

  KubeKind kind(String group, String kind) {
    for (KubeKind k : kinds()) {
      if (k.is(group, kind)) {
        return k;
      }
    }
    throw new IllegalStateException("unknown kind " + kind);
  }

  /** The apiVersion a CRD's objects are stored at: its storage version. */
  static String storageApiVersion(JsonNode crd, List<KubeKind> kinds) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        return kinds.get(0).group() + "/" + v.path("name").asText();
      }
    }
    return kinds.get(0).apiVersion();
  }

  // ---------------------------------------------------------------------------------------------
  // metadata the server owns

  /**
   * Returns a new object with the metadata the server sets on create: name, namespace (if any),
   * uid, resourceVersion, generation (if the kind has one) and creationTimestamp.
   */
  ObjectNode create(
      String apiVersion, String kind, String name, String namespace, boolean generation) {
    ObjectNode obj = JSON.objectNode();
    obj.put("apiVersion", apiVersion);
    obj.put("kind", kind);
    ObjectNode meta = obj.putObject("metadata");
    meta.put("name", name);
    if (namespace != null) {
      meta.put("namespace", namespace);
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("resourceVersion", String.valueOf(++resourceVersion));
    if (generation) {
      meta.put("generation", 1);
    }
    meta.put("creationTimestamp", KubeJson.timestamp());
    return obj;
  }

  void bumpResourceVersion(ObjectNode obj) {
    ((ObjectNode) obj.get("metadata")).put("resourceVersion", String.valueOf(++resourceVersion));
  }

  /** The next number for a made-up IP address (Services and Pods share the counter). */
  int nextIp() {
    return nextIp++;
  }

  /** Returns the object as a client reads it at {@code apiVersion}, with its managedFields. */
  KubeObject present(Stored st, String apiVersion) {
    ObjectNode out = st.obj.deepCopy();
    out.put("apiVersion", apiVersion);
    if (!st.managers.isEmpty()) {
      ArrayNode managed = ((ObjectNode) out.get("metadata")).putArray("managedFields");
      st.managers.forEach(
          (m, o) -> {
            ObjectNode entry = managed.addObject();
            entry.put("manager", m.name());
            entry.put("operation", m.operation());
            entry.put("apiVersion", o.apiVersion);
            entry.put("time", o.time);
            entry.put("fieldsType", "FieldsV1");
            entry.set("fieldsV1", KubeFieldSets.fieldsV1(o.paths));
          });
    }
    return KubeObject.of(out);
  }
}
