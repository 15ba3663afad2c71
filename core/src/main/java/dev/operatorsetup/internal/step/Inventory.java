package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Run;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget.ObjectType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects install made for the target's release, found by their labels ({@link
 * Tags#MANAGED_BY_KEY} and {@link Tags#RELEASE_KEY}), never by guessing: after an upgrade, those
 * the new source no longer renders are deleted. CustomResourceDefinitions are never deleted here.
 */
final class Inventory {
  private Inventory() {}

  /** Deletes (or, in a plan, lists) the labelled objects that are not desired. */
  static void prune(Run run, Kubernetes k8s, List<KubeObject> desired) {
    var release = run.settings().target().release();
    if (release.isEmpty()) {
      return;
    }
    Set<String> wanted = new LinkedHashSet<>();
    desired.forEach(o -> wanted.add(key(o.ref())));
    Set<ObjectType> types = new LinkedHashSet<>(run.settings().target().inventoryTypes());
    desired.stream()
        .filter(o -> !o.kind().equals(ManifestStep.CRD_KIND) && !o.kind().equals("Namespace"))
        .forEach(o -> types.add(new ObjectType(o.apiVersion(), o.kind())));
    Map<String, String> selector =
        Map.of(Tags.MANAGED_BY_KEY, Tags.MANAGED_BY_VALUE, Tags.RELEASE_KEY, release.get());
    List<ObjectRef> deleted = new ArrayList<>();
    for (ObjectType type : types) {
      List<KubeObject> live =
          run.call(
              "kubernetes:list", () -> k8s.list(type.apiVersion(), type.kind(), null, selector));
      for (KubeObject object : live) {
        if (wanted.contains(key(object.ref()))) {
          continue;
        }
        run.change(
            Change.of(
                "kubernetes:" + object.ref().display(),
                ChangeAction.DELETE,
                "no longer rendered by the chart"),
            () -> run.call("kubernetes:delete", () -> k8s.delete(object.ref())));
        deleted.add(object.ref());
      }
    }
    if (run.apply()) {
      for (ObjectRef ref : deleted) {
        run.waiting("prune", ref.display() + " to be deleted");
        k8s.awaitDeleted(ref, run.forWait());
      }
    }
  }

  private static String key(ObjectRef ref) {
    return ref.kind() + "/" + ref.namespace().orElse("") + "/" + ref.name();
  }
}
