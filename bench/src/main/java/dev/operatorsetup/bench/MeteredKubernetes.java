package dev.operatorsetup.bench;

import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import dev.operatorsetup.port.ForwardingKubernetes;
import dev.operatorsetup.port.Kubernetes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the calls made through a {@link Kubernetes} port, as reads or writes, and the time spent
 * in each method. Writes are {@code apply}, {@code delete}, {@code restartDeployment} and {@code
 * removeFinalizers}; everything else, waits included, reads. Never closes the port it wraps.
 */
final class MeteredKubernetes extends ForwardingKubernetes {
  static final Set<String> WRITES =
      Set.of("apply", "delete", "restartDeployment", "removeFinalizers");

  /** Calls and nanoseconds of one method. */
  record Usage(long calls, long nanos) {}

  private final Map<String, LongAdder[]> usage = new ConcurrentHashMap<>();
  private final Map<String, LongAdder[]> byKind = new ConcurrentHashMap<>();

  private final Timeline timeline;

  MeteredKubernetes(Kubernetes delegate, Timeline timeline) {
    super(delegate);
    this.timeline = timeline;
  }

  private <T> T meter(String method, Supplier<T> call) {
    return meter(method, null, call);
  }

  /** Meters a call; {@code kind}, if given, also counts it as {@code "<method> <kind>"}. */
  private <T> T meter(String method, String kind, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      long end = System.nanoTime();
      String label = kind == null ? method : method + " " + kind;
      add(usage, method, end - start);
      add(byKind, label, end - start);
      timeline.add("Kubernetes " + label, start, end);
    }
  }

  private static void add(Map<String, LongAdder[]> map, String key, long nanos) {
    LongAdder[] u =
        map.computeIfAbsent(key, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    u[0].increment();
    u[1].add(nanos);
  }

  private void meter(String method, Runnable call) {
    meter(
        method,
        () -> {
          call.run();
          return null;
        });
  }

  /** Forgets every count. */
  void reset() {
    usage.clear();
    byKind.clear();
  }

  /** Returns the calls and time per method, by method name. */
  Map<String, Usage> usage() {
    Map<String, Usage> out = new TreeMap<>();
    usage.forEach((m, u) -> out.put(m, new Usage(u[0].sum(), u[1].sum())));
    return out;
  }

  /** Returns the calls and time per method, with applies and gets apart per kind. */
  Map<String, Usage> usageByKind() {
    Map<String, Usage> out = new TreeMap<>();
    byKind.forEach((m, u) -> out.put(m, new Usage(u[0].sum(), u[1].sum())));
    return out;
  }

  long reads() {
    return usage().entrySet().stream()
        .filter(e -> !WRITES.contains(e.getKey()))
        .mapToLong(e -> e.getValue().calls())
        .sum();
  }

  long writes() {
    return usage().entrySet().stream()
        .filter(e -> WRITES.contains(e.getKey()))
        .mapToLong(e -> e.getValue().calls())
        .sum();
  }

  @Override
  public ServerInfo serverInfo() {
    return meter("serverInfo", super::serverInfo);
  }

  @Override
  public KubeObject apply(KubeObject object, String fieldManager, boolean force) {
    return meter("apply", object.kind(), () -> super.apply(object, fieldManager, force));
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return meter("get", ref.kind(), () -> super.get(ref));
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return meter("delete", () -> super.delete(ref));
  }

  @Override
  public void awaitDeleted(ObjectRef ref, Duration timeout) {
    meter("awaitDeleted", () -> super.awaitDeleted(ref, timeout));
  }

  @Override
  public void awaitCrdEstablished(String crdName, Duration timeout) {
    meter("awaitCrdEstablished", () -> super.awaitCrdEstablished(crdName, timeout));
  }

  @Override
  public void awaitRollout(String namespace, String name, Duration timeout) {
    meter("awaitRollout", () -> super.awaitRollout(namespace, name, timeout));
  }

  @Override
  public void restartDeployment(String namespace, String name, String fieldManager) {
    meter("restartDeployment", () -> super.restartDeployment(namespace, name, fieldManager));
  }

  @Override
  public List<KubeObject> listCustomResources(String crdName) {
    return meter("listCustomResources", () -> super.listCustomResources(crdName));
  }

  @Override
  public boolean removeFinalizers(ObjectRef ref) {
    return meter("removeFinalizers", () -> super.removeFinalizers(ref));
  }

  @Override
  public List<KubeObject> listPods(String namespace, Map<String, String> selector) {
    return meter("listPods", () -> super.listPods(namespace, selector));
  }

  /** Leaves the wrapped port open: the benchmark shares it between installs. */
  @Override
  public void close() {}
}
