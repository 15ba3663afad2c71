package dev.operatorsetup.internal.step;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.AckController;
import java.util.ArrayList;
import java.util.List;

/**
 * Uninstall for a target whose custom resources stand for AWS resources (ACK: deleting one deletes
 * the SageMaker resource): it refuses while any exists, naming each, and deletes nothing; with
 * {@code retainAwsResources} it first annotates each with {@value
 * AckController#DELETION_POLICY}{@code : retain}, then deletes them. Objects of the CRDs the target
 * shares with other controllers ({@link SharedCrds}) are not its resources: left alone.
 */
final class RetainedResources {
  private RetainedResources() {}

  static void uninstall(Run run, Kubernetes k8s, List<KubeObject> desired) {
    List<KubeObject> resources = new ArrayList<>();
    for (KubeObject crd : desired) {
      if (crd.kind().equals(ManifestStep.CRD_KIND) && !SharedCrds.isShared(run, crd)) {
        resources.addAll(run.call("kubernetes:list", () -> k8s.listCustomResources(crd.name())));
      }
    }
    if (resources.isEmpty()) {
      return;
    }
    if (!run.settings().retainAwsResources()) {
      throw new ResourceConflictException(
          "Uninstall would delete SageMaker resources: these custom resources exist, and the ACK"
              + " controller deletes the AWS resource of each one deleted: "
              + resources.stream().map(RetainedResources::describe).toList()
              + ". Nothing was deleted. Fix: delete them yourself (kubectl delete) if their AWS"
              + " resources should go, or keep the AWS resources with .retainAwsResources() /"
              + " --retain-aws-resources (each is annotated "
              + AckController.DELETION_POLICY
              + ": retain, then deleted).");
    }
    for (KubeObject cr : resources) {
      run.change(
          Change.of(
              "kubernetes:" + cr.ref().display(),
              ChangeAction.UPDATE,
              AckController.DELETION_POLICY + ": retain (the AWS resource is kept)"),
          () -> run.call("kubernetes:apply", () -> k8s.apply(retain(cr), fieldManager(run), true)));
    }
    ObjectRemoval.deleteAll(run, k8s, resources, "custom resource, its AWS resource retained");
  }

  private static String fieldManager(Run run) {
    return run.settings().fieldManager();
  }

  private static String describe(KubeObject cr) {
    return cr.kind() + " " + cr.namespace().map(ns -> ns + "/").orElse("") + cr.name();
  }

  /** The annotation alone, applied with server-side apply: only that field is ours. */
  private static KubeObject retain(KubeObject cr) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", cr.apiVersion()).put("kind", cr.kind());
    ObjectNode metadata = node.putObject("metadata").put("name", cr.name());
    cr.namespace().ifPresent(ns -> metadata.put("namespace", ns));
    metadata.putObject("annotations").put(AckController.DELETION_POLICY, "retain");
    return KubeObject.of(node);
  }
}
