package dev.operatorsetup.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference ACK SageMaker charts in {@code shared/reference}, beside the checkout ({@code
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

  /** The chart of release 1.9.1, unchanged from upstream. */
  public static Path v191() {
    return reference().resolve("chart-v1.9.1");
  }

  /** The chart of release 1.6.0, unchanged from upstream. */
  public static Path v160() {
    return reference().resolve("chart-v1.6.0");
  }
}
