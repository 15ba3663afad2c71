package dev.operatorsetup.helm;

import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.spi.ChartRendererProvider;

/** Provides the helm-java chart renderer through {@link java.util.ServiceLoader}. */
public final class HelmJavaChartRendererProvider implements ChartRendererProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public HelmJavaChartRendererProvider() {}

  @Override
  public ChartRenderer create() {
    return HelmCharts.renderer();
  }
}
