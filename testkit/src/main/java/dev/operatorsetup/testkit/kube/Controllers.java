package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.JSON;
import static dev.operatorsetup.testkit.kube.KubeJson.condition;
import static dev.operatorsetup.testkit.kube.KubeJson.objectAt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the API server and kube-controller-manager do after a write: CRDs become Established at
 * once, then garbage collection, finalization and Deployment rollouts run until nothing changes.
 */
final class Controllers {
  private final ObjectStore store;
  private final GarbageCollector garbage;
  private final DeploymentController deployments;

  Controllers(ObjectStore store, GarbageCollector garbage, DeploymentController deployments) {
    this.store = store;
    this.garbage = garbage;
    this.deployments = deployments;
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
