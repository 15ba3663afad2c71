package dev.operatorsetup.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import dev.operatorsetup.port.Kubernetes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A Kubernetes API server in memory that behaves like a real one for what this library does.
 *
 * <p>It serves Namespace, ServiceAccount, ConfigMap, Secret, Service, Pod, Deployment, ReplicaSet,
 * Role, ClusterRole, RoleBinding, ClusterRoleBinding and CustomResourceDefinition, plus the kinds
 * of the CRDs applied to it. Applies are server-side applies: per-field ownership per field
 * manager, conflicts unless forced, fields a manager stops applying are removed, {@code
 * metadata.uid}, {@code resourceVersion}, {@code creationTimestamp} and {@code generation} (which
 * moves only when the spec changes), and defaults such as {@code spec.replicas: 1}. Applying a
 * legacy {@code apiextensions.k8s.io/v1beta1} CRD fails as on Kubernetes 1.22 and later, unless
 * {@link #serveLegacyCrds(boolean)}. CRDs become Established at once. As in a real apply, fields
 * the type does not declare and values of the wrong JSON type are rejected ({@code failed to create
 * typed patch object}; for custom resources against the version's structural schema, for built-in
 * kinds at the top level, in {@code metadata} and in a Deployment's {@code spec}), then custom
 * resources are defaulted and validated against the schema. Deployments roll out immediately: a
 * ReplicaSet and ready Pods (as kube-controller-manager and kwok would make them), unless a
 * container image was {@linkplain #markUnpullable(String) marked unpullable} or the pod's
 * nodeSelector matches no node. Deletion honours finalizers and cascades: to a Namespace's objects,
 * to a CRD's custom resources and to owned objects.
 *
 * <p>Every call goes through a {@link Recorder} for service {@code kubernetes}; the operation is
 * the method name and its target, e.g. {@code apply Deployment ns/name} or {@code awaitRollout
 * ns/name}. Reads: {@code serverInfo}, {@code get}, {@code listCustomResources}, {@code listPods}
 * and the {@code await*} calls; writes: {@code apply}, {@code delete}, {@code restartDeployment},
 * {@code removeFinalizers}. Waits block (really) until the state they wait for or the timeout.
 * Thread-safe.
 */
public final class InMemoryKubernetes implements Kubernetes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String APPLY = "Apply";
  private static final String UPDATE = "Update";
  private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  private static final String CRD_CLEANUP = "customresourcecleanup.apiextensions.k8s.io";
  private static final String HASH_LABEL = "pod-template-hash";
  private static final String NODE_NAME = "kwok-node-0";
  private static final Map<String, String> NODE_LABELS =
      Map.of(
          "kubernetes.io/hostname", NODE_NAME,
          "kubernetes.io/os", "linux",
          "kubernetes.io/arch", "amd64",
          "beta.kubernetes.io/os", "linux",
          "beta.kubernetes.io/arch", "amd64",
          "kubernetes.io/role", "agent",
          "node-role.kubernetes.io/agent", "",
          "type", "kwok");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final String SAFE_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final Recorder recorder;
  private final Object lock = new Object();
  private final Map<String, Stored> store = new LinkedHashMap<>();
  private final Set<String> unpullable = new HashSet<>();
  private final Random random = new Random();
  private boolean legacyCrds;
  private String gitVersion = "v1.37.2";
  private long resourceVersion = 100;
  private int nextIp = 1;

  /**
   * One field manager's ownership: a manager name and operation ({@code Apply} or {@code Update}).
   */
  private record Manager(String name, String operation) {}

  private static final class Ownership {
    Set<List<String>> paths;
    String apiVersion;
    String time;

    Ownership(Set<List<String>> paths, String apiVersion, String time) {
      this.paths = paths;
      this.apiVersion = apiVersion;
      this.time = time;
    }

    Ownership copy() {
      return new Ownership(new LinkedHashSet<>(paths), apiVersion, time);
    }
  }

  private static final class Stored {
    final String group;
    final String kind;
    ObjectNode obj;
    Map<Manager, Ownership> managers = new LinkedHashMap<>();

    Stored(String group, String kind, ObjectNode obj) {
      this.group = group;
      this.kind = kind;
      this.obj = obj;
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
  }

  /** Creates an empty cluster (with the usual default namespaces) that logs to a private log. */
  public InMemoryKubernetes() {
    this(new CallLog(), new Faults());
  }

  /** Creates an empty cluster that records every call in {@code log} and obeys {@code faults}. */
  public InMemoryKubernetes(CallLog log, Faults faults) {
    this.recorder = new Recorder("kubernetes", log, faults);
    synchronized (lock) {
      for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
        ObjectNode obj = JSON.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
        obj.putObject("metadata").put("name", ns);
        ObjectNode stored = skeleton(obj, kind("", "Namespace"), null);
        KubeFieldSets.merge(stored, obj, List.of(), true);
        defaults(kind("", "Namespace"), stored);
        store.put(key("", "Namespace", null, ns), new Stored("", "Namespace", stored));
      }
    }
  }

  /**
   * Serves {@code apiextensions.k8s.io/v1beta1} CRDs, as Kubernetes 1.21 and earlier did; off by
   * default, like every supported Kubernetes version.
   */
  public InMemoryKubernetes serveLegacyCrds(boolean serve) {
    synchronized (lock) {
      this.legacyCrds = serve;
    }
    return this;
  }

  /**
   * Makes every pod created from now on with a container using {@code image} fail to pull it: the
   * container stays waiting with reason ImagePullBackOff, so the pod is never ready and the
   * Deployment never rolls out.
   */
  public InMemoryKubernetes markUnpullable(String image) {
    synchronized (lock) {
      unpullable.add(Objects.requireNonNull(image, "image"));
    }
    return this;
  }

  /** Sets the version {@link #serverInfo()} reports, e.g. {@code v1.21.14}. */
  public InMemoryKubernetes version(String gitVersion) {
    synchronized (lock) {
      this.gitVersion = Objects.requireNonNull(gitVersion, "gitVersion");
    }
    return this;
  }

  /**
   * Returns every stored object, including the default namespaces and the ReplicaSets and Pods of
   * Deployments, as {@link #get} would return them. Not recorded in the call log.
   */
  public List<KubeObject> objects() {
    synchronized (lock) {
      List<KubeObject> out = new ArrayList<>();
      for (Stored st : store.values()) {
        out.add(present(st, st.obj.path("apiVersion").asText()));
      }
      return out;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Kubernetes

  @Override
  public ServerInfo serverInfo() {
    return recorder.read(
        "serverInfo",
        () -> {
          synchronized (lock) {
            Set<String> gvs = new TreeSet<>();
            for (KubeKind k : kinds()) {
              gvs.add(k.apiVersion());
            }
            return new ServerInfo.Builder().gitVersion(gitVersion).groupVersions(gvs).build();
          }
        });
  }

  @Override
  public KubeObject apply(KubeObject object, String fieldManager, boolean force) {
    Objects.requireNonNull(object, "object");
    return recorder.write(
        "apply " + object.ref().display(),
        () -> {
          synchronized (lock) {
            KubeObject result = doApply(object, fieldManager, force);
            lock.notifyAll();
            return result;
          }
        });
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return recorder.read(
        "get " + ref.display(),
        () -> {
          synchronized (lock) {
            KubeKind k = kindFor(ref.apiVersion(), ref.kind());
            if (k == null) {
              return Optional.empty();
            }
            Stored st = store.get(key(k, ref.namespace().orElse(null), ref.name()));
            return st == null ? Optional.empty() : Optional.of(present(st, ref.apiVersion()));
          }
        });
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return recorder.write(
        "delete " + ref.display(),
        () -> {
          synchronized (lock) {
            KubeKind k = kindFor(ref.apiVersion(), ref.kind());
            if (k == null) {
              return false;
            }
            Stored st = store.get(key(k, ref.namespace().orElse(null), ref.name()));
            if (st == null) {
              return false;
            }
            startDeletion(st);
            settle();
            lock.notifyAll();
            return true;
          }
        });
  }

  @Override
  public void awaitDeleted(ObjectRef ref, Duration timeout) {
    recorder.read(
        "awaitDeleted " + ref.display(),
        () -> {
          await(
              ref.display() + " to be deleted",
              timeout,
              () -> {
                KubeKind k = kindFor(ref.apiVersion(), ref.kind());
                Stored st =
                    k == null ? null : store.get(key(k, ref.namespace().orElse(null), ref.name()));
                if (st == null) {
                  return null;
                }
                if (!st.deleting()) {
                  return "it still exists and is not being deleted";
                }
                return "deletion started at "
                    + st.meta().path("deletionTimestamp").asText()
                    + " but it has finalizers "
                    + st.meta().path("finalizers")
                    + waitingContent(st);
              });
          return null;
        });
  }

  @Override
  public void awaitCrdEstablished(String crdName, Duration timeout) {
    recorder.read(
        "awaitCrdEstablished " + crdName,
        () -> {
          await(
              "CustomResourceDefinition " + crdName + " to become Established",
              timeout,
              () -> {
                Stored crd =
                    store.get(key(KubeKind.CRD_GROUP, "CustomResourceDefinition", null, crdName));
                if (crd == null) {
                  return "it does not exist";
                }
                JsonNode established = condition(crd.obj, "Established");
                if (established != null && "True".equals(established.path("status").asText())) {
                  return null;
                }
                return "conditions " + crd.obj.path("status").path("conditions");
              });
          return null;
        });
  }

  @Override
  public void awaitRollout(String namespace, String name, Duration timeout) {
    recorder.read(
        "awaitRollout " + namespace + "/" + name,
        () -> {
          await(
              "Deployment " + namespace + "/" + name + " to roll out",
              timeout,
              () -> {
                Stored d = store.get(key("apps", "Deployment", namespace, name));
                if (d == null) {
                  return "it does not exist";
                }
                String pending = rolloutPending(d.obj);
                return pending == null ? null : pending + podProblems(d);
              });
          return null;
        });
  }

  @Override
  public void restartDeployment(String namespace, String name, String fieldManager) {
    recorder.write(
        "restartDeployment " + namespace + "/" + name,
        () -> {
          synchronized (lock) {
            requireManager(fieldManager, "Deployment " + namespace + "/" + name);
            Stored d = store.get(key("apps", "Deployment", namespace, name));
            if (d == null) {
              throw new ResourceNotFoundException(
                  "Cannot restart Deployment "
                      + namespace
                      + "/"
                      + name
                      + ": it does not exist. Fix: apply the Deployment first.");
            }
            ObjectNode annotations =
                objectAt(
                    objectAt(objectAt(objectAt(d.obj, "spec"), "template"), "metadata"),
                    "annotations");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String value = now.toString();
            if (value.equals(annotations.path(RESTARTED_AT).asText())) {
              value = now.plusMillis(1).toString();
            }
            annotations.put(RESTARTED_AT, value);
            Manager m = new Manager(fieldManager, UPDATE);
            Ownership o =
                d.managers.computeIfAbsent(
                    m, x -> new Ownership(new LinkedHashSet<>(), "apps/v1", timestamp()));
            o.paths.add(
                List.of(
                    "f:spec", "f:template", "f:metadata", "f:annotations", "f:" + RESTARTED_AT));
            o.time = timestamp();
            bumpResourceVersion(d.obj);
            bumpGeneration(d.obj);
            settle();
            lock.notifyAll();
          }
        });
  }

  @Override
  public List<KubeObject> listCustomResources(String crdName) {
    return recorder.read(
        "listCustomResources " + crdName,
        () -> {
          synchronized (lock) {
            Stored crd =
                store.get(key(KubeKind.CRD_GROUP, "CustomResourceDefinition", null, crdName));
            if (crd == null) {
              return List.of();
            }
            List<KubeKind> kinds = KubeKind.fromCrd(crd.obj);
            if (kinds.isEmpty()) {
              return List.of();
            }
            String apiVersion = storageApiVersion(crd.obj, kinds);
            KubeKind k = kinds.get(0);
            List<KubeObject> out = new ArrayList<>();
            store.values().stream()
                .filter(s -> s.group.equals(k.group()) && s.kind.equals(k.kind()))
                .sorted(
                    Comparator.comparing((Stored s) -> String.valueOf(s.namespace()))
                        .thenComparing(Stored::name))
                .forEach(s -> out.add(present(s, apiVersion)));
            return out;
          }
        });
  }

  @Override
  public boolean removeFinalizers(ObjectRef ref) {
    return recorder.write(
        "removeFinalizers " + ref.display(),
        () -> {
          synchronized (lock) {
            KubeKind k = kindFor(ref.apiVersion(), ref.kind());
            Stored st =
                k == null ? null : store.get(key(k, ref.namespace().orElse(null), ref.name()));
            if (st == null) {
              return false;
            }
            if (st.meta().path("finalizers").size() > 0) {
              st.meta().remove("finalizers");
              for (Ownership o : st.managers.values()) {
                o.paths.removeIf(
                    p ->
                        p.size() >= 2
                            && p.get(0).equals("f:metadata")
                            && p.get(1).equals("f:finalizers"));
              }
              st.managers.values().removeIf(o -> o.paths.isEmpty());
              bumpResourceVersion(st.obj);
              settle();
              lock.notifyAll();
            }
            return true;
          }
        });
  }

  @Override
  public List<KubeObject> listPods(String namespace, Map<String, String> selector) {
    return recorder.read(
        "listPods " + namespace + " " + selector,
        () -> {
          synchronized (lock) {
            List<KubeObject> out = new ArrayList<>();
            store.values().stream()
                .filter(s -> s.group.isEmpty() && s.kind.equals("Pod"))
                .filter(s -> namespace.equals(s.namespace()))
                .filter(s -> matches(labels(s.obj), selector))
                .sorted(Comparator.comparing(Stored::name))
                .forEach(s -> out.add(present(s, "v1")));
            return out;
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // apply

  private KubeObject doApply(KubeObject object, String fieldManager, boolean force) {
    requireManager(fieldManager, object.ref().display());
    KubeKind k = kindFor(object.apiVersion(), object.kind());
    if (k == null) {
      throw noMatches(object.ref());
    }
    ObjectNode applied = object.json();
    stripNulls(applied);
    ObjectNode meta = (ObjectNode) applied.get("metadata");
    for (String system :
        List.of(
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "managedFields",
            "selfLink")) {
      meta.remove(system);
    }
    String ns = null;
    if (k.namespaced()) {
      ns = meta.path("namespace").asText("");
      if (ns.isEmpty()) {
        ns = "default";
      }
      meta.put("namespace", ns);
    } else {
      meta.remove("namespace");
    }
    if (k.statusSubresource()) {
      applied.remove("status");
    }
    String display = k.kind() + " " + (ns == null ? "" : ns + "/") + object.name();
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
    String storeKey = key(k, ns, object.name());
    Stored existing = store.get(storeKey);
    if (k.namespaced()) {
      Stored namespace = store.get(key("", "Namespace", null, ns));
      if (namespace == null) {
        throw new ResourceNotFoundException(
            "Cannot apply "
                + display
                + ": namespaces \""
                + ns
                + "\" not found. Fix: apply the Namespace "
                + ns
                + " first.");
      }
      if (existing == null && namespace.deleting()) {
        throw new ResourceConflictException(
            "Cannot apply "
                + display
                + ": unable to create new content in namespace "
                + ns
                + " because it is being terminated. Fix: wait until Namespace "
                + ns
                + " is gone (awaitDeleted), then apply again.");
      }
    }
    if (!k.builtIn() && existing == null) {
      Stored crd =
          store.get(key(KubeKind.CRD_GROUP, "CustomResourceDefinition", null, k.crdName()));
      if (crd != null && crd.deleting()) {
        throw new ResourceConflictException(
            "Cannot apply "
                + display
                + ": create not allowed while custom resource definition "
                + k.crdName()
                + " is terminating. Fix: wait until the CustomResourceDefinition is gone, then"
                + " apply it and this object again.");
      }
    }

    ObjectNode content = applied.deepCopy();
    content.remove("apiVersion");
    content.remove("kind");
    ((ObjectNode) content.get("metadata")).remove("name");
    ((ObjectNode) content.get("metadata")).remove("namespace");
    if (content.get("metadata").isEmpty()) {
      content.remove("metadata");
    }
    Set<List<String>> appliedPaths = KubeFieldSets.paths(content, k.builtIn());
    Manager me = new Manager(fieldManager, APPLY);

    Map<Manager, Ownership> managers = new LinkedHashMap<>();
    if (existing != null) {
      existing.managers.forEach((m, o) -> managers.put(m, o.copy()));
    }
    ObjectNode next;
    if (existing == null) {
      next = skeleton(applied, k, ns);
    } else {
      next = existing.obj.deepCopy();
      // conflicts: fields another manager owns whose value this apply changes
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
              if (!m.equals(me) && o.paths.contains(p)) {
                conflicts.computeIfAbsent(m, x -> new ArrayList<>()).add(p);
              }
            });
      }
      if (!conflicts.isEmpty()) {
        if (!force) {
          throw new ResourceConflictException(
              "Cannot apply "
                  + display
                  + " as field manager \""
                  + fieldManager
                  + "\": "
                  + conflictMessage(conflicts, managers)
                  + ". Fix: leave these fields to their manager (drop them from the object), or"
                  + " apply with force to take them over.");
        }
        conflicts.forEach((m, paths) -> managers.get(m).paths.removeAll(paths));
      }
      // fields this manager applied before and omits now: removed unless someone else owns them
      Ownership before = managers.get(me);
      if (before != null) {
        List<List<String>> dropped = new ArrayList<>();
        for (List<String> p : before.paths) {
          if (!appliedPaths.contains(p)) {
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
                                      q ->
                                          q.size() >= p.size()
                                              && q.subList(0, p.size()).equals(p)));
          if (!ownedElsewhere) {
            KubeFieldSets.remove(next, p);
          }
        }
      }
    }
    KubeFieldSets.merge(next, applied, List.of(), k.builtIn());
    next.put("apiVersion", object.apiVersion());
    if (appliedPaths.isEmpty()) {
      managers.remove(me);
    } else {
      Ownership old = managers.get(me);
      if (old == null
          || !old.paths.equals(appliedPaths)
          || !old.apiVersion.equals(object.apiVersion())) {
        managers.put(me, new Ownership(appliedPaths, object.apiVersion(), timestamp()));
      }
    }
    managers.values().removeIf(o -> o.paths.isEmpty());

    if (!k.builtIn() && k.schema() != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it =
              k.schema().path("properties").properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!p.getKey().equals("metadata")
            && !p.getKey().equals("apiVersion")
            && !p.getKey().equals("kind")) {
          if (!next.has(p.getKey()) && p.getValue().has("default")) {
            next.set(p.getKey(), p.getValue().get("default").deepCopy());
          }
          if (next.has(p.getKey())) {
            KubeSchemas.applyDefaults(next.get(p.getKey()), p.getValue());
          }
        }
      }
    }
    defaults(k, next);
    validate(k, next, existing == null ? null : existing.obj, display);

    if (existing != null) {
      boolean sameContent = KubeFieldSets.same(stripVersion(next), stripVersion(existing.obj));
      boolean sameOwners = sameOwnership(managers, existing.managers);
      if (sameContent && sameOwners) {
        return present(existing, object.apiVersion());
      }
      if (k.generation() && specChanged(next, existing.obj)) {
        bumpGeneration(next);
      }
      bumpResourceVersion(next);
      existing.obj = next;
      existing.managers = managers;
      KubeObject result = present(existing, object.apiVersion());
      afterWrite(k, existing);
      settle();
      return result;
    }
    Stored created = new Stored(k.group(), k.kind(), next);
    created.managers = managers;
    store.put(storeKey, created);
    KubeObject result = present(created, object.apiVersion());
    afterWrite(k, created);
    settle();
    return result;
  }

  private static void requireManager(String fieldManager, String display) {
    if (fieldManager == null || fieldManager.isBlank()) {
      throw new InvalidConfigurationException(
          "field manager",
          fieldManager,
          "PATCH " + display + ": fieldManager is required for apply requests",
          "pass a field manager name such as operator-setup");
    }
  }

  private ObjectNode skeleton(ObjectNode applied, KubeKind k, String ns) {
    ObjectNode obj = JSON.objectNode();
    obj.put("apiVersion", applied.path("apiVersion").asText(k.apiVersion()));
    obj.put("kind", k.kind());
    ObjectNode meta = obj.putObject("metadata");
    meta.put("name", applied.path("metadata").path("name").asText());
    if (ns != null) {
      meta.put("namespace", ns);
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("resourceVersion", String.valueOf(++resourceVersion));
    if (k.generation()) {
      meta.put("generation", 1);
    }
    meta.put("creationTimestamp", timestamp());
    return obj;
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
          String using = m.operation().equals(UPDATE) ? " using " + managers.get(m).apiVersion : "";
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
      node.forEach(InMemoryKubernetes::stripNulls);
    }
  }

  private static ResourceNotFoundException noMatches(ObjectRef ref) {
    return ResourceNotFoundException.noMatchesForKind(ref);
  }

  // ---------------------------------------------------------------------------------------------
  // defaults and validation, as the real API server's registry strategies do them

  private void defaults(KubeKind k, ObjectNode obj) {
    if (!k.builtIn()) {
      return;
    }
    ObjectNode meta = (ObjectNode) obj.get("metadata");
    switch (k.kind()) {
      case "Namespace" -> {
        objectAt(meta, "labels").put("kubernetes.io/metadata.name", meta.path("name").asText());
        ObjectNode spec = objectAt(obj, "spec");
        if (!spec.has("finalizers") && !meta.has("deletionTimestamp")) {
          spec.putArray("finalizers").add("kubernetes");
        }
        objectAt(obj, "status")
            .put("phase", meta.has("deletionTimestamp") ? "Terminating" : "Active");
      }
      case "Deployment" -> {
        ObjectNode spec = objectAt(obj, "spec");
        putIfAbsent(spec, "replicas", JSON.numberNode(1));
        putIfAbsent(spec, "revisionHistoryLimit", JSON.numberNode(10));
        putIfAbsent(spec, "progressDeadlineSeconds", JSON.numberNode(600));
        ObjectNode strategy = objectAt(spec, "strategy");
        putIfAbsent(strategy, "type", JSON.textNode("RollingUpdate"));
        if (strategy.path("type").asText().equals("RollingUpdate")) {
          ObjectNode rolling = objectAt(strategy, "rollingUpdate");
          putIfAbsent(rolling, "maxUnavailable", JSON.textNode("25%"));
          putIfAbsent(rolling, "maxSurge", JSON.textNode("25%"));
        }
        podSpecDefaults(objectAt(objectAt(spec, "template"), "spec"));
      }
      case "ReplicaSet" ->
          podSpecDefaults(objectAt(objectAt(objectAt(obj, "spec"), "template"), "spec"));
      case "Pod" -> podSpecDefaults(objectAt(obj, "spec"));
      case "Service" -> {
        ObjectNode spec = objectAt(obj, "spec");
        putIfAbsent(spec, "type", JSON.textNode("ClusterIP"));
        putIfAbsent(spec, "sessionAffinity", JSON.textNode("None"));
        if (!spec.has("clusterIP")) {
          String ip = "10.0.0." + (10 + (nextIp++ % 240));
          spec.put("clusterIP", ip);
          spec.putArray("clusterIPs").add(ip);
        }
        putIfAbsent(spec, "ipFamilies", JSON.arrayNode().add("IPv4"));
        putIfAbsent(spec, "ipFamilyPolicy", JSON.textNode("SingleStack"));
        putIfAbsent(spec, "internalTrafficPolicy", JSON.textNode("Cluster"));
        for (JsonNode port : spec.path("ports")) {
          if (port instanceof ObjectNode p) {
            putIfAbsent(p, "protocol", JSON.textNode("TCP"));
            if (!p.has("targetPort") && p.has("port")) {
              p.set("targetPort", p.get("port").deepCopy());
            }
          }
        }
        putIfAbsent(objectAt(obj, "status"), "loadBalancer", JSON.objectNode());
      }
      case "Secret" -> putIfAbsent(obj, "type", JSON.textNode("Opaque"));
      case "CustomResourceDefinition" -> {
        ObjectNode spec = objectAt(obj, "spec");
        ObjectNode names = objectAt(spec, "names");
        if (names.has("kind")) {
          putIfAbsent(names, "listKind", JSON.textNode(names.get("kind").asText() + "List"));
          putIfAbsent(
              names,
              "singular",
              JSON.textNode(names.get("kind").asText().toLowerCase(java.util.Locale.ROOT)));
        }
        if (k.version().equals("v1")) {
          putIfAbsent(objectAt(spec, "conversion"), "strategy", JSON.textNode("None"));
        }
      }
      default -> {
        // nothing to default
      }
    }
  }

  private static void podSpecDefaults(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", JSON.textNode("Always"));
    putIfAbsent(spec, "terminationGracePeriodSeconds", JSON.numberNode(30));
    putIfAbsent(spec, "dnsPolicy", JSON.textNode("ClusterFirst"));
    putIfAbsent(spec, "securityContext", JSON.objectNode());
    putIfAbsent(spec, "schedulerName", JSON.textNode("default-scheduler"));
    if (spec.has("serviceAccountName")) {
      putIfAbsent(spec, "serviceAccount", spec.get("serviceAccountName").deepCopy());
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          putIfAbsent(container, "terminationMessagePath", JSON.textNode("/dev/termination-log"));
          putIfAbsent(container, "terminationMessagePolicy", JSON.textNode("File"));
          String image = container.path("image").asText("");
          String tag = image.contains("@") ? "" : image.substring(image.lastIndexOf('/') + 1);
          boolean latest = !image.contains("@") && (!tag.contains(":") || tag.endsWith(":latest"));
          putIfAbsent(
              container, "imagePullPolicy", JSON.textNode(latest ? "Always" : "IfNotPresent"));
          putIfAbsent(container, "resources", JSON.objectNode());
          for (JsonNode port : container.path("ports")) {
            if (port instanceof ObjectNode p) {
              putIfAbsent(p, "protocol", JSON.textNode("TCP"));
            }
          }
        }
      }
    }
  }

  private void validate(KubeKind k, ObjectNode obj, ObjectNode before, String display) {
    List<String> errors = new ArrayList<>();
    String name = obj.path("metadata").path("name").asText();
    boolean labelName = k.kind().equals("Namespace") || k.kind().equals("Service");
    Pattern rule = labelName ? LABEL : SUBDOMAIN;
    int max = labelName ? 63 : 253;
    if (!k.group().startsWith("rbac.") && (!rule.matcher(name).matches() || name.length() > max)) {
      errors.add(
          "metadata.name: Invalid value: \""
              + name
              + "\": a lowercase RFC 1123 "
              + (labelName ? "label" : "subdomain")
              + " must consist of lower case alphanumeric characters, '-'"
              + (labelName ? "" : " or '.'")
              + ", and must start and end with an alphanumeric character");
    }
    if (k.builtIn()) {
      switch (k.kind()) {
        case "Deployment" -> validateDeployment(obj, before, errors);
        case "CustomResourceDefinition" -> validateCrd(k, obj, before, errors);
        case "RoleBinding", "ClusterRoleBinding" -> {
          if (!obj.path("roleRef").isObject()) {
            errors.add("roleRef.name: Required value");
          } else if (before != null
              && !KubeFieldSets.same(before.get("roleRef"), obj.get("roleRef"))) {
            errors.add("roleRef: Invalid value: " + obj.get("roleRef") + ": cannot change roleRef");
          }
        }
        default -> {
          // nothing more to check
        }
      }
    } else if (k.schema() != null) {
      errors.addAll(KubeSchemas.validate(obj, k.schema()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidConfigurationException(
          "Kubernetes object",
          display,
          k.qualifiedKind()
              + " \""
              + name
              + "\" is invalid: "
              + (errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]"),
          "correct the object so that the API server accepts it");
    }
  }

  private static void validateDeployment(ObjectNode obj, ObjectNode before, List<String> errors) {
    JsonNode spec = obj.path("spec");
    JsonNode selector = spec.path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      errors.add("spec.selector: Required value");
    } else {
      Map<String, String> templateLabels =
          stringMap(spec.path("template").path("metadata").path("labels"));
      if (!matches(templateLabels, stringMap(selector.path("matchLabels")))) {
        errors.add(
            "spec.template.metadata.labels: Invalid value: "
                + spec.path("template").path("metadata").path("labels")
                + ": `selector` does not match template `labels`");
      }
      if (before != null && !KubeFieldSets.same(before.path("spec").path("selector"), selector)) {
        errors.add("spec.selector: Invalid value: " + selector + ": field is immutable");
      }
    }
    JsonNode containers = spec.path("template").path("spec").path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      errors.add("spec.template.spec.containers: Required value");
    }
    int i = 0;
    for (JsonNode c : containers) {
      if (c.path("name").asText("").isEmpty()) {
        errors.add("spec.template.spec.containers[" + i + "].name: Required value");
      }
      if (c.path("image").asText("").isEmpty()) {
        errors.add("spec.template.spec.containers[" + i + "].image: Required value");
      }
      i++;
    }
  }

  private static void validateCrd(
      KubeKind k, ObjectNode obj, ObjectNode before, List<String> errors) {
    JsonNode spec = obj.path("spec");
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    String name = obj.path("metadata").path("name").asText();
    if (group.isEmpty()) {
      errors.add("spec.group: Required value");
    }
    if (plural.isEmpty()) {
      errors.add("spec.names.plural: Required value");
    }
    if (spec.path("names").path("kind").asText("").isEmpty()) {
      errors.add("spec.names.kind: Required value");
    }
    if (!name.equals(plural + "." + group)) {
      errors.add(
          "metadata.name: Invalid value: \""
              + name
              + "\": must be spec.names.plural+\".\"+spec.group");
    }
    String scope = spec.path("scope").asText("");
    if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      errors.add(
          "spec.scope: Unsupported value: \""
              + scope
              + "\": supported values: \"Cluster\", \"Namespaced\"");
    }
    if (before != null
        && !KubeFieldSets.same(before.path("spec").path("scope"), spec.path("scope"))) {
      errors.add("spec.scope: Invalid value: \"" + scope + "\": field is immutable");
    }
    boolean v1 = k.version().equals("v1");
    JsonNode versions = spec.path("versions");
    if (v1 && (!versions.isArray() || versions.isEmpty())) {
      errors.add(
          "spec.versions: Invalid value: null: must have exactly one version marked as storage version");
      return;
    }
    int storage = 0;
    int i = 0;
    for (JsonNode v : versions) {
      if (v.path("storage").asBoolean(false)) {
        storage++;
      }
      if (v1) {
        errors.addAll(
            KubeSchemas.checkStructural(
                v.path("schema").path("openAPIV3Schema"),
                "spec.versions[" + i + "].schema.openAPIV3Schema"));
      }
      i++;
    }
    if (versions.isArray() && !versions.isEmpty() && storage != 1) {
      errors.add(
          "spec.versions: Invalid value: "
              + versions.size()
              + ": must have exactly one version marked as storage version");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // controllers: what the API server and kube-controller-manager do after a write

  private void afterWrite(KubeKind k, Stored st) {
    if (k.is(KubeKind.CRD_GROUP, "CustomResourceDefinition") && !st.deleting()) {
      ObjectNode status = objectAt(st.obj, "status");
      ObjectNode before = status.deepCopy();
      List<KubeKind> kinds = KubeKind.fromCrd(st.obj);
      String now = timestamp();
      ArrayNode conditions = JSON.arrayNode();
      conditions.add(condition("NamesAccepted", "True", "NoConflicts", "no conflicts found", now));
      conditions.add(
          condition(
              "Established",
              "True",
              "InitialNamesAccepted",
              "the initial names have been accepted",
              now));
      JsonNode old = before.path("conditions");
      status.set("conditions", old.size() == 2 ? old : conditions);
      status.set("acceptedNames", st.obj.path("spec").path("names").deepCopy());
      ArrayNode stored = JSON.arrayNode();
      if (!kinds.isEmpty()) {
        stored.add(storageApiVersion(st.obj, kinds).replaceFirst(".*/", ""));
      }
      status.set("storedVersions", stored);
      if (!status.equals(before)) {
        bumpResourceVersion(st.obj);
      }
    }
  }

  /** Runs deletion, garbage collection and Deployment rollouts until nothing changes. */
  private void settle() {
    boolean changed = true;
    int rounds = 0;
    while (changed && rounds++ < 100) {
      changed = collectGarbage();
      for (Stored d : List.copyOf(store.values())) {
        if (d.group.equals("apps") && d.kind.equals("Deployment") && store.containsValue(d)) {
          changed |= reconcileDeployment(d);
        }
      }
    }
  }

  private void startDeletion(Stored st) {
    if (st.deleting()) {
      return;
    }
    boolean namespace = st.group.isEmpty() && st.kind.equals("Namespace");
    boolean crd = st.group.equals(KubeKind.CRD_GROUP) && st.kind.equals("CustomResourceDefinition");
    if (crd) {
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
              timestamp()));
    }
    boolean blocked =
        st.meta().path("finalizers").size() > 0
            || (namespace && st.obj.path("spec").path("finalizers").size() > 0);
    if (!blocked) {
      removeNow(st);
      return;
    }
    st.meta().put("deletionTimestamp", timestamp());
    st.meta().put("deletionGracePeriodSeconds", 0);
    if (namespace) {
      objectAt(st.obj, "status").put("phase", "Terminating");
    }
    bumpResourceVersion(st.obj);
  }

  private void removeNow(Stored st) {
    store.values().remove(st);
  }

  private boolean collectGarbage() {
    boolean changed = false;
    Set<String> uids = new HashSet<>();
    for (Stored s : store.values()) {
      uids.add(s.uid());
    }
    for (Stored st : List.copyOf(store.values())) {
      if (!store.containsValue(st)) {
        continue;
      }
      // owned objects whose owners are all gone
      JsonNode owners = st.meta().path("ownerReferences");
      if (owners.size() > 0 && !st.deleting()) {
        boolean anyOwner = false;
        for (JsonNode o : owners) {
          anyOwner |= uids.contains(o.path("uid").asText());
        }
        if (!anyOwner) {
          startDeletion(st);
          changed = true;
          continue;
        }
      }
      if (!st.deleting()) {
        continue;
      }
      if (st.group.isEmpty() && st.kind.equals("Namespace")) {
        List<Stored> content =
            store.values().stream().filter(s -> st.name().equals(s.namespace())).toList();
        for (Stored s : content) {
          if (!s.deleting()) {
            startDeletion(s);
            changed = true;
          }
        }
        if (store.values().stream().noneMatch(s -> st.name().equals(s.namespace()))
            && st.obj.path("spec").path("finalizers").size() > 0) {
          ((ObjectNode) st.obj.get("spec")).putArray("finalizers");
          bumpResourceVersion(st.obj);
          changed = true;
        }
      }
      if (st.group.equals(KubeKind.CRD_GROUP) && st.kind.equals("CustomResourceDefinition")) {
        List<KubeKind> kinds = KubeKind.fromCrd(st.obj);
        if (!kinds.isEmpty()) {
          KubeKind k = kinds.get(0);
          List<Stored> instances =
              store.values().stream()
                  .filter(s -> s.group.equals(k.group()) && s.kind.equals(k.kind()))
                  .toList();
          for (Stored s : instances) {
            if (!s.deleting()) {
              startDeletion(s);
              changed = true;
            }
          }
          if (!instances.isEmpty()) {
            continue;
          }
        }
        ArrayNode finalizers = arrayAt(st.meta(), "finalizers");
        int i = KubeFieldSets.indexOf(finalizers, "v:\"" + CRD_CLEANUP + "\"");
        if (i >= 0) {
          finalizers.remove(i);
          bumpResourceVersion(st.obj);
          changed = true;
        }
      }
      boolean namespaceFinalizers =
          st.group.isEmpty()
              && st.kind.equals("Namespace")
              && st.obj.path("spec").path("finalizers").size() > 0;
      if (st.meta().path("finalizers").size() == 0 && !namespaceFinalizers) {
        removeNow(st);
        changed = true;
      }
    }
    return changed;
  }

  private boolean reconcileDeployment(Stored d) {
    if (d.deleting()) {
      return false;
    }
    boolean changed = false;
    String ns = d.namespace();
    ObjectNode spec = (ObjectNode) d.obj.get("spec");
    int replicas = spec.path("replicas").asInt(1);
    ObjectNode template = (ObjectNode) spec.get("template");
    String hash = templateHash(template);
    List<Stored> sets =
        store.values().stream()
            .filter(s -> s.kind.equals("ReplicaSet") && ns.equals(s.namespace()))
            .filter(s -> ownedBy(s, d.uid()))
            .toList();
    Stored current =
        sets.stream()
            .filter(s -> hash.equals(labels(s.obj).get(HASH_LABEL)) && !s.deleting())
            .findFirst()
            .orElse(null);
    if (current == null) {
      int revision =
          sets.stream()
                  .mapToInt(
                      s ->
                          s.meta()
                              .path("annotations")
                              .path("deployment.kubernetes.io/revision")
                              .asInt(0))
                  .max()
                  .orElse(0)
              + 1;
      current = createReplicaSet(d, template, hash, replicas, revision);
      changed = true;
    } else if (((ObjectNode) current.obj.get("spec")).path("replicas").asInt() != replicas) {
      ((ObjectNode) current.obj.get("spec")).put("replicas", replicas);
      bumpResourceVersion(current.obj);
      changed = true;
    }
    for (Stored old : sets) {
      if (old == current) {
        continue;
      }
      if (old.obj.path("spec").path("replicas").asInt() != 0) {
        ((ObjectNode) old.obj.get("spec")).put("replicas", 0);
        bumpResourceVersion(old.obj);
        changed = true;
      }
      for (Stored pod : podsOf(old)) {
        removeNow(pod);
        changed = true;
      }
      changed |= setStatus(old, replicaSetStatus(old, List.of()));
    }
    List<Stored> pods = new ArrayList<>(podsOf(current));
    while (pods.size() < replicas) {
      pods.add(createPod(current));
      changed = true;
    }
    while (pods.size() > replicas) {
      removeNow(pods.remove(pods.size() - 1));
      changed = true;
    }
    changed |= setStatus(current, replicaSetStatus(current, pods));
    changed |= setStatus(d, deploymentStatus(d, current, pods, replicas));
    return changed;
  }

  private Stored createReplicaSet(
      Stored d, ObjectNode template, String hash, int replicas, int revision) {
    String name = d.name() + "-" + hash;
    ObjectNode obj = JSON.objectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
    ObjectNode meta = obj.putObject("metadata");
    meta.put("name", name).put("namespace", d.namespace());
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("resourceVersion", String.valueOf(++resourceVersion));
    meta.put("generation", 1);
    meta.put("creationTimestamp", timestamp());
    ObjectNode labels = meta.putObject("labels");
    labels.setAll(objectAt(objectAt(template.deepCopy(), "metadata"), "labels"));
    labels.put(HASH_LABEL, hash);
    meta.putObject("annotations")
        .put("deployment.kubernetes.io/desired-replicas", String.valueOf(replicas))
        .put("deployment.kubernetes.io/max-replicas", String.valueOf(replicas + 1))
        .put("deployment.kubernetes.io/revision", String.valueOf(revision));
    meta.putArray("ownerReferences").add(ownerReference(d, "apps/v1", "Deployment"));
    ObjectNode spec = obj.putObject("spec");
    spec.put("replicas", replicas);
    ObjectNode selector = d.obj.path("spec").path("selector").deepCopy();
    objectAt(selector, "matchLabels").put(HASH_LABEL, hash);
    spec.set("selector", selector);
    ObjectNode podTemplate = template.deepCopy();
    objectAt(objectAt(podTemplate, "metadata"), "labels").put(HASH_LABEL, hash);
    spec.set("template", podTemplate);
    Stored rs = new Stored("apps", "ReplicaSet", obj);
    store.put(key("apps", "ReplicaSet", d.namespace(), name), rs);
    return rs;
  }

  private Stored createPod(Stored rs) {
    String name;
    do {
      StringBuilder b = new StringBuilder(rs.name()).append('-');
      for (int i = 0; i < 5; i++) {
        b.append(SAFE_CHARS.charAt(random.nextInt(SAFE_CHARS.length())));
      }
      name = b.toString();
    } while (store.containsKey(key("", "Pod", rs.namespace(), name)));
    ObjectNode template = (ObjectNode) rs.obj.path("spec").path("template");
    ObjectNode obj = JSON.objectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = obj.putObject("metadata");
    meta.put("name", name).put("namespace", rs.namespace());
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("resourceVersion", String.valueOf(++resourceVersion));
    meta.put("generation", 1);
    String now = timestamp();
    meta.put("creationTimestamp", now);
    meta.set("labels", template.path("metadata").path("labels").deepCopy());
    if (template.path("metadata").has("annotations")) {
      meta.set("annotations", template.path("metadata").path("annotations").deepCopy());
    }
    meta.putArray("ownerReferences").add(ownerReference(rs, "apps/v1", "ReplicaSet"));
    ObjectNode spec = template.path("spec").deepCopy();
    podSpecDefaults(spec);
    putIfAbsent(spec, "serviceAccountName", JSON.textNode("default"));
    putIfAbsent(spec, "serviceAccount", JSON.textNode("default"));
    Map<String, String> nodeSelector = stringMap(spec.path("nodeSelector"));
    boolean schedulable = matches(NODE_LABELS, nodeSelector);
    if (schedulable) {
      spec.put("nodeName", NODE_NAME);
    }
    obj.set("spec", spec);
    ObjectNode status = obj.putObject("status");
    if (!schedulable) {
      status.put("phase", "Pending");
      status
          .putArray("conditions")
          .add(
              condition(
                  "PodScheduled",
                  "False",
                  "Unschedulable",
                  "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."
                      + " preemption: 0/1 nodes are available: 1 Preemption is not helpful for"
                      + " scheduling.",
                  now));
      status.put("qosClass", "BestEffort");
    } else {
      List<String> unready = new ArrayList<>();
      ArrayNode statuses = JSON.arrayNode();
      for (JsonNode c : spec.path("containers")) {
        String image = c.path("image").asText();
        ObjectNode cs = JSON.objectNode().put("name", c.path("name").asText()).put("image", image);
        cs.put("imageID", "");
        if (unpullable.contains(image)) {
          unready.add(c.path("name").asText());
          cs.put("ready", false).put("restartCount", 0).put("started", false);
          cs.putObject("state")
              .putObject("waiting")
              .put("reason", "ImagePullBackOff")
              .put("message", "Back-off pulling image \"" + image + "\"");
        } else {
          cs.put("containerID", "kwok://" + UUID.randomUUID());
          cs.put("ready", true).put("restartCount", 0).put("started", true);
          cs.putObject("state").putObject("running").put("startedAt", now);
        }
        statuses.add(cs);
      }
      boolean ready = unready.isEmpty();
      status.put("phase", ready ? "Running" : "Pending");
      ArrayNode conditions = status.putArray("conditions");
      conditions.add(condition("Initialized", "True", null, null, now));
      String message = "containers with unready status: " + unready;
      conditions.add(
          condition(
              "Ready",
              ready ? "True" : "False",
              ready ? null : "ContainersNotReady",
              ready ? null : message,
              now));
      conditions.add(
          condition(
              "ContainersReady",
              ready ? "True" : "False",
              ready ? null : "ContainersNotReady",
              ready ? null : message,
              now));
      conditions.add(condition("PodScheduled", "True", null, null, now));
      status.put("hostIP", "10.0.0.1");
      String ip = "10.244.0." + (nextIp++ % 250 + 2);
      status.put("podIP", ip);
      status.putArray("podIPs").addObject().put("ip", ip);
      status.put("startTime", now);
      status.set("containerStatuses", statuses);
      status.put("qosClass", "BestEffort");
    }
    Stored pod = new Stored("", "Pod", obj);
    store.put(key("", "Pod", rs.namespace(), name), pod);
    return pod;
  }

  private static boolean podReady(Stored pod) {
    JsonNode ready = condition(pod.obj, "Ready");
    return ready != null && "True".equals(ready.path("status").asText()) && !pod.deleting();
  }

  private List<Stored> podsOf(Stored rs) {
    return store.values().stream()
        .filter(
            s -> s.kind.equals("Pod") && s.group.isEmpty() && rs.namespace().equals(s.namespace()))
        .filter(s -> ownedBy(s, rs.uid()))
        .sorted(
            Comparator.comparing((Stored s) -> s.meta().path("creationTimestamp").asText())
                .thenComparing(Stored::name))
        .toList();
  }

  private static ObjectNode replicaSetStatus(Stored rs, List<Stored> pods) {
    ObjectNode status = JSON.objectNode();
    long ready = pods.stream().filter(InMemoryKubernetes::podReady).count();
    status.put("replicas", pods.size());
    putPositive(status, "fullyLabeledReplicas", pods.size());
    putPositive(status, "readyReplicas", ready);
    putPositive(status, "availableReplicas", ready);
    status.put("observedGeneration", rs.obj.path("metadata").path("generation").asLong(1));
    return status;
  }

  private static ObjectNode deploymentStatus(
      Stored d, Stored current, List<Stored> pods, int replicas) {
    long ready = pods.stream().filter(InMemoryKubernetes::podReady).count();
    ObjectNode status = JSON.objectNode();
    status.put("observedGeneration", d.obj.path("metadata").path("generation").asLong(1));
    putPositive(status, "replicas", pods.size());
    putPositive(status, "updatedReplicas", pods.size());
    putPositive(status, "readyReplicas", ready);
    putPositive(status, "availableReplicas", ready);
    putPositive(status, "unavailableReplicas", pods.size() - ready);
    ArrayNode conditions = status.putArray("conditions");
    JsonNode old = d.obj.path("status").path("conditions");
    int maxUnavailable = replicas / 4;
    boolean available = ready >= replicas - maxUnavailable;
    conditions.add(
        keepTime(
            old,
            condition(
                "Available",
                available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available
                    ? "Deployment has minimum availability."
                    : "Deployment does not have minimum availability.",
                timestamp())));
    boolean complete = ready == replicas && pods.size() == replicas;
    conditions.add(
        keepTime(
            old,
            condition(
                "Progressing",
                "True",
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                "ReplicaSet \""
                    + current.name()
                    + (complete ? "\" has successfully progressed." : "\" is progressing."),
                timestamp())));
    return status;
  }

  private static JsonNode keepTime(JsonNode oldConditions, ObjectNode condition) {
    for (JsonNode o : oldConditions) {
      if (o.path("type").equals(condition.path("type"))
          && o.path("status").equals(condition.path("status"))
          && o.path("reason").equals(condition.path("reason"))) {
        return o;
      }
    }
    return condition;
  }

  private boolean setStatus(Stored st, ObjectNode status) {
    if (KubeFieldSets.same(st.obj.get("status"), status)) {
      return false;
    }
    st.obj.set("status", status);
    bumpResourceVersion(st.obj);
    return true;
  }

  private static void putPositive(ObjectNode node, String field, long value) {
    if (value > 0) {
      node.put(field, value);
    }
  }

  /**
   * Returns why the Deployment has not rolled out, as {@code kubectl rollout status} explains it,
   * or null if it has.
   */
  static String rolloutPending(JsonNode deployment) {
    JsonNode status = deployment.path("status");
    long generation = deployment.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(0);
    long want = deployment.path("spec").path("replicas").asLong(1);
    long updated = status.path("updatedReplicas").asLong(0);
    long total = status.path("replicas").asLong(0);
    long available = status.path("availableReplicas").asLong(0);
    if (observed < generation) {
      return "waiting for the deployment spec update to be observed";
    }
    if (updated < want) {
      return updated + " out of " + want + " new replicas have been updated";
    }
    if (total > updated) {
      return (total - updated) + " old replicas are pending termination";
    }
    if (available < updated) {
      return available + " of " + updated + " updated replicas are available";
    }
    return null;
  }

  private String podProblems(Stored d) {
    List<String> problems = new ArrayList<>();
    for (Stored rs : store.values()) {
      if (!rs.kind.equals("ReplicaSet") || !ownedBy(rs, d.uid())) {
        continue;
      }
      for (Stored pod : podsOf(rs)) {
        for (JsonNode cs : pod.obj.path("status").path("containerStatuses")) {
          JsonNode waiting = cs.path("state").path("waiting");
          if (waiting.isObject()) {
            problems.add(
                "pod "
                    + pod.name()
                    + " container "
                    + cs.path("name").asText()
                    + " waiting: "
                    + waiting.path("reason").asText()
                    + " ("
                    + waiting.path("message").asText()
                    + ")");
          }
        }
        JsonNode scheduled = condition(pod.obj, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.path("status").asText())) {
          problems.add(
              "pod " + pod.name() + " unschedulable: " + scheduled.path("message").asText());
        }
      }
    }
    return problems.isEmpty() ? "" : "; " + String.join("; ", problems);
  }

  private String waitingContent(Stored st) {
    if (st.group.isEmpty() && st.kind.equals("Namespace")) {
      List<String> left =
          store.values().stream()
              .filter(s -> st.name().equals(s.namespace()))
              .map(s -> s.display() + " finalizers " + s.meta().path("finalizers"))
              .toList();
      return left.isEmpty() ? "" : "; waiting for " + String.join(", ", left);
    }
    return "";
  }

  private static ObjectNode ownerReference(Stored owner, String apiVersion, String kind) {
    return JSON.objectNode()
        .put("apiVersion", apiVersion)
        .put("kind", kind)
        .put("name", owner.name())
        .put("uid", owner.uid())
        .put("controller", true)
        .put("blockOwnerDeletion", true);
  }

  private static boolean ownedBy(Stored st, String uid) {
    for (JsonNode o : st.obj.path("metadata").path("ownerReferences")) {
      if (uid.equals(o.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  /** The pod-template-hash label: a hash of the template in the alphabet the real one uses. */
  private static String templateHash(JsonNode template) {
    int hash = 0x811c9dc5;
    for (byte b : template.toString().getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    String digits = Integer.toUnsignedString(hash);
    StringBuilder out = new StringBuilder();
    for (char c : digits.toCharArray()) {
      out.append(SAFE_CHARS.charAt(c % SAFE_CHARS.length()));
    }
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // waits

  private void await(String waitingFor, Duration timeout, Supplier<String> pending) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        String detail = pending.get();
        if (detail == null) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new WaitTimeoutException(waitingFor, timeout, detail);
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OperatorSetupException("Interrupted while waiting for " + waitingFor, e);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // kinds and presentation

  private List<KubeKind> kinds() {
    List<KubeKind> kinds = new ArrayList<>(KubeKind.builtIns(legacyCrds));
    for (Stored st : store.values()) {
      if (st.group.equals(KubeKind.CRD_GROUP) && st.kind.equals("CustomResourceDefinition")) {
        kinds.addAll(KubeKind.fromCrd(st.obj));
      }
    }
    return kinds;
  }

  private KubeKind kindFor(String apiVersion, String kind) {
    for (KubeKind k : kinds()) {
      if (k.apiVersion().equals(apiVersion) && k.kind().equals(kind)) {
        return k;
      }
    }
    return null;
  }

  private KubeKind kind(String group, String kind) {
    for (KubeKind k : kinds()) {
      if (k.is(group, kind)) {
        return k;
      }
    }
    throw new IllegalStateException("unknown kind " + kind);
  }

  private static String storageApiVersion(JsonNode crd, List<KubeKind> kinds) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        return kinds.get(0).group() + "/" + v.path("name").asText();
      }
    }
    return kinds.get(0).apiVersion();
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

  private KubeObject present(Stored st, String apiVersion) {
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

  private void bumpResourceVersion(ObjectNode obj) {
    ((ObjectNode) obj.get("metadata")).put("resourceVersion", String.valueOf(++resourceVersion));
  }

  private static void bumpGeneration(ObjectNode obj) {
    ObjectNode meta = (ObjectNode) obj.get("metadata");
    meta.put("generation", meta.path("generation").asLong(0) + 1);
  }

  private static String timestamp() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static ObjectNode condition(
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

  private static JsonNode condition(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  private static ObjectNode objectAt(ObjectNode parent, String field) {
    JsonNode c = parent.get(field);
    return c instanceof ObjectNode o ? o : parent.putObject(field);
  }

  private static ArrayNode arrayAt(ObjectNode parent, String field) {
    JsonNode c = parent.get(field);
    return c instanceof ArrayNode a ? a : parent.putArray(field);
  }

  private static void putIfAbsent(ObjectNode node, String field, JsonNode value) {
    if (!node.has(field)) {
      node.set(field, value);
    }
  }

  private static Map<String, String> labels(JsonNode obj) {
    return stringMap(obj.path("metadata").path("labels"));
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n.isObject()) {
      n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  private static boolean matches(Map<String, String> labels, Map<String, String> selector) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
