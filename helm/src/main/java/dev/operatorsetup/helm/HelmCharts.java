package dev.operatorsetup.helm;

import dev.operatorsetup.port.ChartRenderer;

/**
 * Creates the {@link ChartRenderer} port over real Helm: helm-java, which runs Helm's own Go code
 * from a native library inside this JVM (no {@code helm} binary needed). It renders as {@code helm
 * template} does and reads the chart's {@code crds/} itself.
 */
public final class HelmCharts {
  private HelmCharts() {}

  /**
   * Returns the renderer. It is thread-safe (renders run one at a time, Helm's library keeps
   * process-wide state); the first render loads Helm's native library (about 100 MB unpacked to a
   * temporary file by helm-java), later ones reuse it.
   */
  public static ChartRenderer renderer() {
    return HelmJavaChartRenderer.INSTANCE;
  }
}
