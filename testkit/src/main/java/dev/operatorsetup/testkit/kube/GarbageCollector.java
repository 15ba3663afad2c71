package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.arrayAt;
import static dev.operatorsetup.testkit.kube.KubeJson.condition;
import static dev.operatorsetup.testkit.kube.KubeJson.objectAt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletion as the API server and kube-controller-manager do it: finalizers hold an object in
 * Terminating; a Namespace's deletion deletes its objects and then finishes; a CRD's deletion
 * deletes its custom resources and then drops its cleanup finalizer; objects whose owners are all
 * gone are deleted.
 */
final class GarbageCollector {
  private static final String CRD_CLEANUP = "customresourcecleanup.apiextensions.k8s.io";

  private final ObjectStore store;

  GarbageCollector(ObjectStore store) {
    this.store = store;
  }

  private static boolean isNamespace(Stored st) {
    return st.is("", "Namespace");
  }

  private static boolean isCrd(Stored st) {
    return st.is(KubeKind.CRD_GROUP, "CustomResourceDefinition");
  }

  /** Starts deleting {@code st}: at once without finalizers, else it becomes Terminating. */
  void startDeletion(Stored st) {
    if (st.deleting()) {
      return;
    }
    boolean namespace = isNamespace(st);
    if (isCrd(st)) {
      ArrayNode finalizers = arrayAt(st.meta(), "finalizers");
      if (KubeFieldSets.indexOf(finalizers, "v:\"" + CRD_CLEANUP + "\"") < 0) {
        finalizers.add(CRD_CLEANUP);
      }
      ArrayNode conditions = arrayAt(objectAt(st.obj, "status"), "conditions");
      conditions.add(
          condition(
              "Terminating",
              "True",
              "InstanceDeletionPending",
              "CustomResourceDefinition marked for deletion; instance deletion pending",
              KubeJson.timestamp()));
    }
    boolean blocked =
        st.meta().path("finalizers").size() > 0
            || (namespace && st.obj.path("spec").path("finalizers").size() > 0);
    if (!blocked) {
      store.remove(st);
      return;
    }
    st.meta().put("deletionTimestamp", KubeJson.timestamp());
    st.meta().put("deletionGracePeriodSeconds", 0);
    if (namespace) {
      objectAt(st.obj, "status").put("phase", "Terminating");
    }
    store.bumpResourceVersion(st.obj);
  }

  /** Removes {@code metadata.finalizers} (and every manager's claim on them). */
  boolean removeFinalizers(Stored st) {
    if (st.meta().path("finalizers").size() == 0) {
      return false;
    }
    st.meta().remove("finalizers");
    for (Ownership o : st.managers.values()) {
      o.paths.removeIf(
          p -> p.size() >= 2 && p.get(0).equals("f:metadata") && p.get(1).equals("f:finalizers"));
    }
    st.managers.values().removeIf(o -> o.paths.isEmpty());
    store.bumpResourceVersion(st.obj);
    return true;
  }

  /** One round of garbage collection and finalization; returns whether anything changed. */
  boolean collect() {
    boolean changed = false;
    Set<String> uids = new HashSet<>();
    for (Stored s : store.all()) {
      uids.add(s.uid());
    }
    for (Stored st : store.snapshot()) {
      if (!store.contains(st)) {
        continue;
      }
      if (orphaned(st, uids)) {
        startDeletion(st);
        changed = true;
        continue;
      }
      if (st.deleting()) {
        changed |= finish(st);
      }
    }
    return changed;
  }

  /** Owned objects whose owners are all gone. */
  private static boolean orphaned(Stored st, Set<String> uids) {
    JsonNode owners = st.meta().path("ownerReferences");
    if (owners.size() == 0 || st.deleting()) {
      return false;
    }
    for (JsonNode o : owners) {
      if (uids.contains(o.path("uid").asText())) {
        return false;
      }
    }
    return true;
  }

  /** Moves a Terminating object on: its content is deleted, then finalizers, then itself. */
  private boolean finish(Stored st) {
    boolean changed = false;
    if (isNamespace(st)) {
      changed |= emptyNamespace(st);
    }
    if (isCrd(st)) {
      List<Stored> instances = instancesOf(st);
      changed |= deleteAll(instances);
      if (!instances.isEmpty()) {
        return changed;
      }
      ArrayNode finalizers = arrayAt(st.meta(), "finalizers");
      int i = KubeFieldSets.indexOf(finalizers, "v:\"" + CRD_CLEANUP + "\"");
      if (i >= 0) {
        finalizers.remove(i);
        store.bumpResourceVersion(st.obj);
        changed = true;
      }
    }
    boolean namespaceFinalizers =
        isNamespace(st) && st.obj.path("spec").path("finalizers").size() > 0;
    if (st.meta().path("finalizers").size() == 0 && !namespaceFinalizers) {
      store.remove(st);
      changed = true;
    }
    return changed;
  }

  /** Deletes a Terminating namespace's objects; once none is left, drops spec.finalizers. */
  private boolean emptyNamespace(Stored ns) {
    boolean changed = deleteAll(store.all().stream().filter(s -> inNamespace(s, ns)).toList());
    if (store.all().stream().noneMatch(s -> inNamespace(s, ns))
        && ns.obj.path("spec").path("finalizers").size() > 0) {
      ((ObjectNode) ns.obj.get("spec")).putArray("finalizers");
      store.bumpResourceVersion(ns.obj);
      changed = true;
    }
    return changed;
  }

  private static boolean inNamespace(Stored s, Stored ns) {
    return ns.name().equals(s.namespace());
  }

  /** The custom resources of a CRD (empty if it defines no kind). */
  private List<Stored> instancesOf(Stored crd) {
    List<KubeKind> kinds = KubeKind.fromCrd(crd.obj);
    if (kinds.isEmpty()) {
      return List.of();
    }
    KubeKind k = kinds.get(0);
    return store.all().stream().filter(s -> s.is(k.group(), k.kind())).toList();
  }

  private boolean deleteAll(List<Stored> objects) {
    boolean changed = false;
    for (Stored s : objects) {
      if (!s.deleting()) {
        startDeletion(s);
        changed = true;
      }
    }
    return changed;
  }

  /** For a Terminating Namespace, what it still waits for; empty for other objects. */
  String waitingFor(Stored st) {
    if (!isNamespace(st)) {
      return "";
    }
    List<String> left =
        store.all().stream()
            .filter(s -> inNamespace(s, st))
            .map(s -> s.display() + " finalizers " + s.meta().path("finalizers"))
            .toList();
    return left.isEmpty() ? "" : "; waiting for " + String.join(", ", left);
  }
}
