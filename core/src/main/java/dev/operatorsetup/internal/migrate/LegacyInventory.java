package dev.operatorsetup.internal.migrate;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.port.SageMakerKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every legacy custom resource on the cluster, what SageMaker resource each stands for (read from
 * its status and looked up with Describe), the ACK object that will adopt it, and every reason to
 * refuse: read before anything is written.
 */
public final class LegacyInventory {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A legacy object and what the migration does with it. */
  public record Item(
      KubeObject legacy, LegacyKind kind, List<Adoption> adoptions, List<String> gone) {
    public String label() {
      return kind.kind() + " " + legacy.namespace().orElse("") + "/" + legacy.name();
    }
  }

  /** One ACK object to create (or found already made by an earlier run). */
  public record Adoption(
      SageMakerKind kind, String sageMakerName, KubeObject desired, boolean exists) {
    public String resource() {
      return "kubernetes:"
          + desired.kind()
          + " "
          + desired.namespace().orElse("")
          + "/"
          + desired.name();
    }
  }

  private final List<Item> items = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();

  public List<Item> items() {
    return List.copyOf(items);
  }

  /** Why the migration cannot go on, one line per legacy object; empty if it can. */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  /** Reads every legacy object and plans its adoption. */
  public static LegacyInventory read(Run run, Kubernetes k8s, AckObjects ack) {
    LegacyInventory inv = new LegacyInventory();
    Map<String, String> planned = new HashMap<>();
    for (LegacyKind kind : LegacyKind.values()) {
      List<KubeObject> found =
          run.call(
              "kubernetes:list " + kind.crdName(), () -> k8s.listCustomResources(kind.crdName()));
      for (KubeObject legacy : found) {
        inv.add(run, k8s, ack, kind, legacy, planned);
      }
    }
    return inv;
  }

  private void add(
      Run run,
      Kubernetes k8s,
      AckObjects ack,
      LegacyKind kind,
      KubeObject legacy,
      Map<String, String> planned) {
    String label = kind.kind() + " " + legacy.namespace().orElse("") + "/" + legacy.name();
    if (!kind.migrates()) {
      refusals.add(
          label
              + ": the ACK SageMaker controller has no counterpart (Application Auto Scaling is"
              + " the ACK applicationautoscaling controller's ScalableTarget and ScalingPolicy)."
              + " Fix: recreate the scaling with that controller, then delete this object with"
              + " kubectl (its controller deregisters the policy), or remove its finalizer and"
              + " delete it to leave the policy in place; then run migrate again.");
      return;
    }
    List<LegacyKind.Wanted> wanted = kind.wanted(legacy);
    if (wanted.isEmpty()) {
      refusals.add(
          label
              + ": never submitted to SageMaker (status."
              + kind.statusName().orElseThrow()
              + " is empty), so there is nothing to adopt. Fix: wait until the legacy controller"
              + " has submitted it, or delete it (kubectl delete "
              + kind.crdName()
              + " -n "
              + legacy.namespace().orElse("default")
              + " "
              + legacy.name()
              + "); then run migrate again.");
      return;
    }
    List<Adoption> adoptions = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    for (LegacyKind.Wanted w : wanted) {
      Optional<Map<String, Object>> described =
          run.call(
              "sagemaker:" + w.kind().operation(),
              () -> run.aws().sageMaker().describe(w.kind(), w.sageMakerName()));
      if (described.isEmpty()) {
        gone.add(w.kind().label() + " " + w.sageMakerName());
        continue;
      }
      adopt(run, k8s, ack, label, legacy, w, described.get(), planned).ifPresent(adoptions::add);
    }
    items.add(new Item(legacy, kind, adoptions, gone));
  }

  private Optional<Adoption> adopt(
      Run run,
      Kubernetes k8s,
      AckObjects ack,
      String label,
      KubeObject legacy,
      LegacyKind.Wanted w,
      Map<String, Object> described,
      Map<String, String> planned) {
    Optional<KubeObject> crd = ack.crd(w.kind());
    if (crd.isEmpty()) {
      refusals.add(
          label
              + ": the chart has no CRD "
              + AckObjects.crdName(w.kind())
              + " to adopt SageMaker "
              + w.kind().label()
              + " "
              + w.sageMakerName()
              + ". Fix: use a chart of the ACK SageMaker controller that has it (the bundled 1.9.1).");
      return Optional.empty();
    }
    String namespace = legacy.namespace().orElse("default");
    KubeObject desired =
        ack.build(crd.get(), w.kind(), namespace, w.ackName(), w.sageMakerName(), described, label);
    String key = desired.kind() + " " + namespace + "/" + desired.name();
    String previous = planned.putIfAbsent(key, w.sageMakerName());
    if (previous != null && !previous.equals(w.sageMakerName())) {
      refusals.add(
          label
              + ": ACK "
              + key
              + " would adopt both SageMaker "
              + w.kind().label()
              + " "
              + previous
              + " and "
              + w.sageMakerName()
              + ". Fix: rename one of the legacy objects' ACK counterparts by hand.");
      return Optional.empty();
    }
    if (!complete(label, w, crd.get(), desired)) {
      return Optional.empty();
    }
    Optional<KubeObject> existing = run.call("kubernetes:get " + key, () -> k8s.get(desired.ref()));
    if (existing.isPresent() && !sameAdoption(existing.get(), desired)) {
      refusals.add(
          label
              + ": ACK "
              + key
              + " exists and does not adopt SageMaker "
              + w.kind().label()
              + " "
              + w.sageMakerName()
              + ". Fix: delete or rename it (it is not the migration's), then run migrate again.");
      return Optional.empty();
    }
    return Optional.of(new Adoption(w.kind(), w.sageMakerName(), desired, existing.isPresent()));
  }

  /** Whether the object has every field the CRD requires; else a refusal says which it lacks. */
  private boolean complete(String label, LegacyKind.Wanted w, KubeObject crd, KubeObject desired) {
    List<String> missing = AckObjects.missingRequired(crd, desired);
    if (!missing.isEmpty()) {
      refusals.add(
          label
              + ": SageMaker's Describe output for "
              + w.kind().label()
              + " "
              + w.sageMakerName()
              + " lacks "
              + String.join(", ", missing)
              + ", which the ACK CRD requires. Fix: declare the ACK "
              + desired.kind()
              + " by hand with those fields and the adoption annotations, then run migrate again.");
    }
    return missing.isEmpty();
  }

  private static boolean sameAdoption(KubeObject existing, KubeObject desired) {
    String have = existing.annotations().get(AckObjects.ADOPTION_FIELDS);
    String want = desired.annotations().get(AckObjects.ADOPTION_FIELDS);
    if (have == null) {
      return false;
    }
    try {
      return JSON.readTree(have).equals(JSON.readTree(want));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }
}
