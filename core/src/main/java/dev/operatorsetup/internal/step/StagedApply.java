package dev.operatorsetup.internal.step;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.step.Reconcile.Outcome;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.Kubernetes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reconciles the objects of a manifest stage by stage: the objects of one stage are read and
 * applied concurrently (each round trip to the API server being mostly waiting); outcomes come back
 * in manifest order.
 */
final class StagedApply implements AutoCloseable {
  /** The most objects of one stage read and applied at the same time. */
  private static final int MAX_CONCURRENT_APPLIES = 8;

  /**
   * Kinds that may be applied together, in any order, once the stages before them are done. Any
   * other kind is a stage of its own: a Secret, for one, may be a service account token, which must
   * come after its ServiceAccount.
   */
  private static final Map<String, String> STAGE_OF_KIND =
      Map.ofEntries(
          Map.entry("Namespace", "namespaces"),
          Map.entry("CustomResourceDefinition", "crds"),
          Map.entry("ServiceAccount", "config"),
          Map.entry("Role", "config"),
          Map.entry("ClusterRole", "config"),
          Map.entry("RoleBinding", "config"),
          Map.entry("ClusterRoleBinding", "config"),
          Map.entry("ConfigMap", "config"),
          Map.entry("Service", "config"),
          Map.entry("Deployment", "workloads"));

  private final Run run;
  private final Kubernetes k8s;
  private final int threads;
  private ExecutorService pool;

  StagedApply(Run run, Kubernetes k8s, List<List<KubeObject>> stages) {
    this.run = run;
    this.k8s = k8s;
    this.threads =
        Math.min(MAX_CONCURRENT_APPLIES, stages.stream().mapToInt(List::size).max().orElse(1));
  }

  /** Splits the objects, in order, into runs of kinds that may be applied together. */
  static List<List<KubeObject>> stages(List<KubeObject> desired) {
    List<List<KubeObject>> stages = new ArrayList<>();
    String current = null;
    for (KubeObject object : desired) {
      String stage = STAGE_OF_KIND.get(object.kind());
      if (stage == null || !stage.equals(current)) {
        stages.add(new ArrayList<>());
      }
      stages.get(stages.size() - 1).add(object);
      current = stage;
    }
    return stages;
  }

  /** What one stage did: the outcomes in manifest order, and its first failure if any. */
  record Result(List<Outcome> outcomes, RuntimeException failure) {}

  /** Reconciles one stage, waiting for every object of it. */
  Result reconcile(List<KubeObject> stage) {
    if (stage.size() == 1) {
      try {
        return new Result(List.of(Reconcile.object(run, k8s, stage.get(0))), null);
      } catch (RuntimeException e) {
        return new Result(List.of(), e);
      }
    }
    if (pool == null) {
      pool = newPool(threads);
    }
    List<Future<Outcome>> futures = new ArrayList<>();
    for (KubeObject object : stage) {
      futures.add(pool.submit(() -> Reconcile.object(run, k8s, object)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    RuntimeException failure = null;
    for (Future<Outcome> f : futures) {
      try {
        outcomes.add(f.get());
      } catch (ExecutionException e) {
        failure = failure != null ? failure : unwrap(e);
      } catch (InterruptedException e) {
        futures.forEach(other -> other.cancel(true));
        Thread.currentThread().interrupt();
        run.deadline().checkCancelled();
      }
    }
    return new Result(outcomes, failure);
  }

  private static RuntimeException unwrap(ExecutionException e) {
    if (e.getCause() instanceof RuntimeException r) {
      return r;
    }
    if (e.getCause() instanceof Error err) {
      throw err;
    }
    return new OperatorSetupException(String.valueOf(e.getCause()), e.getCause());
  }

  private static ExecutorService newPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "operator-setup-apply-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
