package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.millisSince;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/operator-setup install} in a new JVM, as a user runs it: the launcher chooses the JVM
 * and its options (including its AppCDS archive). The benchmark never passes JVM options through
 * {@code OPERATOR_SETUP_JAVA_OPTS}, which replaces the launcher's, and never adds archive options
 * of its own, which would collide with the launcher's: a run varies only by the launcher's own
 * switch ({@code OPERATOR_SETUP_CDS=off}) or by logging options in {@code JDK_JAVA_OPTIONS}, which
 * the {@code java} launcher puts before the script's options.
 */
final class ColdCommand {
  /** A measured run: its wall time, the engine's own time (JSON output only), its directory. */
  record Run(double wallMillis, double engineMillis, Path dir) {}

  /** What the user's environment may hold that would change how the launcher starts the JVM. */
  static final List<String> LAUNCH_ENVIRONMENT =
      List.of(
          "OPERATOR_SETUP_JAVA_OPTS",
          "OPERATOR_SETUP_CDS",
          "JDK_JAVA_OPTIONS",
          "JAVA_TOOL_OPTIONS",
          "_JAVA_OPTIONS");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchContext ctx;
  private final List<String> targetArgs;
  private final Runnable wipe;

  /** The command for the default target (the legacy operator). */
  ColdCommand(BenchContext ctx) {
    this(ctx, List.of(), ctx::wipeInstaller);
  }

  /**
   * The command with these arguments for its target (e.g. {@code --target ack}), and how to clean
   * the control plane after each run.
   */
  ColdCommand(BenchContext ctx, List<String> targetArgs, Runnable wipe) {
    this.ctx = ctx;
    this.targetArgs = List.copyOf(targetArgs);
    this.wipe = wipe;
  }

  /** One clean install with the launcher's defaults and JSON output. */
  Run install(String tag) throws Exception {
    return install(tag, Map.of(), "json");
  }

  /**
   * One clean install by the command in a new JVM, for a new cluster: the launcher's defaults, then
   * the given environment; stdout and stderr go to a directory of the run's own.
   */
  Run install(String tag, Map<String, String> env, String output) throws Exception {
    Config cfg = ctx.cfg;
    String id = ctx.name(tag);
    ctx.fx.createCluster(id);
    Path dir = cfg.work().resolve(id);
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(command(cfg, id, output, targetArgs))
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    LAUNCH_ENVIRONMENT.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
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
    wipe.run();
    return new Run(ms, engine, dir);
  }

  static List<String> command(Config cfg, String id, String output, List<String> targetArgs) {
    List<String> command = new ArrayList<>(List.of(cfg.command().toString(), "install"));
    command.addAll(targetArgs);
    command.addAll(
        List.of(
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
            output));
    return command;
  }
}
