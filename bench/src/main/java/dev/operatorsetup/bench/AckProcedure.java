package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.millisSince;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ACK documentation's procedure: {@code bench/ack-procedure.sh}, one {@code aws}, {@code helm}
 * or {@code kubectl} process per step, against the same emulators; where its time goes comes from
 * the script's step marks. After each run, outside the timing, {@code helm uninstall} and the wipe
 * of every object of the chart.
 */
final class AckProcedure {
  private final BenchContext ctx;
  private final Path chart;
  private final Runnable wipe;

  AckProcedure(BenchContext ctx, Path chart, Runnable wipe) {
    this.ctx = ctx;
    this.chart = chart;
    this.wipe = wipe;
  }

  /** One clean install by the script; returns its wall time, and adds its steps to phases. */
  double install(Phases phases) throws Exception {
    Config cfg = ctx.cfg;
    String id = ctx.name("ackmanual");
    ctx.fx.createCluster(id);
    Path dir = cfg.work().resolve(id);
    Files.createDirectories(dir);
    Path timings = dir.resolve("timings");
    ProcessBuilder pb =
        new ProcessBuilder("bash", cfg.ackScript().toString(), id, id, chart.toString())
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    environment(pb.environment(), dir);
    pb.environment().put("STEP_TIMINGS", timings.toAbsolutePath().toString());
    Instant now = Instant.now();
    long startEpochMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    long start = System.nanoTime();
    int exit = pb.start().waitFor();
    double ms = millisSince(start);
    if (exit != 0) {
      throw new IllegalStateException(
          "the ACK procedure failed (exit " + exit + "); see " + dir.resolve("stderr"));
    }
    if (phases != null) {
      SeedProcedure.phases(Files.readAllLines(timings), startEpochMicros, ms, phases);
    }
    helm(dir, "uninstall", "ack-sagemaker-controller", "-n", "ack-system", "--wait");
    wipe.run();
    return ms;
  }

  /** Runs the Helm CLI with the script's environment; fails on a non-zero exit. */
  private void helm(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ctx.cfg.helm().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", ctx.cfg.kubeconfig().toAbsolutePath().toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("helm-" + args[0] + ".out").toFile())
            .redirectErrorStream(true);
    environment(pb.environment(), dir);
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroy();
      throw new IllegalStateException(
          "helm " + args[0] + " failed; see " + dir.resolve("helm-" + args[0] + ".out"));
    }
  }

  /** The emulators, the Helm CLI, and Helm's own directories kept under the work directory. */
  private void environment(Map<String, String> env, Path dir) {
    Config cfg = ctx.cfg;
    env.put("HELM", cfg.helm().toString());
    env.put("ENDPOINT_URL", cfg.awsEndpoint().toString());
    env.put("KUBECONFIG_FILE", cfg.kubeconfig().toAbsolutePath().toString());
    env.put("AWS_REGION", cfg.region());
    env.put("WORK_DIR", dir.toAbsolutePath().toString());
    Path helmHome = cfg.work().resolve("helm-home").toAbsolutePath();
    env.put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
    env.put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
    env.put("HELM_DATA_HOME", helmHome.resolve("data").toString());
  }
}
