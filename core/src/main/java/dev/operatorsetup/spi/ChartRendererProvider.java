package dev.operatorsetup.spi;

import dev.operatorsetup.port.ChartRenderer;

/** Found through {@link java.util.ServiceLoader}: the {@code helm} module's chart renderer. */
public interface ChartRendererProvider {
  ChartRenderer create();
}
