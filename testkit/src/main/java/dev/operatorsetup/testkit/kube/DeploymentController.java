package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.JSON;
import static dev.operatorsetup.testkit.kube.KubeJson.condition;
import static dev.operatorsetup.testkit.kube.KubeJson.labels;
import static dev.operatorsetup.testkit.kube.KubeJson.objectAt;
import static dev.operatorsetup.testkit.kube.KubeJson.putPositive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.model.Rollout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * kube-controller-manager's Deployment and ReplicaSet controllers: a Deployment gets a ReplicaSet
 * per pod template (named by its pod-template-hash), the current one is scaled to the Deployment's
 * replicas and older ones to zero, and both report status from their pods, which the {@link
 * Kubelet} makes.
 */
final class DeploymentController {
  static final String HASH_LABEL = "pod-template-hash";
  private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  private static final String REVISION = "deployment.kubernetes.io/revision";

  private final ObjectStore store;
  private final Kubelet kubelet;

  DeploymentController(ObjectStore store, Kubelet kubelet) {
    this.store = store;
    this.kubelet = kubelet;
  }

  /**
   * Returns why the Deployment has not rolled out (as kubectl rollout status says it) followed by
   * what its pods are stuck on, or empty when it has rolled out.
   */
  Optional<String> pending(Stored d) {
    List<Stored> sets =
        store.all().stream()
            .filter(s -> s.kind.equals("ReplicaSet") && s.ownedBy(d.uid()))
            .toList();
    return Rollout.pending(d.obj).map(reason -> reason + kubelet.problems(sets));
  }

  /** What {@code kubectl rollout restart} does: stamps the pod template with the time. */
  void restart(Stored d, String fieldManager) {
    ObjectNode annotations =
        objectAt(
            objectAt(objectAt(objectAt(d.obj, "spec"), "template"), "metadata"), "annotations");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String value = now.toString();
    if (value.equals(annotations.path(RESTARTED_AT).asText())) {
      value = now.plusMillis(1).toString();
    }
    annotations.put(RESTARTED_AT, value);
    Manager m = new Manager(fieldManager, Manager.UPDATE);
    Ownership o =
        d.managers.computeIfAbsent(
            m, x -> new Ownership(new LinkedHashSet<>(), "apps/v1", KubeJson.timestamp()));
    o.paths.add(
        List.of("f:spec", "f:template", "f:metadata", "f:annotations", "f:" + RESTARTED_AT));
    o.time = KubeJson.timestamp();
    store.bumpResourceVersion(d.obj);
    KubeJson.bumpGeneration(d.obj);
  }

  /** One reconciliation of a Deployment; returns whether anything changed. */
  boolean reconcile(Stored d) {
    if (d.deleting()) {
      return false;
    }
    int replicas = d.obj.path("spec").path("replicas").asInt(1);
    ObjectNode template = (ObjectNode) d.obj.get("spec").get("template");
    String hash = templateHash(template);
    List<Stored> sets = replicaSetsOf(d);
    Stored current =
        sets.stream()
            .filter(s -> hash.equals(labels(s.obj).get(HASH_LABEL)) && !s.deleting())
            .findFirst()
            .orElse(null);
    boolean changed = false;
    if (current == null) {
      current = createReplicaSet(d, template, hash, replicas, nextRevision(sets));
      changed = true;
    } else {
      changed |= scale(current, replicas);
    }
    for (Stored old : sets) {
      if (old != current) {
        changed |= scaleDown(old);
      }
    }
    List<Stored> pods = new ArrayList<>(kubelet.podsOf(current));
    while (pods.size() < replicas) {
      pods.add(kubelet.createPod(current));
      changed = true;
    }
    while (pods.size() > replicas) {
      store.remove(pods.remove(pods.size() - 1));
      changed = true;
    }
    changed |= setStatus(current, replicaSetStatus(current, pods));
    changed |= setStatus(d, deploymentStatus(d, current, pods, replicas));
    return changed;
  }

  private List<Stored> replicaSetsOf(Stored d) {
    return store.all().stream()
        .filter(s -> s.kind.equals("ReplicaSet") && d.namespace().equals(s.namespace()))
        .filter(s -> s.ownedBy(d.uid()))
        .toList();
  }

  private static int nextRevision(List<Stored> sets) {
    return sets.stream()
            .mapToInt(s -> s.meta().path("annotations").path(REVISION).asInt(0))
            .max()
            .orElse(0)
        + 1;
  }

  private boolean scale(Stored rs, int replicas) {
    ObjectNode spec = (ObjectNode) rs.obj.get("spec");
    if (spec.path("replicas").asInt() == replicas) {
      return false;
    }
    spec.put("replicas", replicas);
    store.bumpResourceVersion(rs.obj);
    return true;
  }

  /** Scales an old ReplicaSet to zero and removes its pods. */
  private boolean scaleDown(Stored old) {
    boolean changed = false;
    if (old.obj.path("spec").path("replicas").asInt() != 0) {
      ((ObjectNode) old.obj.get("spec")).put("replicas", 0);
      store.bumpResourceVersion(old.obj);
      changed = true;
    }
    for (Stored pod : kubelet.podsOf(old)) {
      store.remove(pod);
      changed = true;
    }
    changed |= setStatus(old, replicaSetStatus(old, List.of()));
    return changed;
  }

  private Stored createReplicaSet(
      Stored d, ObjectNode template, String hash, int replicas, int revision) {
    String name = d.name() + "-" + hash;
    ObjectNode obj = store.create("apps/v1", "ReplicaSet", name, d.namespace(), true);
    ObjectNode meta = (ObjectNode) obj.get("metadata");
    ObjectNode labels = meta.putObject("labels");
    labels.setAll(objectAt(objectAt(template.deepCopy(), "metadata"), "labels"));
    labels.put(HASH_LABEL, hash);
    meta.putObject("annotations")
        .put("deployment.kubernetes.io/desired-replicas", String.valueOf(replicas))
        .put("deployment.kubernetes.io/max-replicas", String.valueOf(replicas + 1))
        .put(REVISION, String.valueOf(revision));
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
    store.add(rs);
    return rs;
  }

  static ObjectNode ownerReference(Stored owner, String apiVersion, String kind) {
    return JSON.objectNode()
        .put("apiVersion", apiVersion)
        .put("kind", kind)
        .put("name", owner.name())
        .put("uid", owner.uid())
        .put("controller", true)
        .put("blockOwnerDeletion", true);
  }

  private static ObjectNode replicaSetStatus(Stored rs, List<Stored> pods) {
    ObjectNode status = JSON.objectNode();
    long ready = pods.stream().filter(Kubelet::ready).count();
    status.put("replicas", pods.size());
    putPositive(status, "fullyLabeledReplicas", pods.size());
    putPositive(status, "readyReplicas", ready);
    putPositive(status, "availableReplicas", ready);
    status.put("observedGeneration", rs.obj.path("metadata").path("generation").asLong(1));
    return status;
  }

  private static ObjectNode deploymentStatus(
      Stored d, Stored current, List<Stored> pods, int replicas) {
    long ready = pods.stream().filter(Kubelet::ready).count();
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
                KubeJson.timestamp())));
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
                KubeJson.timestamp())));
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
    store.bumpResourceVersion(st.obj);
    return true;
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
      out.append(KubeJson.SAFE_CHARS.charAt(c % KubeJson.SAFE_CHARS.length()));
    }
    return out.toString();
  }
}
