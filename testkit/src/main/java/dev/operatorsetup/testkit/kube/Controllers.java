package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.JSON;
import static dev.operatorsetup.testkit.kube.KubeJson.condition;
import static dev.operatorsetup.testkit.kube.KubeJson.objectAt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API server and kube-controller-manager do after a write: CRDs become Established at
 * once, then garbage collection, finalization and Deployment rollouts run until nothing changes.
 */
final class Controllers {
  private final ObjectStore store;
  private final GarbageCollector garbage;
  private final DeploymentController deployments;
  private final Kubelet kubelet;
  private final Map<String, Long> establishAt = new LinkedHashMap<>(); // CRD name -> nanoTime
  private long establishDelayNanos;

  Controllers(
      ObjectStore store,
      GarbageCollector garbage,
      DeploymentController deployments,
      Kubelet kubelet) {
    this.store = store;
    this.garbage = garbage;
    this.deployments = deployments;
    this.kubelet = kubelet;
  }

  /** Makes CRDs applied from now on become Established {@code delay} after they are accepted. */
  void establishDelay(Duration delay) {
    establishDelayNanos = delay.toNanos();
  }

  /**
   * Does what has come due: Establishes CRDs and readies pods whose delay passed, then settles;
   * returns whether anything changed.
   */
  boolean tick() {
    boolean changed = false;
    long now = System.nanoTime();
    for (Map.Entry<String, Long> e : List.copyOf(establishAt.entrySet())) {
      if (now - e.getValue() >= 0) {
        establishAt.remove(e.getKey());
        Stored crd = store.crd(e.getKey());
        if (crd != null && !crd.deleting()) {
          ArrayNode conditions = (ArrayNode) objectAt(crd.obj, "status").get("conditions");
          conditions.add(established(KubeJson.timestamp()));
          store.bumpResourceVersion(crd.obj);
          changed = true;
        }
      }
    }
    if (kubelet.tick()) {
      settle();
      changed = true;
    }
    return changed;
  }

  /** Nanoseconds until something comes due, or {@link Long#MAX_VALUE} if nothing waits. */
  long nanosToNextDue() {
    long now = System.nanoTime();
    long crd =
        establishAt.values().stream()
            .mapToLong(d -> Math.max(1, d - now))
            .min()
            .orElse(Long.MAX_VALUE);
    return Math.min(crd, kubelet.nanosToNextReady());
  }

  private static ObjectNode established(String now) {
    return condition(
        "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now);
  }

  /** Reacts to an applied object: a CRD is accepted and Established. */
  void written(KubeKind k, Stored st) {
    if (!k.is(KubeKind.CRD_GROUP, "CustomResourceDefinition") || st.deleting()) {
      return;
    }
    ObjectNode status = objectAt(st.obj, "status");
    ObjectNode before = status.deepCopy();
    List<KubeKind> kinds = KubeKind.fromCrd(st.obj);
    String now = KubeJson.timestamp();
    ArrayNode conditions = JSON.arrayNode();
    conditions.add(condition("NamesAccepted", "True", "NoConflicts", "no conflicts found", now));
    JsonNode old = before.path("conditions");
    if (old.size() == 2 || establishAt.containsKey(st.name())) {
      conditions = (ArrayNode) old;
    } else if (establishDelayNanos > 0) {
      establishAt.put(st.name(), System.nanoTime() + establishDelayNanos);
    } else {
      conditions.add(established(now));
    }
    status.set("conditions", conditions);
    status.set("acceptedNames", st.obj.path("spec").path("names").deepCopy());
    ArrayNode stored = JSON.arrayNode();
    if (!kinds.isEmpty()) {
      stored.add(ObjectStore.storageApiVersion(st.obj, kinds).replaceFirst(".*/", ""));
    }
    status.set("storedVersions", stored);
    if (!status.equals(before)) {
      store.bumpResourceVersion(st.obj);
    }
  }

  /** Runs deletion, garbage collection and Deployment rollouts until nothing changes. */
  void settle() {
    boolean changed = true;
    int rounds = 0;
    while (changed && rounds++ < 100) {
      changed = garbage.collect();
      for (Stored d : store.snapshot()) {
        if (d.is("apps", "Deployment") && store.contains(d)) {
          changed |= deployments.reconcile(d);
        }
      }
    }
  }
}
