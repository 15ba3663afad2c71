package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.millisSince;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ProgressEvent;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.Kubernetes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * operator-setup in this (warm) JVM: with the AWS and Kubernetes clients shared across installs, as
 * an application that embeds the library holds them, and with new clients per install, as the
 * README's example calls it. The shared clients are metered, so a warm install also says where its
 * time goes: the wall time calls of each kind were in flight, and the engine's own time.
 */
final class InJvmInstalls {
  /**
   * What the installs install: a tag for their names, the options that choose the target (none for
   * the legacy operator), and how to clean the control plane after each install.
   */
  record Target(String tag, UnaryOperator<OperatorSetup.Options> options, Runnable wipe) {}

  private final BenchContext ctx;
  private final Target target;
  private final Timeline timeline = new Timeline();
  private final AwsServices meteredAws;
  private final MeteredKubernetes meteredKube;

  /** Installs of the default target, the legacy operator. */
  InJvmInstalls(BenchContext ctx, Kubernetes shared) {
    this(ctx, shared, new Target("", o -> o, ctx::wipeInstaller));
  }

  InJvmInstalls(BenchContext ctx, Kubernetes shared, Target target) {
    this.ctx = ctx;
    this.target = target;
    this.meteredAws = MeteredAws.of(ctx.aws, timeline);
    this.meteredKube = new MeteredKubernetes(shared, timeline);
  }

  /** One clean install with the shared clients; returns its wall time, adds its phases if given. */
  double warm(Phases phases) {
    String id = ctx.name(target.tag() + "warm");
    ctx.fx.createCluster(id);
    timeline.reset();
    List<ProgressEvent> events = new ArrayList<>();
    long start = System.nanoTime();
    InstallReport report =
        target
            .options()
            .apply(OperatorSetup.forCluster(id).inRegion(ctx.cfg.region()).withRole(id))
            .withAws(meteredAws)
            .withKubernetes(meteredKube)
            .withTimeout(BenchContext.TIMEOUT)
            .withListener(events::add)
            .install();
    double ms = millisSince(start);
    ctx.expectChanged(report, id);
    if (phases != null) {
      warmPhases(events, ms, phases);
    }
    target.wipe().run();
    return ms;
  }

  private void warmPhases(List<ProgressEvent> events, double totalMs, Phases phases) {
    timeline.byLabel().forEach((label, u) -> phases.add(label + " ×" + u.calls(), u.millis()));
    double inCalls = timeline.totalMillis();
    double inMemory = 0;
    for (String step : List.of("manifest", "render")) {
      double ms = stepMillis(events, step);
      phases.add("engine: " + step + " (in memory)", ms);
      inMemory += ms;
    }
    phases.add("engine: the rest (plan, diff, reports, threads)", totalMs - inCalls - inMemory);
  }

  static double stepMillis(List<ProgressEvent> events, String step) {
    Duration started = null;
    for (ProgressEvent e : events) {
      if (!e.step().equals(step)) {
        continue;
      }
      if (e.type() == ProgressEvent.Type.STEP_STARTED) {
        started = e.elapsed();
      } else if (e.type() == ProgressEvent.Type.STEP_FINISHED && started != null) {
        return e.elapsed().minus(started).toNanos() / 1e6;
      }
    }
    return 0;
  }

  /**
   * One clean install as the README's example calls it: the library creates its own AWS clients and
   * Kubernetes client for the install (withAwsEndpoint, withKubeconfig).
   */
  double freshClients() {
    String id = ctx.name(target.tag() + "fresh");
    ctx.fx.createCluster(id);
    long start = System.nanoTime();
    InstallReport report =
        target
            .options()
            .apply(OperatorSetup.forCluster(id).inRegion(ctx.cfg.region()).withRole(id))
            .withAwsEndpoint(ctx.cfg.awsEndpoint())
            .withKubeconfig(ctx.cfg.kubeconfig())
            .withTimeout(BenchContext.TIMEOUT)
            .install();
    double ms = millisSince(start);
    ctx.expectChanged(report, id);
    target.wipe().run();
    return ms;
  }
}
