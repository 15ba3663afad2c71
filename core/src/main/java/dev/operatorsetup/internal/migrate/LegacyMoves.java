package dev.operatorsetup.internal.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.Kubernetes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The migration's own writes on the cluster, each looked up before it is made so that a re-run
 * makes only what is missing: the ACK objects, the legacy controller stopped, the legacy objects'
 * finalizers removed and the objects deleted. Nothing here calls SageMaker.
 */
public final class LegacyMoves {
  /** The field manager of the migration's own applies. */
  public static final String FIELD_MANAGER = "operator-setup-migration";

  private final Run run;
  private final Kubernetes k8s;

  public LegacyMoves(Run run, Kubernetes k8s) {
    this.run = run;
    this.k8s = k8s;
  }

  /** The report's name for a Kubernetes object, e.g. {@code kubernetes:TrainingJob ns/name}. */
  public static String resource(KubeObject o) {
    return "kubernetes:" + o.kind() + " " + o.namespace().map(n -> n + "/").orElse("") + o.name();
  }

  /** Creates the ACK object that adopts each SageMaker resource, unless an earlier run did. */
  public void adopt(LegacyInventory inventory) {
    for (LegacyInventory.Item item : inventory.items()) {
      for (LegacyInventory.Adoption a : item.adoptions()) {
        String what = "adopts SageMaker " + a.kind().label() + " " + a.sageMakerName();
        if (a.exists()) {
          run.record(Change.of(a.resource(), ChangeAction.UNCHANGED, what));
          continue;
        }
        run.change(
            Change.of(a.resource(), ChangeAction.CREATE, what + " (adoption-policy adopt)"),
            () ->
                run.run(
                    "kubernetes:apply " + a.resource(),
                    () -> k8s.apply(a.desired(), FIELD_MANAGER, false)));
      }
    }
  }

  /** Scales each legacy controller to zero and waits until its pods are gone. */
  public void stopControllers(LegacyInstall legacy) {
    for (KubeObject d : legacy.controllers()) {
      int replicas = d.json().path("spec").path("replicas").asInt(1);
      Map<String, String> selector = selector(d);
      List<KubeObject> pods =
          run.call(
              "kubernetes:list pods", () -> k8s.listPods(d.namespace().orElseThrow(), selector));
      if (replicas == 0 && pods.isEmpty()) {
        run.record(Change.of(resource(d), ChangeAction.UNCHANGED, "stopped (0 replicas)"));
        continue;
      }
      run.change(
          Change.of(
              resource(d),
              ChangeAction.UPDATE,
              "scale to 0: stop the legacy controller before its objects are touched"),
          () -> {
            if (replicas != 0) {
              run.run(
                  "kubernetes:apply " + resource(d),
                  () -> k8s.apply(scaledToZero(d), FIELD_MANAGER, true));
            }
            awaitNoPods(d, selector);
          });
    }
  }

  /** Removes each legacy object's finalizer (its controller is stopped) and deletes it. */
  public void removeLegacyObjects(LegacyInventory inventory) {
    for (LegacyInventory.Item item : inventory.items()) {
      KubeObject legacy = item.legacy();
      if (legacy.json().path("metadata").path("finalizers").size() > 0) {
        run.change(
            Change.of(
                resource(legacy),
                ChangeAction.UPDATE,
                "remove finalizer " + LegacyKind.FINALIZER + " (the legacy controller is stopped)"),
            () ->
                run.run(
                    "kubernetes:remove finalizers " + resource(legacy),
                    () -> k8s.removeFinalizers(legacy.ref())));
      }
      run.change(
          Change.of(resource(legacy), ChangeAction.DELETE, deleteDetail(item)),
          () -> {
            run.run("kubernetes:delete " + resource(legacy), () -> k8s.delete(legacy.ref()));
            run.waiting("migrate", resource(legacy) + " to be deleted");
            k8s.awaitDeleted(legacy.ref(), run.forWait());
          });
    }
  }

  private static String deleteDetail(LegacyInventory.Item item) {
    StringBuilder b = new StringBuilder("legacy object");
    if (!item.adoptions().isEmpty()) {
      b.append("; its SageMaker resources stay, adopted by ");
      b.append(
          String.join(
              ", ",
              item.adoptions().stream()
                  .map(a -> a.desired().kind() + " " + a.desired().name())
                  .toList()));
    }
    if (!item.gone().isEmpty()) {
      b.append("; no longer in SageMaker: ").append(String.join(", ", item.gone()));
    }
    return b.toString();
  }

  private static KubeObject scaledToZero(KubeObject d) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", d.apiVersion());
    o.put("kind", d.kind());
    o.putObject("metadata").put("name", d.name()).put("namespace", d.namespace().orElseThrow());
    o.putObject("spec").put("replicas", 0);
    return KubeObject.of(o);
  }

  private static Map<String, String> selector(KubeObject d) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode labels = d.json().path("spec").path("selector").path("matchLabels");
    labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private void awaitNoPods(KubeObject d, Map<String, String> selector) {
    run.waiting("migrate", "the legacy controller's pods to stop");
    long pause = 100;
    while (true) {
      List<KubeObject> pods =
          run.call(
              "kubernetes:list pods", () -> k8s.listPods(d.namespace().orElseThrow(), selector));
      if (pods.isEmpty()) {
        return;
      }
      if (run.deadline().remaining().toMillis() < pause) {
        throw new WaitTimeoutException(
            "the legacy controller's pods to stop",
            run.deadline().elapsed(),
            pods.size() + " pod(s) of " + resource(d) + " still exist");
      }
      run.deadline().sleep(pause);
      pause = Math.min(pause * 2, 2000);
    }
  }
}
