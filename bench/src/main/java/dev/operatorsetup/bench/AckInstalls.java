package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.last;
import static dev.operatorsetup.bench.BenchContext.millisSince;
import static dev.operatorsetup.bench.Markdown.fmt;

import dev.operatorsetup.Charts;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import java.util.List;

/**
 * The ack section's installs of the ACK SageMaker controller (chart 1.9.1, bundled): the ACK docs'
 * procedure ({@link AckProcedure}), operator-setup in one JVM with shared and with new clients
 * ({@link InJvmInstalls} with {@code withTarget(OperatorTarget.ack())}) and the cold command
 * ({@code bin/operator-setup install --target ack}), in {@code --ack-runs} interleaved rounds,
 * after {@code --warmups} warm-up installs in one JVM and one cold run of the command. Between runs
 * every object of the chart is deleted and awaited.
 */
final class AckInstalls {
  /** The measured installs and where their time goes. */
  static final class Results {
    final Samples manual = new Samples();
    final Samples warm = new Samples();
    final Samples fresh = new Samples();
    final Samples cold = new Samples();
    final Samples coldEngine = new Samples();
    final Samples wipes = new Samples();
    final Phases manualPhases = new Phases();
    final Phases warmPhases = new Phases();
    int warmups;
    int objects;
    long crds;
    String chartVersion;
    AppCdsExperiment.FirstRun firstRun;
  }

  private final BenchContext ctx;
  private final Kubernetes shared;
  private final Results r = new Results();
  private List<ObjectRef> refs = List.of();

  AckInstalls(BenchContext ctx, Kubernetes shared) {
    this.ctx = ctx;
    this.shared = shared;
  }

  Results run() throws Exception {
    Config cfg = ctx.cfg;
    Charts.Chart chart = Charts.bundled().resolve();
    r.chartVersion = chart.version();
    prepare();
    AckProcedure manual = new AckProcedure(ctx, chart.directory(), this::wipe);
    InJvmInstalls inJvm =
        new InJvmInstalls(
            ctx,
            shared,
            new InJvmInstalls.Target("ack", o -> o.withTarget(OperatorTarget.ack()), this::wipe));
    ColdCommand command = new ColdCommand(ctx, List.of("--target", "ack"), this::wipe);
    r.warmups = cfg.warmups();
    for (int i = 1; i <= cfg.warmups(); i++) {
      ctx.say("ack: warm-up %d/%d in one JVM: %s", i, cfg.warmups(), fmt(inJvm.warm(null)));
    }
    r.firstRun = new AppCdsExperiment(ctx, command).first();
    ctx.say("ack: first run of the command: %s", fmt(r.firstRun.wallMillis()));
    for (int round = 1; round <= cfg.ackRuns(); round++) {
      r.manual.add(manual.install(r.manualPhases));
      ctx.say("ack round %d: manual procedure %s", round, fmt(last(r.manual)));
      r.warm.add(inJvm.warm(r.warmPhases));
      ctx.say("ack round %d: in one JVM, warm %s", round, fmt(last(r.warm)));
      r.fresh.add(inJvm.freshClients());
      ctx.say("ack round %d: in one JVM, new clients %s", round, fmt(last(r.fresh)));
      ColdCommand.Run t = command.install("ackcold");
      r.cold.add(t.wallMillis());
      r.coldEngine.add(t.engineMillis());
      ctx.say(
          "ack round %d: cold command %s (engine %s)",
          round, fmt(t.wallMillis()), fmt(t.engineMillis()));
    }
    return r;
  }

  /** Renders the chart once for its objects (what to wipe), and clears the control plane. */
  private void prepare() {
    String id = ctx.name("ackobjects");
    ctx.fx.createCluster(id);
    List<KubeObject> objects =
        OperatorSetup.forCluster(id)
            .inRegion(ctx.cfg.region())
            .withRole(id)
            .withTarget(OperatorTarget.ack())
            .withAws(ctx.aws)
            .renderObjects();
    refs = objects.stream().map(KubeObject::ref).toList();
    r.objects = refs.size();
    r.crds = refs.stream().filter(o -> o.kind().equals("CustomResourceDefinition")).count();
    ctx.say("ack: chart %s renders %d objects, %d of them CRDs", r.chartVersion, r.objects, r.crds);
    ctx.fx.wipe(refs);
  }

  /** Deletes every object of the chart and waits for it to be gone; the time goes to wipes. */
  private void wipe() {
    long start = System.nanoTime();
    ctx.fx.wipe(refs);
    r.wipes.add(millisSince(start));
  }
}
