package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.millisSince;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The seed's procedure: {@code bench/seed-procedure.sh}, one {@code aws} or {@code kubectl} process
 * per step, against the same emulators; where its time goes comes from the script's step marks.
 */
final class SeedProcedure {
  private final BenchContext ctx;

  SeedProcedure(BenchContext ctx) {
    this.ctx = ctx;
  }

  /** One clean install by the script; returns its wall time, and adds its steps to phases. */
  double install(Phases phases) throws Exception {
    Config cfg = ctx.cfg;
    String id = ctx.name("seed");
    ctx.fx.createCluster(id);
    Path dir = cfg.work().resolve(id);
    Files.createDirectories(dir);
    Path timings = dir.resolve("timings");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                cfg.seedScript().toString(),
                id,
                id,
                BenchContext.NAMESPACE,
                ctx.manifestV1().toString())
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    Map<String, String> env = pb.environment();
    env.put("ENDPOINT_URL", cfg.awsEndpoint().toString());
    env.put("KUBECONFIG_FILE", cfg.kubeconfig().toAbsolutePath().toString());
    env.put("AWS_REGION", cfg.region());
    env.put("WORK_DIR", dir.toAbsolutePath().toString());
    env.put("SEED_TIMINGS", timings.toAbsolutePath().toString());
    env.put("PLACEHOLDER_ROLE", BenchContext.PLACEHOLDER_ROLE);
    long startEpochMicros = epochMicros();
    long start = System.nanoTime();
    int exit = pb.start().waitFor();
    double ms = millisSince(start);
    if (exit != 0) {
      throw new IllegalStateException(
          "the seed procedure failed (exit " + exit + "); see " + dir.resolve("stderr"));
    }
    if (phases != null) {
      phases(Files.readAllLines(timings), startEpochMicros, ms, phases);
    }
    ctx.wipeInstaller();
    return ms;
  }

  private static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /**
   * The steps of one run from the script's marks ("epoch-seconds step", each when the step starts):
   * a step lasts until the next mark; "bash starts" before the first, "bash exits" after the last.
   */
  static void phases(List<String> marks, long startMicros, double totalMs, Phases phases) {
    long prev = startMicros;
    String step = "bash starts";
    for (String line : marks) {
      int space = line.indexOf(' ');
      long at = Math.round(Double.parseDouble(line.substring(0, space)) * 1e6);
      phases.add(step, (at - prev) / 1000.0);
      prev = at;
      step = line.substring(space + 1);
    }
    phases.add("bash exits", totalMs - (prev - startMicros) / 1000.0);
  }
}
