package dev.operatorsetup.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.KubeObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply: typed conversion, admission (the namespace exists and is not terminating, the
 * CRD is not terminating), per-field ownership per field manager with conflicts unless forced,
 * removal of the fields a manager stops applying, then defaulting, validation and storing with a
 * new resourceVersion (and generation, when the spec changed).
 */
final class ServerSideApply {
  /** The metadata fields the server sets, never taken from an applied object. */
  static final List<String> SYSTEM_FIELDS =
      List.of(
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink");

  private final ObjectStore store;
  private final Defaults defaults;
  private final Controllers controllers;

  ServerSideApply(ObjectStore store, Defaults defaults, Controllers controllers) {
    this.store = store;
    this.defaults = defaults;
    this.controllers = controllers;
  }

  /** One apply request after typed conversion: its kind, namespace and normalized object. */
  private record Request(
      KubeKind kind,
      String namespace,
      ObjectNode applied,
      String apiVersion,
      String display,
      Manager manager,
      boolean force) {}

  KubeObject apply(KubeObject object, String fieldManager, boolean force) {
    requireManager(fieldManager, object.ref().display());
    KubeKind k = store.kindFor(object.apiVersion(), object.kind());
    if (k == null) {
      throw ResourceNotFoundException.noMatchesForKind(object.ref());
    }
    ObjectNode applied = normalize(object.json(), k);
    String ns = k.namespaced() ? applied.path("metadata").path("namespace").asText() : null;
    String display = k.kind() + " " + (ns == null ? "" : ns + "/") + object.name();
    checkTypes(k, applied, object, ns, display);
    Request request =
        new Request(
            k,
            ns,
            applied,
            object.apiVersion(),
            display,
            new Manager(fieldManager, Manager.APPLY),
            force);
    Stored existing = store.get(k, ns, object.name());
    admit(request, existing);
    return existing == null ? create(request) : update(request, existing);
  }

  static void requireManager(String fieldManager, String display) {
    if (fieldManager == null || fieldManager.isBlank()) {
      throw new InvalidConfigurationException(
          "field manager",
          fieldManager,
          "PATCH " + display + ": fieldManager is required for apply requests",
          "pass a field manager name such as operator-setup");
    }
  }

  /** Drops nulls, the fields only the server sets, and status; defaults the namespace. */
  private static ObjectNode normalize(ObjectNode applied, KubeKind k) {
    stripNulls(applied);
    ObjectNode meta = (ObjectNode) applied.get("metadata");
    SYSTEM_FIELDS.forEach(meta::remove);
    if (k.namespaced()) {
      String ns = meta.path("namespace").asText("");
      meta.put("namespace", ns.isEmpty() ? "default" : ns);
    } else {
      meta.remove("namespace");
    }
    if (k.statusSubresource()) {
      applied.remove("status");
    }
    return applied;
  }

  private static void checkTypes(
      KubeKind k, ObjectNode applied, KubeObject object, String ns, String display) {
    List<String> typeErrors = KubeTypes.errors(k, applied);
    if (!typeErrors.isEmpty()) {
      throw new InvalidConfigurationException(
          "Kubernetes object",
          display,
          "failed to create typed patch object ("
              + (ns == null ? "" : ns + "/")
              + object.name()
              + "; "
              + object.apiVersion()
              + ", Kind="
              + k.kind()
              + "): "
              + String.join(", ", typeErrors),
          "remove the fields the schema does not declare and give every field a value of its type");
    }
  }

  /** Refuses objects in a missing or terminating namespace, and of a terminating CRD. */
  private void admit(Request r, Stored existing) {
    KubeKind k = r.kind();
    String ns = r.namespace();
    if (k.namespaced()) {
      Stored namespace = store.get("", "Namespace", null, ns);
      if (namespace == null) {
        throw new ResourceNotFoundException(
            "Cannot apply "
                + r.display()
                + ": namespaces \""
                + ns
                + "\" not found. Fix: apply the Namespace "
                + ns
                + " first.");
      }
      if (existing == null && namespace.deleting()) {
        throw new ResourceConflictException(
            "Cannot apply "
                + r.display()
                + ": unable to create new content in namespace "
                + ns
                + " because it is being terminated. Fix: wait until Namespace "
                + ns
                + " is gone (awaitDeleted), then apply again.");
      }
    }
    if (!k.builtIn() && existing == null) {
      Stored crd = store.crd(k.crdName());
      if (crd != null && crd.deleting()) {
        throw new ResourceConflictException(
            "Cannot apply "
                + r.display()
                + ": create not allowed while custom resource definition "
                + k.crdName()
                + " is terminating. Fix: wait until the CustomResourceDefinition is gone, then"
                + " apply it and this object again.");
      }
    }
  }

  /** The applied fields as field paths: everything but apiVersion, kind, name and namespace. */
  private static ObjectNode content(ObjectNode applied) {
    ObjectNode content = applied.deepCopy();
    content.remove("apiVersion");
    content.remove("kind");
    ((ObjectNode) content.get("metadata")).remove("name");
    ((ObjectNode) content.get("metadata")).remove("namespace");
    if (content.get("metadata").isEmpty()) {
      content.remove("metadata");
    }
    return content;
  }

  private KubeObject create(Request r) {
    KubeKind k = r.kind();
    ObjectNode applied = r.applied();
    Set<List<String>> appliedPaths = KubeFieldSets.paths(content(applied), k.builtIn());
    ObjectNode next =
        store.create(
            applied.path("apiVersion").asText(k.apiVersion()),
            k.kind(),
            applied.path("metadata").path("name").asText(),
            r.namespace(),
            k.generation());
    Map<Manager, Ownership> managers = new LinkedHashMap<>();
    merge(r, next, managers, appliedPaths);
    Validation.check(k, next, null, r.display());
    Stored created = new Stored(k.group(), k.kind(), next);
    created.managers = managers;
    store.add(created);
    KubeObject result = store.present(created, r.apiVersion());
    controllers.written(k, created);
    controllers.settle();
    return result;
  }

  private KubeObject update(Request r, Stored existing) {
    KubeKind k = r.kind();
    ObjectNode content = content(r.applied());
    Set<List<String>> appliedPaths = KubeFieldSets.paths(content, k.builtIn());
    Map<Manager, Ownership> managers = new LinkedHashMap<>();
    existing.managers.forEach((m, o) -> managers.put(m, o.copy()));
    ObjectNode next = existing.obj.deepCopy();
    resolveConflicts(r, content, existing, managers, appliedPaths);
    dropOmitted(r.manager(), next, managers, appliedPaths);
    merge(r, next, managers, appliedPaths);
    Validation.check(k, next, existing.obj, r.display());
    boolean sameContent = KubeFieldSets.same(stripVersion(next), stripVersion(existing.obj));
    if (sameContent && sameOwnership(managers, existing.managers)) {
      return store.present(existing, r.apiVersion());
    }
    if (k.generation() && specChanged(next, existing.obj)) {
      KubeJson.bumpGeneration(next);
    }
    store.bumpResourceVersion(next);
    existing.obj = next;
    existing.managers = managers;
    KubeObject result = store.present(existing, r.apiVersion());
    controllers.written(k, existing);
    controllers.settle();
    return result;
  }

  /** Merges the applied object, records this manager's fields, and defaults the result. */
  private void merge(
      Request r,
      ObjectNode next,
      Map<Manager, Ownership> managers,
      Set<List<String>> appliedPaths) {
    KubeKind k = r.kind();
    Manager me = r.manager();
    KubeFieldSets.merge(next, r.applied(), List.of(), k.builtIn());
    next.put("apiVersion", r.apiVersion());
    if (appliedPaths.isEmpty()) {
      managers.remove(me);
    } else {
      Ownership old = managers.get(me);
      if (old == null
          || !old.paths.equals(appliedPaths)
          || !old.apiVersion.equals(r.apiVersion())) {
        managers.put(me, new Ownership(appliedPaths, r.apiVersion(), KubeJson.timestamp()));
      }
    }
    managers.values().removeIf(o -> o.paths.isEmpty());
    Defaults.fromSchema(k, next);
    defaults.apply(k, next);
  }

  /**
   * Finds the fields another manager owns whose value this apply changes: a conflict unless forced,
   * in which case the other managers lose them.
   */
  private static void resolveConflicts(
      Request r,
      ObjectNode content,
      Stored existing,
      Map<Manager, Ownership> managers,
      Set<List<String>> appliedPaths) {
    Map<Manager, List<List<String>>> conflicts = new LinkedHashMap<>();
    for (List<String> p : appliedPaths) {
      if (p.get(p.size() - 1).startsWith("k:")) {
        continue;
      }
      JsonNode want = KubeFieldSets.at(content, p);
      JsonNode have = KubeFieldSets.at(existing.obj, p);
      if (have == null || KubeFieldSets.same(want, have) || (want.isObject() && want.isEmpty())) {
        continue;
      }
      managers.forEach(
          (m, o) -> {
            if (!m.equals(r.manager()) && o.paths.contains(p)) {
              conflicts.computeIfAbsent(m, x -> new ArrayList<>()).add(p);
            }
          });
    }
    if (conflicts.isEmpty()) {
      return;
    }
    if (!r.force()) {
      throw new ResourceConflictException(
          "Cannot apply "
              + r.display()
              + " as field manager \""
              + r.manager().name()
              + "\": "
              + conflictMessage(conflicts, managers)
              + ". Fix: leave these fields to their manager (drop them from the object), or"
              + " apply with force to take them over.");
    }
    conflicts.forEach((m, paths) -> managers.get(m).paths.removeAll(paths));
  }

  /** Removes the fields this manager applied before and omits now, unless another owns them. */
  private static void dropOmitted(
      Manager me, ObjectNode next, Map<Manager, Ownership> managers, Set<List<String>> applied) {
    Ownership before = managers.get(me);
    if (before == null) {
      return;
    }
    List<List<String>> dropped = new ArrayList<>();
    for (List<String> p : before.paths) {
      if (!applied.contains(p)) {
        dropped.add(p);
      }
    }
    dropped.sort(Comparator.comparingInt((List<String> p) -> p.size()).reversed());
    for (List<String> p : dropped) {
      boolean ownedElsewhere =
          managers.entrySet().stream()
              .anyMatch(
                  e ->
                      !e.getKey().equals(me)
                          && e.getValue().paths.stream()
                              .anyMatch(
                                  q -> q.size() >= p.size() && q.subList(0, p.size()).equals(p)));
      if (!ownedElsewhere) {
        KubeFieldSets.remove(next, p);
      }
    }
  }

  private static String conflictMessage(
      Map<Manager, List<List<String>>> conflicts, Map<Manager, Ownership> managers) {
    int n = conflicts.values().stream().mapToInt(List::size).sum();
    StringBuilder b =
        new StringBuilder("Apply failed with ")
            .append(n)
            .append(n == 1 ? " conflict: " : " conflicts: ");
    List<String> parts = new ArrayList<>();
    conflicts.forEach(
        (m, paths) -> {
          String using =
              m.operation().equals(Manager.UPDATE) ? " using " + managers.get(m).apiVersion : "";
          StringBuilder p =
              new StringBuilder(n == 1 ? "conflict with \"" : "conflicts with \"")
                  .append(m.name())
                  .append('"')
                  .append(using)
                  .append(':');
          if (n == 1) {
            p.append(' ').append(KubeFieldSets.display(paths.get(0)));
          } else {
            for (List<String> path : paths) {
              p.append("\n- ").append(KubeFieldSets.display(path));
            }
          }
          parts.add(p.toString());
        });
    return b.append(String.join("\n", parts)).toString();
  }

  private static boolean sameOwnership(Map<Manager, Ownership> a, Map<Manager, Ownership> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<Manager, Ownership> e : a.entrySet()) {
      Ownership o = b.get(e.getKey());
      if (!o.paths.equals(e.getValue().paths) || !o.apiVersion.equals(e.getValue().apiVersion)) {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode stripVersion(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    ((ObjectNode) copy.get("metadata")).remove("resourceVersion");
    copy.remove("apiVersion");
    return copy;
  }

  private static boolean specChanged(ObjectNode a, ObjectNode b) {
    ObjectNode x = a.deepCopy();
    ObjectNode y = b.deepCopy();
    for (ObjectNode o : List.of(x, y)) {
      o.remove("metadata");
      o.remove("status");
      o.remove("apiVersion");
    }
    return !KubeFieldSets.same(x, y);
  }

  private static void stripNulls(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          stripNulls(e.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(ServerSideApply::stripNulls);
    }
  }
}
