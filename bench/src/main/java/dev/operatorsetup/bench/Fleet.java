package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.millisSince;
import static dev.operatorsetup.bench.BenchContext.namespace;
import static dev.operatorsetup.bench.Markdown.fmt;
import static dev.operatorsetup.bench.Markdown.mib;

import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.ObjectRef;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fleet section: N namespaced installs at once from one JVM, one per EKS cluster in moto, all
 * on the one control plane, for each size of {@code --fleet}; wall time, install times, heap, and
 * the CPU the plane, moto and this JVM used. The tables: {@link FleetTables}.
 */
final class Fleet {
  /** One fleet: wall ms, median and max install ms, peak and base heap, CPU seconds per process. */
  record Size(
      int clusters,
      double wallMillis,
      double medianMillis,
      double maxMillis,
      long peakHeap,
      long heapBefore,
      Map<String, Double> cpu) {}

  private final BenchContext ctx;

  Fleet(BenchContext ctx) {
    this.ctx = ctx;
  }

  /** A warm-up install, then every size of {@code --fleet}; returns the section's Markdown. */
  String run() throws Exception {
    warmUp();
    List<Size> sizes = new ArrayList<>();
    for (int n : ctx.cfg.fleet()) {
      sizes.add(fleet(n));
    }
    return FleetTables.write(sizes);
  }

  /** One namespaced install, not measured, so the fleet of 1 does not pay for a cold JVM. */
  private void warmUp() {
    String id = ctx.prefix() + "-fwarm";
    ctx.fx.createCluster(id);
    try {
      install(id, "fleet-1");
    } finally {
      List<ObjectRef> refs = new ArrayList<>(ctx.crdRefs());
      refs.add(namespace("fleet-1"));
      ctx.fx.wipe(refs);
      ctx.fx.deleteAws(List.of(id));
    }
  }

  private InstallReport install(String id, String namespace) {
    return OperatorSetup.forCluster(id)
        .inRegion(ctx.cfg.region())
        .withRole(id)
        .withAws(ctx.aws)
        .withKubeconfig(ctx.cfg.kubeconfig())
        .withManifest(Manifests.bundled(Manifests.Variant.NAMESPACED))
        .withNamespace(namespace)
        .withTimeout(BenchContext.TIMEOUT)
        .install();
  }

  /** Installs n clusters at once, then deletes them. */
  private Size fleet(int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = ctx.prefix() + "-f" + n + "-" + i;
      ctx.fx.createCluster(id);
      ids.add(id);
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      return measure(ids, pool);
    } finally {
      pool.shutdownNow();
      List<ObjectRef> refs = new ArrayList<>(ctx.crdRefs());
      for (int i = 1; i <= n; i++) {
        refs.add(namespace("fleet-" + i));
      }
      ctx.fx.wipe(refs);
      ctx.fx.deleteAws(ids);
    }
  }

  private Size measure(List<String> ids, ExecutorService pool) throws InterruptedException {
    int n = ids.size();
    List<MemoryPoolMXBean> heap =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    System.gc();
    long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InstallReport>> futures = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = ids.get(i - 1);
      String ns = "fleet-" + i;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                return install(id, ns);
              }));
    }
    CpuMeter meter = new CpuMeter(ctx.cfg.planePids(), ctx.cfg.motoPid());
    Map<String, Double> cpuBefore = meter.sample();
    long start = System.nanoTime();
    go.countDown();
    Samples each = new Samples();
    List<String> failed = new ArrayList<>();
    for (Future<InstallReport> f : futures) {
      try {
        each.add(f.get().durationMillis());
      } catch (ExecutionException e) {
        failed.add(String.valueOf(e.getCause()));
      }
    }
    double wall = millisSince(start);
    Map<String, Double> cpu = CpuMeter.used(cpuBefore, meter.sample());
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    if (!failed.isEmpty()) {
      ctx.fail("fleet of " + n + ": " + failed.size() + " installs failed: " + failed.get(0));
    }
    ctx.say(
        "fleet of %d: %s (median install %s, max %s), peak heap %s",
        n, fmt(wall), fmt(each.median()), fmt(each.max()), mib(peak));
    return new Size(n, wall, each.median(), each.max(), peak, before, cpu);
  }
}
