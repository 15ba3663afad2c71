package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.last;
import static dev.operatorsetup.bench.Markdown.fmt;

/**
 * The install section: the seed's shell procedure, operator-setup in one JVM (shared and new
 * clients), the cold command as a user runs it, and the command without its AppCDS archive, in
 * interleaved rounds; then the cold command's profile run.
 */
final class Installs {
  /** The measured installs and what was learned about where their time goes. */
  static final class Results {
    final Samples seed = new Samples();
    final Samples warm = new Samples();
    final Samples fresh = new Samples();
    final Samples cold = new Samples();
    final Samples coldEngine = new Samples();
    final Samples withoutCds = new Samples();
    final Phases seedPhases = new Phases();
    final Phases warmPhases = new Phases();
    int warmups;
    AppCdsExperiment.FirstRun firstRun;
    ColdProfile profile;
  }

  private final BenchContext ctx;
  private final SeedProcedure seed;
  private final InJvmInstalls inJvm;
  private final ColdCommand command;
  private final AppCdsExperiment appCds;

  Installs(BenchContext ctx, InJvmInstalls inJvm) {
    this.ctx = ctx;
    this.seed = new SeedProcedure(ctx);
    this.inJvm = inJvm;
    this.command = new ColdCommand(ctx);
    this.appCds = new AppCdsExperiment(ctx, command);
  }

  Results run() throws Exception {
    Config cfg = ctx.cfg;
    Results r = new Results();
    r.warmups = cfg.warmups();
    for (int i = 1; i <= cfg.warmups(); i++) {
      double ms = inJvm.warm(null);
      ctx.say("warm-up %d/%d in one JVM: %s", i, cfg.warmups(), fmt(ms));
    }
    r.firstRun = appCds.first();
    ctx.say(
        "first run of the command: %s (%s)",
        fmt(r.firstRun.wallMillis()),
        r.firstRun.recorded()
            ? "recorded the launcher's AppCDS archive, " + r.firstRun.classes() + " classes"
            : "the launcher's AppCDS archive was there already");
    // Interleaved rounds, so that a change in the machine's load (other builds share it) touches
    // every method alike.
    int rounds =
        Math.max(
            Math.max(cfg.seedRuns(), cfg.warmRuns()),
            Math.max(cfg.freshRuns(), Math.max(cfg.coldRuns(), cfg.cdsRuns())));
    for (int round = 1; round <= rounds; round++) {
      round(round, r);
    }
    r.profile = ColdProfile.run(ctx, command);
    ctx.say(
        "cold profile run: %d classes loaded, %d of them from the JDK's CDS archive, %d from the"
            + " launcher's AppCDS archive",
        r.profile.classesLoaded, r.profile.fromJdkArchive, r.profile.fromAppArchive);
    return r;
  }

  private void round(int round, Results r) throws Exception {
    Config cfg = ctx.cfg;
    if (round <= cfg.seedRuns()) {
      r.seed.add(seed.install(r.seedPhases));
      ctx.say("round %d: seed procedure %s", round, fmt(last(r.seed)));
    }
    if (round <= cfg.warmRuns()) {
      r.warm.add(inJvm.warm(r.warmPhases));
      ctx.say("round %d: in one JVM, warm %s", round, fmt(last(r.warm)));
    }
    if (round <= cfg.freshRuns()) {
      r.fresh.add(inJvm.freshClients());
      ctx.say("round %d: in one JVM, new clients %s", round, fmt(last(r.fresh)));
    }
    if (round <= cfg.coldRuns()) {
      ColdCommand.Run t = command.install("cold");
      r.cold.add(t.wallMillis());
      r.coldEngine.add(t.engineMillis());
      ctx.say(
          "round %d: cold command %s (engine %s)",
          round, fmt(t.wallMillis()), fmt(t.engineMillis()));
    }
    if (round <= cfg.cdsRuns()) {
      ColdCommand.Run t = appCds.withoutArchive();
      r.withoutCds.add(t.wallMillis());
      ctx.say(
          "round %d: cold command without AppCDS %s (engine %s)",
          round, fmt(t.wallMillis()), fmt(t.engineMillis()));
    }
  }
}
