package dev.operatorsetup.bench;

import dev.operatorsetup.Charts;
import dev.operatorsetup.helm.HelmCharts;
import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.targets.AckController;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The render cost in a fresh JVM, run by {@link RenderCost} as a process of its own ({@code java
 * -cp operator-setup-bench.jar dev.operatorsetup.bench.RenderProbe WARM REGION}): the JVM's uptime
 * when main starts, the bundled ACK chart's first extraction ({@code Charts.bundled().resolve()}),
 * the first {@code HelmCharts.renderer().render(...)} (loads Helm's native library from the
 * per-user cache, copied there by the first process, then renders) and WARM renders after it, each
 * printed as a line "{@code name milliseconds}", then "{@code objects N}".
 */
public final class RenderProbe {
  private RenderProbe() {}

  /** See the class comment. */
  public static void main(String[] args) {
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    int warm = Integer.parseInt(args[0]);
    String region = args[1];
    print("main", uptime);
    long start = System.nanoTime();
    Path chart = Charts.bundled().resolve().directory();
    print("chart", BenchContext.millisSince(start));
    ChartRenderer.Request request = request(chart, region);
    ChartRenderer renderer = HelmCharts.renderer();
    start = System.nanoTime();
    ChartRenderer.Rendered first = renderer.render(request);
    print("first", BenchContext.millisSince(start));
    for (int i = 0; i < warm; i++) {
      start = System.nanoTime();
      renderer.render(request);
      print("warm", BenchContext.millisSince(start));
    }
    print("objects", first.crds().size() + first.objects().size());
  }

  /**
   * The request the ACK target makes (release, namespace, the values it sets), for a fixed role.
   */
  static ChartRenderer.Request request(Path chart, String region) {
    return new ChartRenderer.Request(
        chart,
        AckController.RELEASE,
        AckController.NAMESPACE,
        List.of(
            "aws.region=" + region,
            "serviceAccount.create=true",
            "serviceAccount.name=" + AckController.RELEASE,
            "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn="
                + "arn:aws:iam::012345678910:role/"
                + AckController.RELEASE),
        List.of());
  }

  private static void print(String name, double value) {
    System.out.println(String.format(Locale.ROOT, "%s %.3f", name, value));
  }
}
