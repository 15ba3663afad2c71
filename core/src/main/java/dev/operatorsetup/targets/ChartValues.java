package dev.operatorsetup.targets;

import dev.operatorsetup.Charts;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the caller chose for a chart-based target: the chart (a {@link Charts.Source}: bundled, a
 * directory, a {@code .tgz} or a pinned download, resolved when the target renders), values as
 * {@code --set} and {@code --values} take them, and the ACK install scope and watched namespaces.
 *
 * @param chart the chart; empty means the target's default chart ({@link Charts#bundled()})
 * @param installScope {@code cluster} or {@code namespace}; empty means the chart's default
 */
public record ChartValues(
    Optional<Charts.Source> chart,
    List<String> sets,
    List<Path> valuesFiles,
    Optional<String> installScope,
    List<String> watchNamespaces) {
  public ChartValues {
    sets = List.copyOf(sets);
    valuesFiles = List.copyOf(valuesFiles);
    watchNamespaces = List.copyOf(watchNamespaces);
  }

  /** Nothing chosen: the default chart and its default values. */
  public static ChartValues none() {
    return new ChartValues(Optional.empty(), List.of(), List.of(), Optional.empty(), List.of());
  }
}
