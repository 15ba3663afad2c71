package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.millisSince;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/operator-setup install} in a new JVM, with extra JVM options if given (through {@code
 * OPERATOR_SETUP_JAVA_OPTS}, after the launcher's default ones).
 */
final class ColdCommand {
  /** A measured run: its wall time, the engine's own time (JSON output only), its directory. */
  record Run(double wallMillis, double engineMillis, Path dir) {}

  /** The JVM options bin/operator-setup uses unless OPERATOR_SETUP_JAVA_OPTS says otherwise. */
  static final String COMMAND_JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchContext ctx;

  ColdCommand(BenchContext ctx) {
    this.ctx = ctx;
  }

  /**
   * One clean install by the command in a new JVM, for a new cluster, with extra JVM options if
   * given; stdout and stderr go to a directory of the run's own.
   */
  Run install(String tag, String extraJavaOpts, String output) throws Exception {
    Config cfg = ctx.cfg;
    String id = ctx.name(tag);
    ctx.fx.createCluster(id);
    Path dir = cfg.work().resolve(id);
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(command(cfg, id, output))
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    if (extraJavaOpts != null) {
      pb.environment().put("OPERATOR_SETUP_JAVA_OPTS", COMMAND_JAVA_OPTS + " " + extraJavaOpts);
    }
    long start = System.nanoTime();
    int exit = pb.start().waitFor();
    double ms = millisSince(start);
    if (exit != 0) {
      throw new IllegalStateException(
          "bin/operator-setup install failed (exit " + exit + "); see " + dir.resolve("stderr"));
    }
    double engine = Double.NaN;
    if (output.equals("json")) {
      engine = JSON.readTree(dir.resolve("stdout").toFile()).path("durationMillis").asDouble();
    }
    ctx.wipeInstaller();
    return new Run(ms, engine, dir);
  }

  static List<String> command(Config cfg, String id, String output) {
    return List.of(
        cfg.command().toString(),
        "install",
        "--cluster",
        id,
        "--region",
        cfg.region(),
        "--role",
        id,
        "--aws-endpoint",
        cfg.awsEndpoint().toString(),
        "--kubeconfig",
        cfg.kubeconfig().toString(),
        "--timeout",
        "5m",
        "--output",
        output);
  }
}
