package dev.operatorsetup.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS stays on: the plane's own kubeconfig with {@code insecure-skip-tls-verify: true} (and no CA)
 * was used as it was; now it is refused before any request, naming the option that allows it, and
 * connects only when the caller asks for it.
 */
@RequiresControlPlane
class InsecureKubeconfigIT {
  /** The plane's kubeconfig with its CA replaced by insecure-skip-tls-verify. */
  private static Path insecure(ControlPlane plane, Path dir) throws Exception {
    List<String> lines = Files.readAllLines(plane.kubeconfig());
    String text =
        lines.stream()
            .map(
                l ->
                    l.trim().startsWith("certificate-authority-data:")
                            || l.trim().startsWith("certificate-authority:")
                        ? l.substring(0, l.indexOf('c')) + "insecure-skip-tls-verify: true"
                        : l)
            .collect(Collectors.joining("\n", "", "\n"));
    assertThat(text).contains("insecure-skip-tls-verify: true");
    Path file = dir.resolve("insecure.kubeconfig");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aKubeconfigThatTurnsTlsOff_isRefused_unlessAskedFor(ControlPlane plane, @TempDir Path dir)
      throws Exception {
    Path kubeconfig = insecure(plane, dir);

    assertThatThrownBy(
            () -> KubernetesPorts.fromKubeconfig(Optional.of(kubeconfig), Optional.empty()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("insecure-skip-tls-verify")
        .hasMessageContaining("allowInsecureKubernetesTls");

    try (Kubernetes k =
        KubernetesPorts.fromKubeconfig(Optional.of(kubeconfig), Optional.empty(), true)) {
      assertThat(k.serverInfo().gitVersion()).startsWith("v1.");
    }
  }
}
