package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.millisSince;
import static dev.operatorsetup.bench.Markdown.fmt;

import dev.operatorsetup.Charts;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.helm.HelmCharts;
import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.targets.OperatorTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What rendering the ACK chart costs: in fresh JVMs ({@link RenderProbe}, one process each) the
 * first render, which loads Helm's native library, and the warm renders after it; in this JVM, warm
 * (after the section's installs), the same render and the library's {@code renderObjects()} for the
 * ACK target, which also reads the account and the cluster from AWS and patches the objects.
 */
final class RenderCost {
  /** The samples: per fresh JVM one of each first-time figure; the warm renders of all of them. */
  static final class Results {
    final Samples jvmStart = new Samples();
    final Samples chart = new Samples();
    final Samples first = new Samples();
    final Samples warm = new Samples();
    final Samples here = new Samples();
    final Samples library = new Samples();
    int objects;
    int libraryObjects;
  }

  private final BenchContext ctx;

  RenderCost(BenchContext ctx) {
    this.ctx = ctx;
  }

  Results run() throws Exception {
    Config cfg = ctx.cfg;
    Results r = new Results();
    for (int i = 1; i <= cfg.renderJvms(); i++) {
      probe(r);
      ctx.say(
          "render in a fresh JVM %d/%d: first %s, warm %s",
          i, cfg.renderJvms(), fmt(BenchContext.last(r.first)), fmt(BenchContext.last(r.warm)));
    }
    ChartRenderer.Request request =
        RenderProbe.request(Charts.bundled().resolve().directory(), cfg.region());
    for (int i = 0; i < cfg.renderWarm(); i++) {
      long start = System.nanoTime();
      HelmCharts.renderer().render(request);
      r.here.add(millisSince(start));
    }
    String id = ctx.name("ackrender");
    ctx.fx.createCluster(id);
    for (int i = 0; i < cfg.renderWarm(); i++) {
      long start = System.nanoTime();
      r.libraryObjects =
          OperatorSetup.forCluster(id)
              .inRegion(cfg.region())
              .withRole(id)
              .withTarget(OperatorTarget.ack())
              .withAws(ctx.aws)
              .renderObjects()
              .size();
      r.library.add(millisSince(start));
    }
    ctx.say(
        "in this JVM, warm: render %s, library render() %s",
        fmt(r.here.median()), fmt(r.library.median()));
    return r;
  }

  /** One fresh JVM: runs the probe, adds its figures. */
  private void probe(Results r) throws Exception {
    Path dir = ctx.cfg.work().resolve(ctx.name("render"));
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(command())
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    ColdCommand.LAUNCH_ENVIRONMENT.forEach(pb.environment()::remove);
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(
          "the render probe failed (exit " + exit + "); see " + dir.resolve("stderr"));
    }
    for (String line : Files.readAllLines(dir.resolve("stdout"), StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      double v = Double.parseDouble(f[1]);
      switch (f[0]) {
        case "main" -> r.jvmStart.add(v);
        case "chart" -> r.chart.add(v);
        case "first" -> r.first.add(v);
        case "warm" -> r.warm.add(v);
        case "objects" -> r.objects = (int) v;
        default -> throw new IllegalStateException("the render probe printed " + line);
      }
    }
  }

  /** {@code java -cp <this jar> RenderProbe}, the JVM of this process, no JVM options. */
  private List<String> command() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path jar =
        Path.of(RenderProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(java));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(
        List.of(
            "-cp",
            jar.toString(),
            RenderProbe.class.getName(),
            Integer.toString(ctx.cfg.renderWarm()),
            ctx.cfg.region()));
    return command;
  }
}
