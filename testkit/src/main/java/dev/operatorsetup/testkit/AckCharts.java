package dev.operatorsetup.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ACK SageMaker charts (the copies bundled in core, verified by their sha256 listings) and the
 * reference folder with their samples in {@code shared/reference}, beside the checkout ({@code
 * ../shared} in CI): found by walking up from the module directory.
 */
public final class AckCharts {
  private AckCharts() {}

  /** The folder with the chart releases, their provenance and the samples. */
  public static Path reference() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/reference/ack-sagemaker-controller");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "shared/reference/ack-sagemaker-controller not found above " + dir);
  }

  /** The chart of release 1.9.1, unchanged from upstream (the copy bundled in core). */
  public static Path v191() {
    return dev.operatorsetup.Charts.bundled(dev.operatorsetup.Charts.Release.V1_9_1)
        .resolve()
        .directory();
  }

  /** The chart of release 1.6.0, unchanged from upstream (the copy bundled in core). */
  public static Path v160() {
    return dev.operatorsetup.Charts.bundled(dev.operatorsetup.Charts.Release.V1_6_0)
        .resolve()
        .directory();
  }
}
