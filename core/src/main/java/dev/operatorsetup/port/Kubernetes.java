package dev.operatorsetup.port;

import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Kubernetes cluster. Implementations are thread-safe; waits honour thread interruption and
 * throw {@link dev.operatorsetup.WaitTimeoutException} naming what they waited for.
 */
public interface Kubernetes extends AutoCloseable {
  ServerInfo serverInfo();

  /**
   * Server-side applies the object with a field manager, creating it if needed, and returns it as
   * the server stored it.
   *
   * @param force take over fields another manager owns; without it such a conflict is a {@link
   *     dev.operatorsetup.ResourceConflictException} naming the fields and the manager
   */
  KubeObject apply(KubeObject object, String fieldManager, boolean force);

  Optional<KubeObject> get(ObjectRef ref);

  /** Deletes the object (background propagation); returns false if it did not exist. */
  boolean delete(ObjectRef ref);

  /** Waits until the object is gone. */
  void awaitDeleted(ObjectRef ref, Duration timeout);

  /** Waits until the CustomResourceDefinition has condition Established=True. */
  void awaitCrdEstablished(String crdName, Duration timeout);

  /**
   * Waits until the Deployment has rolled out: observedGeneration caught up, and updated, available
   * and total replicas equal to the desired count.
   */
  void awaitRollout(String namespace, String name, Duration timeout);

  /** Restarts the Deployment's pods, as {@code kubectl rollout restart} does. */
  void restartDeployment(String namespace, String name, String fieldManager);

  /** Lists the custom resources of a CRD in every namespace; empty if the CRD does not exist. */
  List<KubeObject> listCustomResources(String crdName);

  /** Removes every finalizer of the object; returns false if it did not exist. */
  boolean removeFinalizers(ObjectRef ref);

  /** Lists pods in a namespace whose labels include {@code selector}. */
  List<KubeObject> listPods(String namespace, Map<String, String> selector);

  /**
   * Lists the objects of one type whose labels include {@code selector}: in one namespace, or in
   * every namespace (and for cluster-scoped types) when {@code namespace} is null. Empty when the
   * server does not serve the type.
   */
  List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> selector);

  /** Releases connections. Does nothing for clients passed in from outside. */
  @Override
  default void close() {}
}
