package dev.operatorsetup.testkit.kube;

import static dev.operatorsetup.testkit.kube.KubeJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The state and behaviour behind {@link dev.operatorsetup.testkit.InMemoryKubernetes}, without its
 * call log: an object store, server-side apply, defaulting and validation, and the controllers that
 * run after every write. Use {@code InMemoryKubernetes}; this class is its engine. Every method
 * holds one lock, and the waits wait on it. Thread-safe.
 */
public final class KubeCluster {
  private final Object lock = new Object();
  private final ObjectStore store = new ObjectStore();
  private final Kubelet kubelet = new Kubelet(store);
  private final DeploymentController deployments = new DeploymentController(store, kubelet);
  private final GarbageCollector garbage = new GarbageCollector(store);
  private final Controllers controllers = new Controllers(store, garbage, deployments, kubelet);
  private final Defaults defaults = new Defaults(store);
  private final ServerSideApply serverSideApply = new ServerSideApply(store, defaults, controllers);
  private String gitVersion = "v1.37.2";

  /** Creates a cluster with the usual default namespaces. */
  public KubeCluster() {
    synchronized (lock) {
      for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
        ObjectNode obj = JSON.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
        obj.putObject("metadata").put("name", ns);
        KubeKind k = store.kind("", "Namespace");
        ObjectNode stored = store.create("v1", "Namespace", ns, null, k.generation());
        KubeFieldSets.merge(stored, obj, List.of(), true);
        defaults.apply(k, stored);
        store.add(new Stored("", "Namespace", stored));
      }
    }
  }

  /** Serves (or stops serving) {@code apiextensions.k8s.io/v1beta1} CRDs. */
  public void serveLegacyCrds(boolean serve) {
    synchronized (lock) {
      store.serveLegacyCrds(serve);
    }
  }

  /** Makes pods created from now on fail to pull {@code image}. */
  public void markUnpullable(String image) {
    synchronized (lock) {
      kubelet.markUnpullable(image);
    }
  }

  /**
   * Makes CRDs applied from now on become Established only {@code delay} after they are accepted.
   */
  public void crdEstablishDelay(Duration delay) {
    synchronized (lock) {
      controllers.establishDelay(nonNegative(delay));
    }
  }

  /** Makes pods created from now on become ready only {@code delay} after they start. */
  public void podReadyDelay(Duration delay) {
    synchronized (lock) {
      kubelet.readyDelay(nonNegative(delay));
    }
  }

  private static Duration nonNegative(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
    return delay;
  }

  /** Runs what has come due (delayed CRDs and pods), waking the waits if anything changed. */
  private void tick() {
    if (controllers.tick()) {
      lock.notifyAll();
    }
  }

  /** Sets the version {@link #serverInfo()} reports. */
  public void version(String gitVersion) {
    synchronized (lock) {
      this.gitVersion = Objects.requireNonNull(gitVersion, "gitVersion");
    }
  }

  /** Returns every stored object as {@link #get} would return it. */
  public List<KubeObject> objects() {
    synchronized (lock) {
      tick();
      List<KubeObject> out = new ArrayList<>();
      for (Stored st : store.all()) {
        out.add(store.present(st, st.obj.path("apiVersion").asText()));
      }
      return out;
    }
  }

  public ServerInfo serverInfo() {
    synchronized (lock) {
      Set<String> gvs = new TreeSet<>();
      for (KubeKind k : store.kinds()) {
        gvs.add(k.apiVersion());
      }
      return new ServerInfo.Builder().gitVersion(gitVersion).groupVersions(gvs).build();
    }
  }

  public KubeObject apply(KubeObject object, String fieldManager, boolean force) {
    synchronized (lock) {
      KubeObject result = serverSideApply.apply(object, fieldManager, force);
      lock.notifyAll();
      return result;
    }
  }

  public Optional<KubeObject> get(ObjectRef ref) {
    synchronized (lock) {
      tick();
      Stored st = find(ref);
      return st == null ? Optional.empty() : Optional.of(store.present(st, ref.apiVersion()));
    }
  }

  /** The stored object {@code ref} names, or null (also when its kind is not served). */
  private Stored find(ObjectRef ref) {
    KubeKind k = store.kindFor(ref.apiVersion(), ref.kind());
    return k == null ? null : store.get(k, ref.namespace().orElse(null), ref.name());
  }

  public boolean delete(ObjectRef ref) {
    synchronized (lock) {
      Stored st = find(ref);
      if (st == null) {
        return false;
      }
      garbage.startDeletion(st);
      controllers.settle();
      lock.notifyAll();
      return true;
    }
  }

  public void awaitDeleted(ObjectRef ref, Duration timeout) {
    await(
        ref.display() + " to be deleted",
        timeout,
        () -> {
          Stored st = find(ref);
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
              + garbage.waitingFor(st);
        });
  }

  public void awaitCrdEstablished(String crdName, Duration timeout) {
    await(
        "CustomResourceDefinition " + crdName + " to become Established",
        timeout,
        () -> {
          Stored crd = store.crd(crdName);
          if (crd == null) {
            return "it does not exist";
          }
          JsonNode established = KubeJson.condition(crd.obj, "Established");
          if (established != null && "True".equals(established.path("status").asText())) {
            return null;
          }
          return "conditions " + crd.obj.path("status").path("conditions");
        });
  }

  public void awaitRollout(String namespace, String name, Duration timeout) {
    await(
        "Deployment " + namespace + "/" + name + " to roll out",
        timeout,
        () -> {
          Stored d = store.get("apps", "Deployment", namespace, name);
          if (d == null) {
            return "it does not exist";
          }
          return deployments.pending(d).orElse(null);
        });
  }

  public void restartDeployment(String namespace, String name, String fieldManager) {
    synchronized (lock) {
      ServerSideApply.requireManager(fieldManager, "Deployment " + namespace + "/" + name);
      Stored d = store.get("apps", "Deployment", namespace, name);
      if (d == null) {
        throw new ResourceNotFoundException(
            "Cannot restart Deployment "
                + namespace
                + "/"
                + name
                + ": it does not exist. Fix: apply the Deployment first.");
      }
      deployments.restart(d, fieldManager);
      controllers.settle();
      lock.notifyAll();
    }
  }

  public List<KubeObject> listCustomResources(String crdName) {
    synchronized (lock) {
      Stored crd = store.crd(crdName);
      if (crd == null) {
        return List.of();
      }
      List<KubeKind> kinds = KubeKind.fromCrd(crd.obj);
      if (kinds.isEmpty()) {
        return List.of();
      }
      String apiVersion = ObjectStore.storageApiVersion(crd.obj, kinds);
      KubeKind k = kinds.get(0);
      List<KubeObject> out = new ArrayList<>();
      store.all().stream()
          .filter(s -> s.is(k.group(), k.kind()))
          .sorted(
              Comparator.comparing((Stored s) -> String.valueOf(s.namespace()))
                  .thenComparing(Stored::name))
          .forEach(s -> out.add(store.present(s, apiVersion)));
      return out;
    }
  }

  /**
   * Replaces the object's status, as a controller does through the status subresource; returns
   * false if the object does not exist.
   */
  public boolean putStatus(ObjectRef ref, com.fasterxml.jackson.databind.JsonNode status) {
    synchronized (lock) {
      Stored st = find(ref);
      if (st == null) {
        return false;
      }
      st.obj.set("status", status.deepCopy());
      store.bumpResourceVersion(st.obj);
      lock.notifyAll();
      return true;
    }
  }

  public boolean removeFinalizers(ObjectRef ref) {
    synchronized (lock) {
      Stored st = find(ref);
      if (st == null) {
        return false;
      }
      if (garbage.removeFinalizers(st)) {
        controllers.settle();
        lock.notifyAll();
      }
      return true;
    }
  }

  public List<KubeObject> listPods(String namespace, Map<String, String> selector) {
    synchronized (lock) {
      tick();
      List<KubeObject> out = new ArrayList<>();
      store.all().stream()
          .filter(s -> s.is("", "Pod"))
          .filter(s -> namespace.equals(s.namespace()))
          .filter(s -> KubeJson.matches(KubeJson.labels(s.obj), selector))
          .sorted(Comparator.comparing(Stored::name))
          .forEach(s -> out.add(store.present(s, "v1")));
      return out;
    }
  }

  /** Blocks until {@code pending} returns null (done), or throws when the timeout passes. */
  private void await(String waitingFor, Duration timeout, Supplier<String> pending) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        tick();
        String detail = pending.get();
        if (detail == null) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new WaitTimeoutException(waitingFor, timeout, detail);
        }
        try {
          long wait = Math.min(left, controllers.nanosToNextDue());
          lock.wait(Math.max(1, wait / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OperatorSetupException("Interrupted while waiting for " + waitingFor, e);
        }
      }
    }
  }
}
