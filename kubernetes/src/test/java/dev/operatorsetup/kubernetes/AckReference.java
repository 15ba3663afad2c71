package dev.operatorsetup.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference ACK SageMaker charts and samples in {@code shared/reference}, beside the checkout:
 * found by walking up from the module directory (as testkit's test-only {@code AckCharts} does).
 */
final class AckReference {
  private AckReference() {}

  static Path dir() {
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

  static Path chart191() {
    return dir().resolve("chart-v1.9.1");
  }
}
