package dev.operatorsetup.testkit;

import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.kube.KubeCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * {@link #serveLegacyCrds(boolean)}. CRDs become Established at once, or after {@link
 * #withCrdEstablishDelay}; pods become ready at once, or after {@link #withRolloutDelay}. As in a
 * real apply, fields the type does not declare and values of the wrong JSON type are rejected
 * ({@code failed to create typed patch object}; for custom resources against the version's
 * structural schema, for built-in kinds at the top level, in {@code metadata} and in a Deployment's
 * {@code spec}), then custom resources are defaulted and validated against the schema. Deployments
 * roll out immediately: a ReplicaSet and ready Pods (as kube-controller-manager and kwok would make
 * them), unless a container image was {@linkplain #markUnpullable(String) marked unpullable} or the
 * pod's nodeSelector matches no node. Deletion honours finalizers and cascades: to a Namespace's
 * objects, to a CRD's custom resources and to owned objects.
 *
 * <p>Every call goes through a {@link Recorder} for service {@code kubernetes}; the operation is
 * the method name and its target, e.g. {@code apply Deployment ns/name} or {@code awaitRollout
 * ns/name}. Reads: {@code serverInfo}, {@code get}, {@code listCustomResources}, {@code listPods}
 * and the {@code await*} calls; writes: {@code apply}, {@code delete}, {@code restartDeployment},
 * {@code removeFinalizers}. Waits block (really) until the state they wait for or the timeout.
 * Thread-safe.
 */
public final class InMemoryKubernetes implements Kubernetes {
  private final Recorder recorder;
  private final KubeCluster cluster = new KubeCluster();

  /** Creates an empty cluster (with the usual default namespaces) that logs to a private log. */
  public InMemoryKubernetes() {
    this(new CallLog(), new Faults());
  }

  /** Creates an empty cluster that records every call in {@code log} and obeys {@code faults}. */
  public InMemoryKubernetes(CallLog log, Faults faults) {
    this.recorder = new Recorder("kubernetes", log, faults);
  }

  /**
   * Serves {@code apiextensions.k8s.io/v1beta1} CRDs, as Kubernetes 1.21 and earlier did; off by
   * default, like every supported Kubernetes version.
   */
  public InMemoryKubernetes serveLegacyCrds(boolean serve) {
    cluster.serveLegacyCrds(serve);
    return this;
  }

  /**
   * Makes every pod created from now on with a container using {@code image} fail to pull it: the
   * container stays waiting with reason ImagePullBackOff, so the pod is never ready and the
   * Deployment never rolls out.
   */
  public InMemoryKubernetes markUnpullable(String image) {
    cluster.markUnpullable(image);
    return this;
  }

  /**
   * Makes CRDs applied from now on become Established only {@code delay} after they are accepted
   * (default zero: at once), so {@link #awaitCrdEstablished} really waits.
   */
  public InMemoryKubernetes withCrdEstablishDelay(Duration delay) {
    cluster.crdEstablishDelay(delay);
    return this;
  }

  /**
   * Makes pods created from now on become ready only {@code delay} after they start (default zero:
   * at once), so a Deployment rolls out that long after it is applied and {@link #awaitRollout}
   * really waits.
   */
  public InMemoryKubernetes withRolloutDelay(Duration delay) {
    cluster.podReadyDelay(delay);
    return this;
  }

  /** Sets the version {@link #serverInfo()} reports, e.g. {@code v1.21.14}. */
  public InMemoryKubernetes version(String gitVersion) {
    cluster.version(gitVersion);
    return this;
  }

  /**
   * Returns every stored object, including the default namespaces and the ReplicaSets and Pods of
   * Deployments, as {@link #get} would return them. Not recorded in the call log.
   */
  public List<KubeObject> objects() {
    return cluster.objects();
  }

  /**
   * Replaces an object's status as its controller would (the status subresource), for tests that
   * need objects as a controller left them; not recorded in the call log.
   */
  public boolean putStatus(ObjectRef ref, com.fasterxml.jackson.databind.JsonNode status) {
    return cluster.putStatus(ref, status);
  }

  @Override
  public ServerInfo serverInfo() {
    return recorder.read("serverInfo", cluster::serverInfo);
  }

  @Override
  public KubeObject apply(KubeObject object, String fieldManager, boolean force) {
    Objects.requireNonNull(object, "object");
    return recorder.write(
        "apply " + object.ref().display(), () -> cluster.apply(object, fieldManager, force));
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return recorder.read("get " + ref.display(), () -> cluster.get(ref));
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return recorder.write("delete " + ref.display(), () -> cluster.delete(ref));
  }

  @Override
  public void awaitDeleted(ObjectRef ref, Duration timeout) {
    recorder.read(
        "awaitDeleted " + ref.display(),
        () -> {
          cluster.awaitDeleted(ref, timeout);
          return null;
        });
  }

  @Override
  public void awaitCrdEstablished(String crdName, Duration timeout) {
    recorder.read(
        "awaitCrdEstablished " + crdName,
        () -> {
          cluster.awaitCrdEstablished(crdName, timeout);
          return null;
        });
  }

  @Override
  public void awaitRollout(String namespace, String name, Duration timeout) {
    recorder.read(
        "awaitRollout " + namespace + "/" + name,
        () -> {
          cluster.awaitRollout(namespace, name, timeout);
          return null;
        });
  }

  @Override
  public void restartDeployment(String namespace, String name, String fieldManager) {
    recorder.write(
        "restartDeployment " + namespace + "/" + name,
        () -> cluster.restartDeployment(namespace, name, fieldManager));
  }

  @Override
  public List<KubeObject> listCustomResources(String crdName) {
    return recorder.read(
        "listCustomResources " + crdName, () -> cluster.listCustomResources(crdName));
  }

  @Override
  public boolean removeFinalizers(ObjectRef ref) {
    return recorder.write("removeFinalizers " + ref.display(), () -> cluster.removeFinalizers(ref));
  }

  @Override
  public List<KubeObject> listPods(String namespace, Map<String, String> selector) {
    return recorder.read(
        "listPods " + namespace + " " + selector, () -> cluster.listPods(namespace, selector));
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> selector) {
    return recorder.read(
        "list " + kind + " " + namespace + " " + selector,
        () ->
            cluster.objects().stream()
                .filter(o -> o.apiVersion().equals(apiVersion) && o.kind().equals(kind))
                .filter(o -> namespace == null || namespace.equals(o.namespace().orElse(null)))
                .filter(o -> o.labels().entrySet().containsAll(selector.entrySet()))
                .toList());
  }
}
